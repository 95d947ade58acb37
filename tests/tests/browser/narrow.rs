//! A phone 320 CSS pixels wide (issue 15, item 3): through a meetup, no
//! button's label runs out of its button (a word too long for it would,
//! since buttons break only between words) and none is hyphenated, and
//! the page never scrolls sideways. Measured in every situation a phone
//! meets: the lobby, a hand up, each poll kind with built-in answers open,
//! the board with dots, a topic under discussion with its outcomes, and the
//! end.

use moot_shared::Command;
use moot_shared::room::board::TopicId;
use moot_shared::room::poll::{PollId, PollKind, Secrecy};
use moot_tests::browser::{Page, meetup_with_phones};
use moot_tests::{TestClient, poll_setup, text};

/// Every visible button or button-like link whose label does not fit it
/// or is hyphenated, or whose `aria-label` does not contain what it shows
/// (a voice-control user says what they see), and a page wider than the
/// viewport. (The primary action's label is cut with an ellipsis on
/// purpose: its `title` has it whole.)
const LABELS_FIT: &str = "\
    const problems = [...document.querySelectorAll('button, .button')]\
      .filter((b) => b.checkVisibility() && !b.classList.contains('fac-primary'))\
      .filter((b) => b.scrollWidth > b.clientWidth + 1 || getComputedStyle(b).hyphens === 'auto')\
      .map((b) => `${b.dataset.testid || b.className} \"${b.textContent.trim()}\" ${b.scrollWidth} > ${b.clientWidth}`);\
    for (const b of document.querySelectorAll('button[aria-label], .button[aria-label]')) {\
      const shown = b.innerText.trim();\
      if (b.checkVisibility() && shown && !b.getAttribute('aria-label').toLowerCase().includes(shown.toLowerCase()))\
        problems.push(`${b.dataset.testid || b.className} shows \"${shown}\" but is named \"${b.getAttribute('aria-label')}\"`);\
    }\
    if (document.documentElement.scrollWidth > innerWidth) problems.push(`page ${document.documentElement.scrollWidth} wide`);\
    return problems;";

pub(crate) async fn labels_fit(page: &Page, situation: String) -> anyhow::Result<()> {
    let problems = page.script(LABELS_FIT, vec![]).await?;
    let problems: Vec<String> = serde_json::from_value(problems)?;
    page.screenshot(&format!("narrow-{situation}")).await?;
    assert!(problems.is_empty(), "{situation}: {problems:?}");
    page.assert_accessible(&format!("phone-{situation}"))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_button_label_fits_a_320_pixel_phone_through_a_meetup() -> anyhow::Result<()> {
    through_a_meetup_at_320_pixels(None).await
}

/// German words are longer: the same walk with the phone switched to German
/// by its language switch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_german_button_label_fits_a_320_pixel_phone_through_a_meetup() -> anyhow::Result<()> {
    through_a_meetup_at_320_pixels(Some("de")).await
}

/// Walks Bo's 320 px phone through a meetup, in `language` if given (set
/// with the page's language switch), measuring the labels everywhere.
async fn through_a_meetup_at_320_pixels(language: Option<&str>) -> anyhow::Result<()> {
    let meetup = meetup_with_phones(&["Ada", "Bo"]).await?;
    let bo = &meetup.phones[1];
    let code = meetup.opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&meetup.server, code, &meetup.opened.token, None).await;
    bo.set_phone_viewport(320, 640).await?;
    bo.element("raise-hand").await?;
    let suffix = match language {
        Some(language) => {
            bo.click("language-switch").await?;
            bo.wait_for(
                "the page in the chosen language",
                &format!(
                    "return document.documentElement.lang === '{language}' \
                       && document.querySelector('[data-testid=\"raise-hand\"]') ? true : null"
                ),
            )
            .await?;
            format!("-{language}")
        }
        None => String::new(),
    };
    let labels_fit = |page, situation: &str| labels_fit(page, format!("{situation}{suffix}"));
    labels_fit(bo, "lobby").await?;

    bo.press("raise-hand").await?;
    bo.press("raise-clarifying").await?;
    bo.wait_for(
        "the hand raised",
        "return document.querySelector('[data-testid=\"raise-hand\"].raised') ? true : null",
    )
    .await?;
    bo.wait_for(
        "two hands up",
        "return document.querySelectorAll('[data-testid=\"my-entry\"]').length === 2 ? true : null",
    )
    .await?;
    labels_fit(bo, "hands-up").await?;

    // Every kind with built-in answers (a custom poll's are the facilitator's).
    let kinds = PollKind::ALL
        .into_iter()
        .filter(|kind| *kind != PollKind::Custom);
    for (number, kind) in (1..).zip(kinds) {
        fran.run(Command::OpenPoll {
            setup: poll_setup(
                "Do we move the release train to Thursdays?",
                kind,
                Secrecy::Open,
            ),
        })
        .await;
        bo.wait_for(
            &format!("poll {number} open"),
            &format!(
                "return document.querySelector('[data-testid=\"poll-card\"][data-poll=\"{number}\"] [data-testid=\"poll-option\"]') ? true : null"
            ),
        )
        .await?;
        labels_fit(bo, &format!("poll-{kind:?}").to_lowercase()).await?;
        fran.run(Command::ClosePoll {
            poll: PollId(number),
        })
        .await;
    }

    for title in [
        "Onboarding documentation for the new platform engineers",
        "Flaky CI",
    ] {
        fran.run(Command::ProposeTopic {
            title: text(title),
            details: None,
        })
        .await;
    }
    bo.press("place-dot").await?;
    bo.wait_for(
        "a dot placed",
        "return document.querySelector('[data-testid=\"dots-left\"][data-left=\"2\"]') ? true : null",
    )
    .await?;
    labels_fit(bo, "board").await?;

    fran.run(Command::StartTopic { topic: TopicId(1) }).await;
    fran.run(Command::StartTimer { duration_secs: 420 }).await;
    bo.element("outcomes-card").await?;
    labels_fit(bo, "discussing").await?;

    fran.run(Command::EndMeetup).await;
    bo.element("ended-banner").await?;
    labels_fit(bo, "ended").await?;
    Ok(())
}
