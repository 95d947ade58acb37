//! The phone shows "now" first and the rest one tap away (issue 15, item
//! 3): a section bar fixed at the bottom jumps to the topics, the queue and
//! one's own things, each landing clear of the sticky timer and the bar,
//! with focus moved there; its badges say what waits (dots left, one's
//! place in the queue); and its hand toggle raises and lowers a hand from
//! whichever section is in view. After the end nothing live is left: the
//! top says it ended, offers the minutes and lists one's action items.

use moot_shared::Command;
use moot_shared::room::board::TopicId;
use moot_shared::room::poll::{PollKind, Secrecy};
use moot_shared::room::queue::EntryKind;
use moot_tests::browser::{Page, meetup_with_phones};
use moot_tests::{TestClient, poll_setup, text};

/// Waits until the section `id`'s heading `heading` is in view between the
/// sticky timer and the bar, with focus on the section.
async fn landed_on(page: &Page, section: &str, heading: &str) -> anyhow::Result<()> {
    page.wait_for(
        &format!("{heading} in view and {section} focused"),
        &format!(
            "const heading = document.getElementById('{heading}').getBoundingClientRect(); \
             const timer = document.querySelector('.timer-card').getBoundingClientRect(); \
             const bar = document.querySelector('[data-testid=\"phone-nav\"]').getBoundingClientRect(); \
             return heading.top >= timer.bottom - 1 && heading.bottom <= bar.top + 1 \
               && document.activeElement && document.activeElement.id === '{section}' ? true : null"
        ),
    )
    .await?;
    Ok(())
}

