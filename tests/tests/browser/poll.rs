//! Consensus polls end to end (issue 5): six participants on phones answer a
//! fist-of-five and a proposal poll; the last vote reveals by itself, and the
//! facilitator, every phone and the shared screen show the same histogram
//! and reading.

use moot_shared::Command;
use moot_shared::room::poll::{PollId, PollKind, PollSetup, Secrecy};
use moot_tests::browser::{BrowserMeetup, Page, meetup_with_phones};
use moot_tests::{TestClient, http, poll_setup};

const PEOPLE: [&str; 6] = ["Ada", "Grace", "Linus", "Barbara", "Ken", "Joan"];

/// Clicks the answer button for `choice` once it is enabled.
async fn answer(page: &Page, choice: u8) -> anyhow::Result<()> {
    let selector = format!("[data-testid=\"poll-option\"][data-choice=\"{choice}\"]");
    page.wait_for(
        &format!("answer {choice} enabled"),
        &format!("const b = document.querySelector('{selector}'); if (b && !b.disabled) {{ b.click(); return true; }} return null;"),
    )
    .await?;
    // The page marks its own vote once the server has echoed it.
    page.wait_for(
        "own vote shown",
        &format!(
            "return document.querySelector('{selector}[aria-pressed=\"true\"]') ? true : null"
        ),
    )
    .await?;
    Ok(())
}

