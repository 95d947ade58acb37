//! The speaking queue end to end (issue 3): three phones raise hands of
//! different types; the facilitator, every phone and the shared screen show
//! the same order; the facilitator advances through the queue; the phone
//! next in line shows its cue; a check-in round visits everyone once with
//! the facilitator last. A raised hand is a toggle: the button that raised
//! it says so and lowers it.

use moot_tests::browser::{BrowserMeetup, Page, meetup_with_phones};

const PEOPLE: [&str; 3] = ["Ada", "Grace", "Linus"];

/// The names in the queue list as `page` shows them, once it shows `count`.
async fn queue_names(page: &Page, count: usize) -> anyhow::Result<Vec<String>> {
    let value = page
        .wait_for(
            &format!("{count} entries in the queue"),
            &format!(
                "const names = [...document.querySelectorAll('[data-testid=\"queue-list\"] [data-testid=\"queue-entry-name\"]')]\
                   .map(item => item.textContent.trim());\
                 return names.length === {count} ? names : null;"
            ),
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

/// The "up next" names on the shared screen, once it shows `count`.
async fn screen_next(page: &Page, count: usize) -> anyhow::Result<Vec<String>> {
    let value = page
        .wait_for(
            &format!("{count} up next on the screen"),
            &format!(
                "const names = [...document.querySelectorAll('[data-testid=\"screen-next-entry\"] span:first-child')]\
                   .map(item => item.textContent.trim());\
                 return names.length === {count} ? names : null;"
            ),
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

/// Waits until `page` shows `name` as the speaker (`testid` on the phone or screen).
async fn wait_speaker(page: &Page, testid: &str, name: &str) -> anyhow::Result<()> {
    page.wait_for(
        &format!("{name} speaking"),
        &format!(
            "const el = document.querySelector('[data-testid=\"{testid}\"]');\
             return el && el.textContent.trim() === {name:?} ? true : null;"
        ),
    )
    .await?;
    Ok(())
}

async fn shows(page: &Page, testid: &str) -> anyhow::Result<bool> {
    Ok(page
        .script(
            &format!("return !!document.querySelector('[data-testid=\"{testid}\"]')"),
            Vec::new(),
        )
        .await?
        .as_bool()
        .unwrap_or(false))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_phones_queue_up_and_a_check_in_round_visits_everyone() -> anyhow::Result<()> {
    // The server and the browsers live as long as these bindings.
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        screen,
        phones,
        ..
    } = meetup_with_phones(&PEOPLE).await?;
    for page in &phones {
        page.element("raise-hand").await?;
    }

    // Ada raises a plain hand, Grace a build-on, Linus a clarifying question.
    phones[0].press("raise-hand").await?;
    queue_names(&phones[0], 1).await?;
    phones[1].press("raise-build_on").await?;
    queue_names(&phones[1], 2).await?;
    phones[2].press("raise-clarifying").await?;
    let expected = ["Linus", "Grace", "Ada"];
    for page in phones.iter().chain([&facilitator]) {
        assert_eq!(queue_names(page, 3).await?, expected);
    }
    assert_eq!(screen_next(&screen, 3).await?, expected);
    // Linus is first in line and gets the cue; the others see their place.
    phones[2].element("queue-cue").await?;
    assert!(!shows(&phones[0], "queue-cue").await?);
    assert_eq!(
        phones[0].text("queue-place").await?,
        "You are number 3 in line"
    );
    phones[0].screenshot("queue-phone").await?;

    // The facilitator calls Linus; Grace is next and her phone says so.
    facilitator.press("next-speaker").await?;
    wait_speaker(&phones[2], "queue-speaker", "Linus").await?;
    wait_speaker(&screen, "screen-speaker", "Linus").await?;
    phones[2].element("queue-clock").await?;
    phones[1].element("queue-cue").await?;
    let announced = phones[1]
        .wait_for(
            "the announcement",
            "const a = document.querySelector('[data-testid=\"announcer\"]'); return a && a.textContent.includes(\"You're next\") ? true : null;",
        )
        .await;
    assert!(announced.is_ok(), "Grace's screen reader hears she is next");
    assert_eq!(screen_next(&screen, 2).await?, ["Grace", "Ada"]);
    screen.screenshot("queue-screen").await?;

    // Linus says done: Grace speaks, Ada is next.
    phones[2].press("turn-done").await?;
    wait_speaker(&facilitator, "queue-speaker", "Grace").await?;
    phones[0].element("queue-cue").await?;
    // The facilitator moves on twice: Ada, then nobody.
    facilitator.press("next-speaker").await?;
    wait_speaker(&phones[0], "queue-speaker", "Ada").await?;
    facilitator.press("next-speaker").await?;
    facilitator.element("queue-speaker-none").await?;
    facilitator.element("airtime-table").await?;
    for page in &phones {
        page.element("queue-empty").await?;
    }

    // A check-in round: everyone once, in random order, the facilitator last.
    facilitator.press("start-check-in").await?;
    screen.element("screen-round").await?;
    let everyone = ["Fran", "Ada", "Grace", "Linus"];
    let mut visited = Vec::new();
    for _ in 0..everyone.len() {
        let name = facilitator
            .wait_for(
                "the next speaker of the round",
                &format!(
                    "const el = document.querySelector('[data-testid=\"queue-speaker\"]');\
                     const name = el && el.textContent.trim();\
                     return name && !{visited:?}.includes(name) ? name : null;",
                    visited = serde_json::to_string(&visited)?
                ),
            )
            .await?;
        let name = name.as_str().unwrap_or_default().to_owned();
        let page = match PEOPLE.iter().position(|person| *person == name) {
            Some(index) => &phones[index],
            None => &facilitator,
        };
        // Each speaker says done on their own device.
        page.press("turn-done").await?;
        visited.push(name);
    }
    assert_eq!(visited.last().map(String::as_str), Some("Fran"));
    let mut sorted = visited.clone();
    sorted.sort();
    let mut all = everyone.map(str::to_owned).to_vec();
    all.sort();
    assert_eq!(sorted, all, "everyone spoke exactly once");
    facilitator.element("start-check-in").await?;
    facilitator.element("queue-speaker-none").await?;
    facilitator.screenshot("queue-facilitator").await?;

    for page in phones {
        page.close().await;
    }
    screen.close().await;
    facilitator.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_raised_hand_is_lowered_by_the_button_that_raised_it() -> anyhow::Result<()> {
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        phones,
        ..
    } = meetup_with_phones(&["Ada"]).await?;
    let ada = &phones[0];
    let entries = |count: usize| {
        format!(
            "return document.querySelectorAll('[data-testid=\"my-entry\"]').length === {count} ? true : null"
        )
    };
    let pressed = |kind: &str, state: &str| {
        format!(
            "return document.querySelector('[data-testid=\"raise-{kind}\"][aria-pressed=\"{state}\"]') ? true : null"
        )
    };

    ada.press("raise-hand").await?;
    ada.wait_for("her hand up", &entries(1)).await?;
    ada.wait_for_text("raise-hand", "Hand raised · Lower")
        .await?;
    ada.press("raise-process").await?;
    ada.wait_for("a point of process too", &pressed("process", "true"))
        .await?;
    ada.wait_for("two hands up", &entries(2)).await?;
    ada.screenshot("queue-hand-raised-phone").await?;
    queue_names(&facilitator, 2).await?;

    // The same buttons lower them, one at a time.
    ada.press("raise-process").await?;
    ada.wait_for("the point of process lowered", &pressed("process", "false"))
        .await?;
    ada.wait_for("one hand up", &entries(1)).await?;
    ada.press("raise-hand").await?;
    ada.wait_for("no hand up", &entries(0)).await?;
    ada.wait_for_text("raise-hand", "Raise hand").await?;
    queue_names(&facilitator, 0).await?;
    Ok(())
}
