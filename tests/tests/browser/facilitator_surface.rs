//! The facilitator's control surface on a laptop (issue 15, item 1): at
//! 1280×800 the facilitator's page is one viewport in regions, with no
//! document scrolling, through a compressed meetup: empty (the invitation
//! with code, link, QR code and the shared screen at the top), mid-
//! discussion (six topics, a speaker and four waiting, a timer running) and
//! with a poll open. In each, every control a facilitator uses is inside the
//! viewport and not clipped by its region; the primary action sits in the
//! same place and its `N` key performs it (not while typing); End and
//! Delete are not on the surface until the settings panel is opened, and
//! per-person actions are one click away in a menu on the person. The five
//! people run over the protocol; the facilitator's page is real Chromium.
//! Screenshots of each situation.

use moot_shared::Command;
use moot_shared::room::poll::{PollId, PollKind, Secrecy};
use moot_shared::room::queue::EntryKind;
use moot_tests::browser::{Driver, FITS_IN_VIEWPORT, Page, Screen};
use moot_tests::{TestClient, TestServer, poll_setup, text};
use serde_json::{Value, json};

/// What every situation of a live meetup shows the facilitator: the primary
/// action, the menus of the bar (the agenda's among them) and the people.
const ALWAYS: [&str; 6] = [
    "primary-action",
    "settings-toggle",
    "poll-menu-toggle",
    "rounds-menu-toggle",
    "participant-list",
    "agenda-menu-toggle",
];

/// Waits until `ids` (and [`ALWAYS`]) are reachable without scrolling;
/// on a timeout, says which are not and keeps a screenshot.
async fn reachable(page: &Page, situation: &str, ids: &[&str]) -> anyhow::Result<()> {
    let ids: Vec<&str> = ALWAYS.iter().chain(ids).copied().collect();
    let probe = format!(
        "return (function() {{ {FITS_IN_VIEWPORT} }}).apply(null, [{}]);",
        serde_json::to_string(&ids)?
    );
    if let Err(error) = page
        .wait_for(&format!("{situation} in reach"), &probe)
        .await
    {
        let problems = page.script("return window.__fitProblems", vec![]).await?;
        page.screenshot(&format!("facilitator-surface-failed-{situation}"))
            .await?;
        anyhow::bail!("{situation}: {problems} ({error})");
    }
    page.assert_accessible(&format!("facilitator-{situation}"))
        .await?;
    Ok(())
}

/// Whether the element with this test id is shown (a control inside a
/// closed menu is not).
async fn shown(page: &Page, id: &str) -> anyhow::Result<bool> {
    let value = page
        .script(
            "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             if (!el || !el.checkVisibility()) return false; const box = el.getBoundingClientRect();\
             return box.width > 0 && box.height > 0;",
            vec![json!(id)],
        )
        .await?;
    Ok(value == Value::Bool(true))
}

/// Asserts that the primary action is where it was: the same left edge and
/// size, its top within 2 px (the bar centres it; a wrapped header line
/// moves it by a pixel).
fn same_place(now: &[i64], before: &[i64], situation: &str) {
    assert_eq!(
        (now[0], now[2], now[3]),
        (before[0], before[2], before[3]),
        "{situation}: the primary action moved or changed size"
    );
    assert!(
        (now[1] - before[1]).abs() <= 2,
        "{situation}: the primary action moved from {before:?} to {now:?}"
    );
}