/// Waits until the bar's button `id` reads `text` (badges included).
async fn bar_reads(page: &Page, id: &str, text: &str) -> anyhow::Result<()> {
    page.wait_for(
        &format!("{id} to read {text:?}"),
        &format!(
            "const button = document.querySelector('[data-testid=\"{id}\"]'); \
             return button && button.textContent.trim() === '{text}' ? true : null"
        ),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_reaches_every_section_in_one_tap_and_raises_a_hand_from_any() -> anyhow::Result<()>
{
    let meetup = meetup_with_phones(&["Ada", "Bo"]).await?;
    let ada = &meetup.phones[0];
    let code = meetup.opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&meetup.server, code, &meetup.opened.token, None).await;
    // A board long enough to be far down the page, a poll on stage and a
    // timer running: a phone mid-meetup.
    for title in [
        "Flaky CI",
        "Onboarding documentation",
        "On-call rotation",
        "Team lunch",
        "Release trains",
        "Pairing days",
    ] {
        fran.run(Command::ProposeTopic {
            title: text(title),
            details: None,
        })
        .await;
    }
    fran.run(Command::OpenPoll {
        setup: poll_setup("Do we try pairing days?", PollKind::Roman, Secrecy::Secret),
    })
    .await;
    fran.run(Command::StartTimer { duration_secs: 420 }).await;

    // The bar sits at the bottom of the screen, the poll at the top.
    ada.element("poll-question").await?;
    ada.element("timer-card").await?;
    ada.wait_for(
        "the bar at the bottom, the poll in view",
        "const bar = document.querySelector('[data-testid=\"phone-nav\"]').getBoundingClientRect(); \
         const poll = document.querySelector('[data-testid=\"poll-question\"]').getBoundingClientRect(); \
         return Math.abs(bar.bottom - innerHeight) < 1 && poll.bottom <= bar.top ? true : null",
    )
    .await?;
    bar_reads(ada, "nav-section-topics", "Topics 3").await?;
    ada.screenshot("phone-nav-now").await?;

    // One tap to the board; a dot placed there counts down on the bar.
    ada.click("nav-section-topics").await?;
    landed_on(ada, "section-topics", "board-heading").await?;
    ada.press("place-dot").await?;
    bar_reads(ada, "nav-section-topics", "Topics 2").await?;
    ada.screenshot("phone-nav-topics").await?;

    // A hand goes up from the board, without leaving it (the queue above
    // grows; the board stays where the eyes are).
    ada.click("nav-raise-hand").await?;
    fran.wait_for("Ada's hand up", |room| {
        room.queue
            .entries
            .iter()
            .any(|entry| entry.kind == EntryKind::NewPoint)
    })
    .await?;
    ada.wait_for(
        "the bar's hand pressed and the big button raised",
        "return document.querySelector('[data-testid=\"nav-raise-hand\"][aria-pressed=\"true\"]') \
           && document.querySelector('[data-testid=\"raise-hand\"].raised') ? true : null",
    )
    .await?;
    bar_reads(ada, "nav-section-queue", "Queue #1").await?;
    ada.wait_for(
        "the board still in view",
        "const heading = document.getElementById('board-heading').getBoundingClientRect(); \
         return heading.top >= 0 && heading.bottom <= innerHeight ? true : null",
    )
    .await?;

    // The queue, one tap away; the same toggle lowers the hand.
    ada.click("nav-section-queue").await?;
    landed_on(ada, "section-queue", "queue-heading").await?;
    ada.click("nav-raise-hand").await?;
    fran.wait_for("Ada's hand down", |room| room.queue.entries.is_empty())
        .await?;
    bar_reads(ada, "nav-section-queue", "Queue").await?;

    // When Ada's turn comes, the top of her phone says so with its Done,
    // wherever she was.
    ada.click("nav-raise-hand").await?;
    fran.wait_for("Ada's hand up again", |room| !room.queue.entries.is_empty())
        .await?;
    ada.wait_for(
        "you're next at the top",
        "return document.querySelector('#section-now [data-testid=\"now-next\"]') ? true : null",
    )
    .await?;
    fran.run(Command::NextSpeaker { turn: None }).await;
    ada.click("nav-section-now").await?;
    ada.wait_for(
        "your turn at the top, in view",
        "const cue = document.querySelector('[data-testid=\"now-turn\"]'); \
         return cue && cue.getBoundingClientRect().bottom <= innerHeight \
           && !document.querySelector('[data-testid=\"now-next\"]') ? true : null",
    )
    .await?;
    ada.screenshot("phone-nav-your-turn").await?;
    ada.press("now-turn-done").await?;
    fran.wait_for("Ada's turn over", |room| room.queue.speaker.is_none())
        .await?;
    ada.wait_for(
        "the cue gone",
        "return document.querySelector('[data-testid=\"now-turn\"]') ? null : true",
    )
    .await?;

    // One's own things, and back to the top.
    ada.click("nav-section-mine").await?;
    landed_on(ada, "section-mine", "people-heading").await?;
    ada.click("nav-section-now").await?;
    ada.wait_for(
        "back at the top",
        "return scrollY === 0 && document.activeElement.id === 'section-now' ? true : null",
    )
    .await?;

    // After the end nothing live is left: no bar, no hand to raise. The top
    // says it ended, offers the minutes and lists Ada's own action items.
    fran.run(Command::AddActionItem {
        topic: TopicId(1),
        text: text("Draft the pairing-day calendar"),
        owner: fran.participant_named("Ada"),
        due: None,
    })
    .await;
    fran.run(Command::EndMeetup).await;
    ada.element("ended-banner").await?;
    ada.wait_for(
        "the bar and the live cards gone, the end and Ada's items on top",
        "const top = (id) => document.querySelector(`[data-testid=\"${id}\"]`)?.getBoundingClientRect().top; \
         return !document.querySelector('[data-testid=\"phone-nav\"]') \
           && !document.querySelector('[data-testid=\"raise-hand\"]') \
           && !document.querySelector('[data-testid=\"poll-card\"]') \
           && top('ended-banner') < top('phone-minutes-download') \
           && top('phone-minutes-download') < top('my-action-items') \
           && top('my-action-items') < innerHeight ? true : null",
    )
    .await?;
    ada.wait_for_text("my-action-items", "Draft the pairing-day calendar")
        .await?;
    ada.screenshot("phone-ended").await?;
    let minutes = ada.download("phone-minutes-download").await?;
    assert!(minutes.contains("# Platform guild"), "{minutes}");
    assert!(
        minutes.contains("Draft the pairing-day calendar — Ada"),
        "{minutes}"
    );
    Ok(())
}