/// Waits for the revealed results of poll `poll` and returns (reading, counts).
async fn results(page: &Page, poll: u32) -> anyhow::Result<(String, String)> {
    let value = page
        .wait_for(
            &format!("results of poll {poll}"),
            &format!(
                "const card = document.querySelector('[data-testid=\"poll-card\"][data-poll=\"{poll}\"][data-status=\"revealed\"], [data-testid=\"screen-poll\"][data-poll=\"{poll}\"][data-status=\"revealed\"]');\
                 if (!card) return null;\
                 const reading = card.querySelector('[data-testid=\"poll-reading\"]');\
                 const counts = [...card.querySelectorAll('[data-testid=\"poll-bar\"]')].map(bar => bar.dataset.count).join(',');\
                 return reading ? [reading.textContent.trim(), counts] : null;"
            ),
        )
        .await?;
    Ok((
        value[0].as_str().unwrap_or_default().to_owned(),
        value[1].as_str().unwrap_or_default().to_owned(),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_phones_answer_two_polls_and_every_screen_agrees() -> anyhow::Result<()> {
    // The server and the browsers live as long as these bindings.
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        screen,
        phones,
        ..
    } = meetup_with_phones(&PEOPLE).await?;
    facilitator
        .wait_for(
            "seven here",
            "return document.querySelectorAll('[data-testid=\"participant\"][data-presence=\"here\"]').length === 7 ? true : null",
        )
        .await?;

    // Two taps: the facilitator is on the room page, and taps a preset.
    facilitator
        .wait_for(
            "presets",
            "return document.querySelector('[data-testid=\"poll-preset\"][data-preset=\"2\"]') ? true : null",
        )
        .await?;
    facilitator
        .script(
            "document.querySelector('[data-testid=\"poll-preset\"][data-preset=\"2\"]').click()",
            vec![],
        )
        .await?;

    // Fist of five: 5, 4, 4, 3, 3, then the last phone shows a 2.
    let fingers = [5, 4, 4, 3, 3, 2];
    for (page, choice) in phones.iter().zip(fingers).take(5) {
        answer(page, choice).await?;
    }
    phones[0].screenshot("poll-phone-answer").await?;
    // Nothing is revealed before the last vote; the screen counts.
    let count = screen
        .wait_for(
            "five of six",
            "const c = document.querySelector('[data-testid=\"screen-poll\"] [data-testid=\"poll-count\"]'); return c && c.textContent.includes('5 of 6') ? c.textContent : null",
        )
        .await?;
    println!("screen shows {count}");
    for page in phones.iter().chain([&facilitator, &screen]) {
        let revealed = page
            .script(
                "return document.querySelector('[data-status=\"revealed\"]') !== null",
                vec![],
            )
            .await?;
        assert_eq!(revealed, serde_json::Value::Bool(false));
    }
    // "Votes stay hidden until the results are shown" is said while voting…
    let secrecy_note = "return document.querySelector('[data-testid=\"poll-card\"] [data-testid=\"poll-secrecy\"]') !== null";
    assert_eq!(
        phones[0].script(secrecy_note, vec![]).await?,
        serde_json::Value::Bool(true)
    );
    answer(&phones[5], 2).await?;

    let expected = results(&screen, 1).await?;
    assert_eq!(expected.1, "0,0,1,2,2,1");
    assert!(expected.0.contains("talk about concerns"), "{expected:?}");
    screen.screenshot("poll-screen-histogram").await?;
    for page in phones.iter().chain([&facilitator]) {
        assert_eq!(results(page, 1).await?, expected);
    }
    phones[5].screenshot("poll-phone-results").await?;
    // …and no longer once the results are shown.
    assert_eq!(
        phones[5].script(secrecy_note, vec![]).await?,
        serde_json::Value::Bool(false)
    );

    // A proposal, written by the facilitator; one phone blocks, with a reason.
    facilitator
        .script(
            "document.querySelector('[data-testid=\"poll-launcher\"] details').open = true",
            vec![],
        )
        .await?;
    facilitator
        .fill("poll-question-input", "Adopt the new on-call rota")
        .await?;
    facilitator
        .script(
            "const s = document.querySelector('[data-testid=\"poll-kind-input\"]'); s.value = 'proposal'; s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
    facilitator.click("poll-open-submit").await?;
    for page in &phones {
        page.wait_for(
            "poll 2",
            "return document.querySelector('[data-testid=\"poll-card\"][data-poll=\"2\"]') ? true : null",
        )
        .await?;
    }
    let choices = [0, 0, 1, 0, 0, 3];
    for (page, choice) in phones.iter().zip(choices).take(5) {
        answer(page, choice).await?;
    }
    phones[5]
        .fill("poll-reason", "Nobody covers weekends")
        .await?;
    answer(&phones[5], 3).await?;

    let expected = results(&screen, 2).await?;
    assert_eq!(expected.1, "4,1,0,1");
    assert!(expected.0.starts_with("Blocked"), "{expected:?}");
    for page in phones.iter().chain([&facilitator]) {
        assert_eq!(results(page, 2).await?, expected);
    }
    let reason = screen
        .wait_for(
            "the reason",
            "const r = document.querySelector('[data-testid=\"poll-reason-item\"]'); return r ? r.textContent : null",
        )
        .await?;
    assert!(
        reason
            .as_str()
            .unwrap_or_default()
            .contains("Nobody covers weekends")
    );
    screen.screenshot("poll-screen-proposal").await?;
    facilitator.screenshot("poll-facilitator").await?;

    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}

/// A consent poll on `question`.
fn consent(question: &str, secrecy: Secrecy) -> PollSetup {
    poll_setup(question, PollKind::Consent, secrecy)
}

/// Every object in `value` (at any depth) that carries both a voter and
/// `reason`: a reason with a name.
fn named_reasons(value: &serde_json::Value, reason: &str, found: &mut usize) {
    match value {
        serde_json::Value::Object(object) => {
            if object.get("reason").and_then(|r| r.as_str()) == Some(reason)
                && object.get("voter").is_some_and(|voter| !voter.is_null())
            {
                *found += 1;
            }
            object
                .values()
                .for_each(|inner| named_reasons(inner, reason, found));
        }
        serde_json::Value::Array(items) => {
            items
                .iter()
                .for_each(|inner| named_reasons(inner, reason, found));
        }
        _ => {}
    }
}

/// The attack run's case (issue 17, item 3): Chloé gives a reason in an
/// anonymous consent poll, then votes in named polls from the same phone.
/// Her phone's reason field starts empty in the next poll, and when she
/// pastes the same words the server refuses them, so the anonymous reason
/// never appears beside her name: not in any frame the facilitator (who
/// sees the most) receives, and not in the minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_reason_never_travels_with_a_name() -> anyhow::Result<()> {
    let BrowserMeetup {
        server,
        opened,
        driver: _driver,
        facilitator,
        screen,
        phones,
    } = meetup_with_phones(&["Chloé", "Ada"]).await?;
    let code = opened.join_code.as_str();
    // The facilitator runs the polls from a second connection that records
    // every frame it gets.
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let concern = "Fine, but revisit in a month";
    let (chloe, ada) = (&phones[0], &phones[1]);

    fran.run(Command::OpenPoll {
        setup: consent("Adopt the new on-call rota?", Secrecy::Anonymous),
    })
    .await;
    chloe
        .wait_for(
            "the anonymous poll",
            "return document.querySelector('[data-testid=\"poll-card\"][data-poll=\"1\"]') ? true : null",
        )
        .await?;
    chloe.fill("poll-reason", concern).await?;
    answer(chloe, 0).await?;
    answer(ada, 0).await?;
    fran.run(Command::RevealPoll { poll: PollId(1) }).await;

    for (round, secrecy) in [(2, Secrecy::Secret), (3, Secrecy::Open)] {
        fran.run(Command::OpenPoll {
            setup: consent("Keep the rota for a quarter?", secrecy),
        })
        .await;
        chloe
            .wait_for(
                "the named poll",
                &format!("return document.querySelector('[data-testid=\"poll-card\"][data-poll=\"{round}\"]') ? true : null"),
            )
            .await?;
        // The field was typed for the last poll: it starts empty here.
        let field = chloe
            .script(
                "return document.querySelector('[data-testid=\"poll-reason\"]').value",
                vec![],
            )
            .await?;
        assert_eq!(field, serde_json::Value::from(""), "poll {round}");
        // Pasted again, the anonymous reason is refused, with why.
        chloe.fill("poll-reason", concern).await?;
        chloe
            .script(
                "document.querySelector('[data-testid=\"poll-option\"][data-choice=\"0\"]').click()",
                vec![],
            )
            .await?;
        let toast = chloe
            .wait_for(
                "the refusal",
                "const t = document.querySelector('[data-testid=\"toast\"]:not([hidden])'); return t ? t.textContent : null",
            )
            .await?;
        assert!(
            toast.as_str().unwrap_or_default().contains("new words"),
            "{toast}"
        );
        chloe.fill("poll-reason", "Good idea").await?;
        answer(chloe, 0).await?;
        answer(ada, 0).await?;
        fran.run(Command::RevealPoll {
            poll: PollId(round),
        })
        .await;
    }
    fran.wait_for("poll 3 revealed", |room| {
        room.polls
            .get(PollId(3))
            .is_some_and(|poll| !poll.is_open())
    })
    .await?;
    chloe
        .screenshot("poll-phone-anonymous-reason-refused")
        .await?;

    let mut found = 0;
    for frame in &fran.frames {
        let value: serde_json::Value = serde_json::from_str(frame)?;
        named_reasons(&value, concern, &mut found);
    }
    assert_eq!(found, 0, "the anonymous reason went out with a name");
    // It is in the frames, anonymous: the test looks where it would be.
    assert!(fran.frames.iter().any(|frame| frame.contains(concern)));

    let bearer = format!("Bearer {}", opened.token);
    let minutes = http::request(
        server.addr,
        "GET",
        &format!("/api/meetups/{code}/minutes.md"),
        &[("authorization", bearer.as_str())],
        "",
    )
    .await?;
    assert_eq!(minutes.status, 200);
    let lines: Vec<&str> = minutes
        .body
        .lines()
        .filter(|line| line.contains(concern))
        .collect();
    assert_eq!(lines.len(), 1, "{}", minutes.body);
    assert!(!lines[0].contains("Chloé"), "{}", lines[0]);
    assert!(
        minutes.body.contains("Good idea (Chloé)"),
        "{}",
        minutes.body
    );

    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_limited_poll_counts_down_on_every_screen() -> anyhow::Result<()> {
    let BrowserMeetup {
        server,
        driver: _driver,
        opened,
        facilitator,
        screen,
        phones,
    } = meetup_with_phones(&["Ada"]).await?;
    let mut fran =
        TestClient::rejoin(&server, opened.join_code.as_str(), &opened.token, None).await;
    fran.run(Command::OpenPoll {
        setup: PollSetup {
            time_limit_secs: Some(120),
            question_key: None,
            ..consent("Ship the rota on Monday?", Secrecy::Secret)
        },
    })
    .await;
    // Two minutes, ticking down on the phone, the laptop and the screen.
    for page in [&phones[0], &facilitator, &screen] {
        page.wait_for(
            "the poll's time left, ticking",
            "const c = document.querySelector('[data-testid=\"poll-count\"]'); \
             return c && /closes in 1:5[0-7]/.test(c.textContent) ? true : null",
        )
        .await?;
    }
    screen.screenshot("poll-screen-time-limit").await?;
    Ok(())
}