/// Where the primary action is: its left, top, width and height.
async fn primary_place(page: &Page) -> anyhow::Result<Vec<i64>> {
    let place = page
        .script(
            "const b = document.querySelector('[data-testid=\"primary-action\"]').getBoundingClientRect();\
             return [b.left, b.top, b.width, b.height].map(Math.round);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(place)?)
}

/// Presses `N` with nothing focused, as a facilitator would with the page
/// in front of them.
async fn press_shortcut(page: &Page) -> anyhow::Result<()> {
    page.script(
        "document.activeElement && document.activeElement.blur()",
        vec![],
    )
    .await?;
    page.client.active_element().await?.send_keys("n").await?;
    Ok(())
}

/// End and Delete are in the settings panel, not on the surface; opening
/// the panel (one click) shows them, and Escape closes it again.
async fn destructive_actions_tucked_away(page: &Page, situation: &str) -> anyhow::Result<()> {
    for id in ["end-meetup", "delete-meetup", "lock-toggle"] {
        assert!(!shown(page, id).await?, "{situation}: {id} on the surface");
    }
    page.click("settings-toggle").await?;
    page.wait_for(
        "the settings panel",
        "const el = document.querySelector('[data-testid=\"end-meetup\"]'); return el && el.checkVisibility() ? true : null",
    )
    .await?;
    let ids = ["end-meetup", "delete-meetup", "lock-toggle"];
    let probe = format!(
        "return (function() {{ {FITS_IN_VIEWPORT} }}).apply(null, [{}]);",
        serde_json::to_string(&ids[..1])?
    );
    page.wait_for(&format!("{situation}: End in reach"), &probe)
        .await?;
    page.screenshot(&format!("facilitator-surface-{situation}-settings"))
        .await?;
    page.client
        .active_element()
        .await?
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await?;
    page.wait_for(
        "the settings panel to close",
        "const el = document.querySelector('[data-testid=\"end-meetup\"]'); return el && !el.checkVisibility() ? true : null",
    )
    .await?;
    // Focus is back on the summary that opened it.
    let focus = page
        .script(
            "return document.activeElement && document.activeElement.dataset.testid",
            vec![],
        )
        .await?;
    assert_eq!(focus, json!("settings-toggle"), "{situation}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_runs_a_meetup_from_one_laptop_screen() -> anyhow::Result<()> {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Platform guild", "Fran").await;
    let code = opened.join_code.as_str().to_owned();
    // Fran's second device: the harness sets the meetup up through it, so
    // the page shows each situation exactly.
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let mut driver = Driver::start().await?;
    let page = driver.session(Screen::Laptop).await?;
    page.set_viewport(1280, 800).await?;
    page.open(&opened.facilitator_url).await?;
    page.element("facilitator-surface").await?;

    // Empty: the invitation, complete, at the top of the page.
    reachable(
        &page,
        "empty",
        &[
            "invite-code",
            "join-link",
            "invite-qr",
            "open-screen-link",
            "copy-join-link",
        ],
    )
    .await?;
    page.wait_for(
        "the QR code",
        "const img = document.querySelector('[data-testid=\"invite-qr\"]'); return img && img.complete && img.naturalWidth > 0 ? true : null",
    )
    .await?;
    let invite_top = page
        .script(
            "return Math.round(document.querySelector('[data-testid=\"invite-panel\"]').getBoundingClientRect().top)",
            vec![],
        )
        .await?;
    assert!(
        invite_top.as_i64().is_some_and(|top| top < 200),
        "the invitation starts at {invite_top}"
    );
    let shown_code: String = page
        .text("invite-code")
        .await?
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    assert_eq!(shown_code, code);
    let primary = primary_place(&page).await?;
    page.screenshot("facilitator-surface-empty").await?;
    destructive_actions_tucked_away(&page, "empty").await?;

    // Five people join; the invitation moves into the bar, one click away.
    let names = ["Ada", "Bo", "Chloé", "Dmitri", "Esperanza"];
    let mut people = Vec::new();
    for name in names {
        people.push(TestClient::join(&server, &code, name).await);
    }
    page.wait_for(
        "everyone on the page",
        "return document.querySelectorAll('[data-testid=\"participant\"]').length === 6 ? true : null",
    )
    .await?;
    assert!(!shown(&page, "invite-panel").await?);
    assert!(!shown(&page, "join-link").await?);
    reachable(
        &page,
        "joined",
        &["invite-menu-toggle", "participant-menu-toggle"],
    )
    .await?;

    // Mid-discussion: six topics, the first taken up with its timebox, one
    // person speaking and four waiting.
    for (index, title) in [
        "Flaky CI on the release branch",
        "Onboarding docs for the new platform team",
        "On-call rota over the holidays",
        "Which dashboards do we still need?",
        "Pairing across time zones",
        "Retire the old deploy scripts",
    ]
    .into_iter()
    .enumerate()
    {
        people[index % names.len()]
            .run(Command::ProposeTopic {
                title: text(title),
                details: None,
            })
            .await;
    }
    fran.run(Command::StartTopic {
        topic: moot_shared::room::board::TopicId(1),
    })
    .await;
    fran.run(Command::StartTimer { duration_secs: 420 }).await;
    let kinds = [
        EntryKind::NewPoint,
        EntryKind::BuildOn,
        EntryKind::Clarifying,
        EntryKind::NewPoint,
        EntryKind::NewPoint,
    ];
    for (person, kind) in people.iter_mut().zip(kinds) {
        person.run(Command::RaiseHand { kind, note: None }).await;
    }
    fran.run(Command::NextSpeaker { turn: None }).await;
    page.wait_for(
        "four waiting",
        "return document.querySelectorAll('[data-testid=\"queue-entry\"]').length === 4 ? true : null",
    )
    .await?;
    reachable(
        &page,
        "discussing",
        &[
            "queue-speaker",
            "queue-entry",
            "entry-give-floor",
            "next-speaker",
            "timer-countdown",
            "timer-pause",
            "timer-plus",
            "current-topic-title",
            "finish-topic",
            "start-next",
            "board-controls",
            "participant-menu-toggle",
            "invite-menu-toggle",
        ],
    )
    .await?;
    page.wait_for_text("primary-action", "Next speaker").await?;
    same_place(&primary_place(&page).await?, &primary, "discussing");
    page.screenshot("facilitator-surface-discussing").await?;
    destructive_actions_tucked_away(&page, "discussing").await?;

    // Per-person actions: one click on the person opens them; Escape closes.
    assert!(!shown(&page, "participant-remove").await?);
    page.client
        .find(fantoccini::Locator::XPath(
            "//li[@data-testid='participant'][.//*[@data-testid='participant-name' and normalize-space(.)='Ada']]//*[@data-testid='participant-menu-toggle']",
        ))
        .await?
        .click()
        .await?;
    let person_menu = [
        "participant-make-co",
        "participant-hand-over",
        "participant-remove",
    ];
    for id in person_menu {
        page.wait_for(
            &format!("{id} in Ada's menu"),
            &format!(
                "const el = [...document.querySelectorAll('[data-testid=\"{id}\"]')].find(el => el.checkVisibility()); return el ? true : null"
            ),
        )
        .await?;
    }
    page.screenshot("facilitator-surface-person-menu").await?;
    page.client
        .active_element()
        .await?
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await?;
    page.wait_for(
        "Ada's menu to close",
        "return document.querySelector('details.fac-person-menu[open]') ? null : true",
    )
    .await?;

    // The shortcut calls the next speaker; typed into a field, it is a letter.
    let speaker = page.text("queue-speaker").await?;
    page.fill("timer-minutes", "nnn").await?;
    assert_eq!(
        page.text("queue-speaker").await?,
        speaker,
        "typing n moved the queue"
    );
    page.fill("timer-minutes", "5").await?;
    press_shortcut(&page).await?;
    page.wait_for(
        "the next speaker",
        &format!(
            "const el = document.querySelector('[data-testid=\"queue-speaker\"]'); return el && el.textContent !== {speaker:?} && document.querySelectorAll('[data-testid=\"queue-entry\"]').length === 3 ? true : null"
        ),
    )
    .await?;

    // A poll open, with who has voted: its reveal is in reach and is the
    // primary action, in the same place; the shortcut reveals it.
    fran.run(Command::OpenPoll {
        setup: poll_setup(
            "Do we move the release train to Thursdays?",
            PollKind::Roman,
            Secrecy::Open,
        ),
    })
    .await;
    for (person, choice) in people.iter_mut().zip([0, 0, 1]) {
        person
            .run(Command::CastVote {
                poll: PollId(1),
                choice,
                reason: None,
            })
            .await;
    }
    page.wait_for_text("poll-count", "3").await?;
    reachable(
        &page,
        "poll",
        &[
            "poll-question",
            "poll-count",
            "poll-waiting",
            "poll-reveal",
            "poll-close",
            "queue-speaker",
            "next-speaker",
            "timer-pause",
            "board-controls",
        ],
    )
    .await?;
    page.wait_for_text("primary-action", "Reveal").await?;
    same_place(&primary_place(&page).await?, &primary, "poll open");
    page.screenshot("facilitator-surface-poll").await?;
    destructive_actions_tucked_away(&page, "poll").await?;
    press_shortcut(&page).await?;
    page.element("poll-results").await?;
    page.wait_for_text("primary-action", "Next speaker").await?;
    reachable(
        &page,
        "poll-revealed",
        &["poll-results", "poll-reopen", "next-speaker"],
    )
    .await?;
    page.screenshot("facilitator-surface-poll-revealed").await?;
    page.close().await;
    Ok(())
}
