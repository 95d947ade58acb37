//! Focus after the main actions (issue 15, item 5): when the control a
//! keyboard or screen-reader user activated goes away (Raise hand becomes
//! the hand's entry, the last dot disables every "+", Done hands the floor
//! on), focus moves to the heading of the card it was in, never to
//! `<body>`; after a vote it is somewhere sensible too. A skip link is the
//! first stop on the page and moves focus to the page itself.

use moot_shared::Command;
use moot_shared::room::poll::{PollKind, Secrecy};
use moot_tests::browser::{Page, meetup_with_phones};
use moot_tests::{TestClient, poll_setup, text};

/// Activates the control as a keyboard does (focus, then Enter, which
/// clicks a button), once it is there and enabled.
async fn activate(page: &Page, selector: &str) -> anyhow::Result<()> {
    page.wait_for(
        &format!("{selector} enabled"),
        &format!(
            "const b = document.querySelector('{selector}');\
             if (b && !b.disabled) {{ b.focus(); b.click(); return true; }} return null;"
        ),
    )
    .await?;
    Ok(())
}

/// Waits until `done` (a JS expression) holds and focus is on an element
/// inside the card `card` (a test id) or on its heading; returns a
/// description of the focused element.
async fn focus_lands_in(page: &Page, what: &str, done: &str, card: &str) -> anyhow::Result<String> {
    let value = page
        .wait_for(
            what,
            &format!(
                "if (!({done})) return null;\
                 const active = document.activeElement;\
                 if (!active || active === document.body) return null;\
                 const card = document.querySelector('[data-testid=\"{card}\"]');\
                 const heading = card && document.getElementById(card.getAttribute('aria-labelledby'));\
                 return card && (card.contains(active) || active === heading)\
                   ? `${{active.tagName}} ${{active.id || active.dataset.testid || ''}}` : null;"
            ),
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn focus_stays_in_the_card_after_each_main_action_and_a_skip_link_leads_in()
-> anyhow::Result<()> {
    let meetup = meetup_with_phones(&["Ada", "Bo"]).await?;
    let bo = &meetup.phones[1];
    let code = meetup.opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&meetup.server, code, &meetup.opened.token, None).await;

    // The skip link comes before every other control, shows when focused
    // and takes focus to the page.
    bo.wait_for(
        "the queue",
        "return document.querySelector('[data-testid=\"raise-hand\"]') ? true : null",
    )
    .await?;
    bo.wait_for(
        "the skip link first, in sight when focused, leading to the page",
        "const link = document.querySelector('[data-testid=\"skip-link\"]');\
         const first = document.querySelector('a[href], button, input, select, textarea');\
         if (!link || first !== link) return null;\
         link.focus();\
         const rect = link.getBoundingClientRect();\
         if (rect.top < 0 || rect.bottom > innerHeight) return null;\
         link.click();\
         return document.activeElement === document.getElementById('main') && location.hash === '' ? true : null;",
    )
    .await?;

    // Raise hand: the button goes, focus stays in the queue's card.
    activate(bo, "[data-testid=\"raise-hand\"]").await?;
    let after_raise = focus_lands_in(
        bo,
        "focus in the queue after raising a hand",
        "document.querySelector('[data-testid=\"my-entry\"]')",
        "queue-card",
    )
    .await?;

    // Done: Bo speaks, ends the turn; the button goes, focus stays.
    fran.run(Command::NextSpeaker { turn: None }).await;
    activate(bo, "[data-testid=\"turn-done\"]").await?;
    let after_done = focus_lands_in(
        bo,
        "focus in the queue after Done",
        "!document.querySelector('[data-testid=\"turn-done\"]')",
        "queue-card",
    )
    .await?;

    // The third and last dot: every "+" is disabled, focus stays on the board.
    for title in ["Flaky CI", "Onboarding"] {
        fran.run(Command::ProposeTopic {
            title: text(title),
            details: None,
        })
        .await;
    }
    for left in [2, 1, 0] {
        activate(bo, "[data-testid=\"place-dot\"]").await?;
        bo.wait_for(
            &format!("{left} dots left"),
            &format!(
                "return document.querySelector('[data-testid=\"dots-left\"][data-left=\"{left}\"]') ? true : null"
            ),
        )
        .await?;
    }
    let after_last_dot = focus_lands_in(
        bo,
        "focus on the board after the last dot",
        "document.querySelector('[data-testid=\"dots-left\"]').dataset.left === '0'",
        "board-card",
    )
    .await?;

    // A vote: focus stays in the poll's card.
    fran.run(Command::OpenPoll {
        setup: poll_setup(
            "Move the release train to Thursdays?",
            PollKind::Roman,
            Secrecy::Open,
        ),
    })
    .await;
    activate(bo, "[data-testid=\"poll-option\"][data-choice=\"0\"]").await?;
    let after_vote = focus_lands_in(
        bo,
        "focus in the poll after voting",
        "document.querySelector('[data-testid=\"poll-option\"][aria-pressed=\"true\"]')",
        "poll-card",
    )
    .await?;
    bo.screenshot("focus-after-vote-phone").await?;
    eprintln!(
        "focus after raise: {after_raise}; done: {after_done}; last dot: {after_last_dot}; vote: {after_vote}"
    );
    Ok(())
}
