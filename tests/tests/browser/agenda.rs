//! The agenda end to end (issue 13): the facilitator picks Lean Coffee and
//! runs the whole meetup from check-in to the closing ROTI by pressing Next only,
//! while every phone and the shared screen show the same phase; a 1:1
//! check-in with exactly two people. Screenshots of the phone strip, the
//! facilitator's rail and the screen's rail.

use moot_tests::browser::{BrowserMeetup, Page, meetup_with_phones};

const PEOPLE: [&str; 5] = ["Ada", "Grace", "Linus", "Barbara", "Ken"];

/// Waits until `page` shows phase `phase` as the current one.
async fn in_phase(page: &Page, phase: u32) -> anyhow::Result<String> {
    let value = page
        .wait_for(
            &format!("phase {phase}"),
            &format!(
                "const strip = document.querySelector('[data-testid=\"phase-strip\"][data-phase=\"{phase}\"] [data-testid=\"phase-line\"]');\
                 if (strip) return strip.textContent;\
                 const rail = document.querySelector('[data-testid=\"screen-phase-list\"] [data-phase=\"{phase}\"][data-state=\"current\"]');\
                 const line = document.querySelector('[data-testid=\"screen-phase-line\"]');\
                 return rail && line ? line.textContent : null;"
            ),
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// Presses the facilitator's Next and waits until every page is in `phase`.
async fn next(facilitator: &Page, everyone: &[&Page], phase: u32) -> anyhow::Result<()> {
    facilitator
        .wait_for(
            "Next",
            "const b = document.querySelector('[data-testid=\"agenda-next\"]'); if (b) { b.click(); return true; } return null;",
        )
        .await?;
    for page in everyone {
        in_phase(page, phase).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lean_coffee_runs_from_check_in_to_check_out_with_next_only() -> anyhow::Result<()> {
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        screen,
        phones,
        ..
    } = meetup_with_phones(&PEOPLE).await?;
    let mut everyone: Vec<&Page> = phones.iter().collect();
    everyone.push(&facilitator);
    everyone.push(&screen);

    // Lean Coffee is the first format offered.
    facilitator.click("agenda-set").await?;
    phones[0]
        .wait_for(
            "the plan",
            "const s = document.querySelector('[data-testid=\"phase-line\"]'); return s && s.textContent.includes('not started') ? true : null",
        )
        .await?;

    // 1 Check-in: a round.
    next(&facilitator, &everyone, 1).await?;
    let line = in_phase(&phones[0], 1).await?;
    assert!(line.starts_with("Phase 1 of 7 · Check-in"), "{line}");
    assert!(line.contains("left"), "a timed phase counts down: {line}");

    // 2 Write topics: people propose; they say when they are done.
    next(&facilitator, &everyone, 2).await?;
    for (page, title) in phones.iter().zip(["Flaky tests", "Onboarding", "On-call"]) {
        page.propose_topic(title).await?;
    }
    phones[1].click("phase-done").await?;
    screen
        .wait_for(
            "one done",
            "const r = document.querySelector('[data-testid=\"screen-ready\"]'); return r && r.textContent.startsWith('1 of') ? true : null",
        )
        .await?;
    phones[0].script("window.scrollTo(0, 0)", vec![]).await?;
    phones[0].screenshot("agenda-phone-strip").await?;

    // 3 Pitch, 4 Vote: everyone's dot on Onboarding.
    next(&facilitator, &everyone, 3).await?;
    next(&facilitator, &everyone, 4).await?;
    for page in &phones {
        page.wait_for(
            "a dot",
            "const b = document.querySelector('[data-testid=\"topic\"][data-topic-id=\"2\"] [data-testid=\"place-dot\"]'); if (b && !b.disabled) { b.click(); return true; } return null;",
        )
        .await?;
    }
    facilitator
        .wait_for(
            "five dots",
            "return document.querySelector('[data-testid=\"topic\"][data-topic-id=\"2\"]') ? true : null",
        )
        .await?;

    // 5 Discuss: the vote closed, revealed and sorted; the top topic is up.
    // (Give the dots a moment to reach the server before leaving the vote.)
    phones[4]
        .wait_for(
            "my dot counted",
            "return document.querySelector('[data-testid=\"topic\"][data-topic-id=\"2\"][data-my-dots=\"1\"]') ? true : null",
        )
        .await?;
    next(&facilitator, &everyone, 5).await?;
    screen
        .wait_for(
            "Onboarding under discussion",
            "const t = document.querySelector('[data-testid=\"screen-current-topic\"]'); return t && t.textContent.includes('Onboarding') ? true : null",
        )
        .await?;
    screen.screenshot("agenda-screen-rail").await?;
    facilitator
        .script(
            "document.querySelector('[data-testid=\"agenda-controls\"]').scrollIntoView()",
            vec![],
        )
        .await?;
    facilitator.screenshot("agenda-facilitator-rail").await?;

    // 6 Check-out; 7 the closing ROTI, a poll of five scores on every
    // phone, and nothing after it.
    next(&facilitator, &everyone, 6).await?;
    next(&facilitator, &everyone, 7).await?;
    for page in &phones {
        page.wait_for(
            "the ROTI's five scores",
            "return document.querySelectorAll('[data-testid=\"poll-option\"]').length === 5 ? true : null",
        )
        .await?;
    }
    facilitator
        .wait_for(
            "no Next after the last phase",
            "return document.querySelector('[data-testid=\"agenda-next\"]') ? null : true",
        )
        .await?;
    facilitator.click("agenda-end").await?;
    for page in &phones {
        page.wait_for(
            "the plan is done",
            "const s = document.querySelector('[data-testid=\"phase-line\"]'); return s && s.textContent.includes('done') ? true : null",
        )
        .await?;
    }
    let states: serde_json::Value = phones[2]
        .script(
            "return [...document.querySelectorAll('[data-testid=\"phase-list\"] li')].map(li => li.dataset.state).join(',')",
            vec![],
        )
        .await?;
    assert_eq!(states, "done,done,done,done,done,done,done");

    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_on_one_check_in_runs_with_exactly_two_people() -> anyhow::Result<()> {
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        screen,
        phones,
        ..
    } = meetup_with_phones(&["Ada"]).await?;
    let everyone = [&phones[0], &facilitator, &screen];
    facilitator
        .script(
            "const s = document.querySelector('[data-testid=\"agenda-format\"]'); s.value = 'one_on_one'; s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
    facilitator.click("agenda-set").await?;
    for phase in 1..=5 {
        next(&facilitator, &everyone, phase).await?;
    }
    let line = in_phase(&phones[0], 5).await?;
    assert!(line.starts_with("Phase 5 of 5 · Next steps"), "{line}");
    // The strip is redrawn as its clock ticks: read it in one go.
    let prompt = phones[0]
        .script(
            "return document.querySelector('[data-testid=\"phase-prompt\"]').textContent",
            vec![],
        )
        .await?;
    let prompt = prompt.as_str().unwrap_or_default();
    assert!(prompt.contains("action items"), "{prompt}");
    phones[0].screenshot("agenda-one-on-one-phone").await?;
    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}

/// Picks `name` for `role` in the facilitator's role picker.
async fn cast(facilitator: &Page, role: &str, name: &str) -> anyhow::Result<()> {
    facilitator
        .wait_for(
            &format!("{name} as {role}"),
            &format!(
                "const s = document.querySelector('[data-testid=\"assign-{role}\"]');\
                 if (!s) return null;\
                 const o = [...s.options].find(o => o.textContent === '{name}');\
                 if (!o) return null;\
                 if (s.value !== o.value) {{ s.value = o.value; s.dispatchEvent(new Event('change', {{ bubbles: true }})); }}\
                 return true;"
            ),
        )
        .await?;
    Ok(())
}

/// The phone's role line, once it says `expected`.
async fn role_line(page: &Page, expected: &str) -> anyhow::Result<()> {
    page.wait_for(
        &format!("the role line \"{expected}\""),
        &format!(
            "const p = document.querySelector('[data-testid=\"phase-role\"]');\
             return p && p.textContent === {expected:?} ? true : null;"
        ),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_consultation_casts_roles_and_the_case_giver_only_listens_while_advised()
-> anyhow::Result<()> {
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        screen,
        phones,
        ..
    } = meetup_with_phones(&["Grace", "Linus", "Barbara"]).await?;
    let mut everyone: Vec<&Page> = phones.iter().collect();
    everyone.push(&facilitator);
    everyone.push(&screen);
    let (grace, linus) = (&phones[0], &phones[1]);

    // Case consultation is the fifth format offered.
    facilitator
        .script(
            "const s = document.querySelector('[data-testid=\"agenda-format\"]'); s.value = 'case_consultation'; s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
    facilitator.click("agenda-set").await?;
    next(&facilitator, &everyone, 1).await?;
    let line = in_phase(grace, 1).await?;
    assert!(line.starts_with("Phase 1 of 7 · Casting"), "{line}");

    // Casting: Grace brings the case, Linus moderates, Barbara writes.
    cast(&facilitator, "case_giver", "Grace").await?;
    cast(&facilitator, "moderator", "Linus").await?;
    cast(&facilitator, "scribe", "Barbara").await?;
    role_line(grace, "You: case giver").await?;
    role_line(linus, "You: moderator").await?;
    facilitator
        .screenshot("agenda-case-casting-facilitator")
        .await?;

    // The case and the key question, which the screen shows large.
    for phase in 2..=3 {
        next(&facilitator, &everyone, phase).await?;
    }
    facilitator
        .fill("key-question", "How do I say no to my lead?")
        .await?;
    facilitator.click("key-question-save").await?;
    screen
        .wait_for(
            "the key question on the screen",
            "const q = document.querySelector('[data-testid=\"screen-key-question\"]');\
             return q && q.textContent.includes('How do I say no to my lead?') ? true : null;",
        )
        .await?;

    // The consultation: Grace listens; her hand cannot go up, Linus's can.
    for phase in 4..=5 {
        next(&facilitator, &everyone, phase).await?;
    }
    role_line(grace, "You: case giver. You listen in this phase.").await?;
    let disabled = "const b = document.querySelector('[data-testid=\"raise-hand\"]'); return b ? b.disabled : null;";
    grace
        .wait_for(
            "Grace's raise-hand refused",
            &format!("const d = (() => {{ {disabled} }})(); return d === true ? true : null;"),
        )
        .await?;
    assert_eq!(
        linus.script(disabled, vec![]).await?,
        serde_json::json!(false),
        "a consultant raises a hand"
    );
    linus.click("raise-hand").await?;
    grace.screenshot("agenda-case-consultation-phone").await?;
    screen.screenshot("agenda-case-consultation-screen").await?;
    let roles = screen
        .wait_for(
            "the roles on the screen",
            "const r = document.querySelector('[data-testid=\"screen-roles\"]'); return r ? r.textContent : null;",
        )
        .await?;
    let roles = roles.as_str().unwrap_or_default();
    assert!(
        roles.contains("Case giver: Grace") && roles.contains("Scribe: Barbara"),
        "{roles}"
    );

    // Closing: Grace may speak again.
    next(&facilitator, &everyone, 6).await?;
    role_line(grace, "You: case giver").await?;
    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phase_added_live_and_a_quiet_phase_s_notes_stay_on_the_phone() -> anyhow::Result<()> {
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        screen,
        phones,
        ..
    } = meetup_with_phones(&["Grace"]).await?;
    let everyone = [&phones[0], &facilitator, &screen];
    let grace = &phones[0];

    // A custom plan, built live: one quiet phase of 2 minutes.
    facilitator
        .script(
            "const s = document.querySelector('[data-testid=\"agenda-format\"]'); s.value = 'custom'; s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
    facilitator.click("agenda-set").await?;
    facilitator
        .wait_for(
            "the form to add a phase",
            "const s = document.querySelector('[data-testid=\"insert-kind\"]');\
             if (!s) return null;\
             const o = [...s.options].find(o => o.textContent === 'Quiet time');\
             s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true }));\
             return true;",
        )
        .await?;
    facilitator.fill("insert-title", "Think alone").await?;
    facilitator.fill("insert-minutes", "2").await?;
    facilitator.click("insert-submit").await?;
    next(&facilitator, &everyone, 1).await?;
    let line = in_phase(grace, 1).await?;
    assert!(line.starts_with("Phase 1 of 1 · Think alone · "), "{line}");

    // Grace jots; her notes survive a reload and go nowhere.
    grace.fill("jot", "my secret idea").await?;
    grace
        .script("location.reload(); return true;", vec![])
        .await?;
    grace
        .wait_for(
            "the notes after a reload",
            "const t = document.querySelector('[data-testid=\"jot\"]'); return t && t.value === 'my secret idea' ? true : null;",
        )
        .await?;
    grace.screenshot("agenda-silent-jot-phone").await?;
    for page in [&facilitator, &screen] {
        let shown = page
            .script(
                "return document.body.innerText.includes('my secret idea');",
                vec![],
            )
            .await?;
        assert_eq!(shown, serde_json::json!(false));
    }
    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}
