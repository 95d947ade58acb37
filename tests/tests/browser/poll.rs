//! Consensus polls end to end (issue 5): six participants on phones answer a
//! fist-of-five and a proposal poll; the last vote reveals by itself, and the
//! facilitator, every phone and the shared screen show the same histogram
//! and reading.

use moot_tests::browser::{BrowserMeetup, Page, meetup_with_phones};

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
