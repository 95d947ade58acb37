//! The connection label tells the truth (issue 15, item 4): a browser's
//! `offline` event while the socket survives turns it to offline, and it
//! comes back to live as soon as updates flow again or the browser says it
//! is online, without waiting for a reconnect that never comes. While it
//! is not live it stays in sight however far the page has scrolled. What
//! a phone does while really offline is counted on the label until the
//! server has it.

use moot_shared::Command;
use moot_tests::browser::meetup_with_phones;
use moot_tests::{TestClient, text};

/// Whether this page's connection label is in `state`: `true` or `null`.
fn label_is(state: &str) -> String {
    format!(
        "return document.querySelector('[data-testid=\"connection-status\"][data-state=\"{state}\"]') ? true : null"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_label_tells_the_truth_after_an_offline_blip() -> anyhow::Result<()> {
    let meetup = meetup_with_phones(&["Ada"]).await?;
    let ada = &meetup.phones[0];
    let code = meetup.opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&meetup.server, code, &meetup.opened.token, None).await;
    ada.wait_for("the live label", &label_is("live")).await?;

    // The browser says it is offline while the socket survives (a flaky
    // network): the label says so.
    ada.script("window.dispatchEvent(new Event('offline'))", vec![])
        .await?;
    ada.wait_for("the offline label", &label_is("offline"))
        .await?;
    // Scrolled to the bottom of the page, it is still in sight.
    ada.wait_for(
        "the offline label in sight at the bottom of the page",
        "window.scrollTo(0, document.body.scrollHeight); \
         const label = document.querySelector('[data-testid=\"connection-status\"]').getBoundingClientRect(); \
         return scrollY > 0 && label.top >= 0 && label.bottom <= innerHeight ? true : null;",
    )
    .await?;
    ada.screenshot("connection-offline-phone").await?;
    // An update comes through the same socket: the label is live again.
    fran.run(Command::ProposeTopic {
        title: text("Flaky CI"),
        details: None,
    })
    .await;
    ada.wait_for("live again once updates flow", &label_is("live"))
        .await?;

    // The browser's own `online` event says so too, with nothing to receive.
    ada.script("window.dispatchEvent(new Event('offline'))", vec![])
        .await?;
    ada.wait_for("offline again", &label_is("offline")).await?;
    ada.script("window.dispatchEvent(new Event('online'))", vec![])
        .await?;
    ada.wait_for("live again once the browser is online", &label_is("live"))
        .await?;
    Ok(())
}

/// The label's `data-waiting` count is `count`, or absent for `None`.
fn waiting_is(count: Option<usize>) -> String {
    let selector = match count {
        Some(count) => format!("[data-waiting=\"{count}\"]"),
        None => ":not([data-waiting])".to_owned(),
    };
    format!(
        "return document.querySelector('[data-testid=\"connection-status\"]{selector}') ? true : null"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_phone_does_offline_is_marked_waiting_until_the_server_has_it() -> anyhow::Result<()>
{
    let meetup = meetup_with_phones(&["Ada", "Bo"]).await?;
    let bo = &meetup.phones[1];
    let code = meetup.opened.join_code.as_str();
    bo.track_sockets().await?;
    bo.wait_for("the live label", &label_is("live")).await?;
    bo.wait_for(
        "the page's socket tracked",
        "return window.__sockets?.length ? true : null",
    )
    .await?;
    bo.wait_for("nothing waiting", &waiting_is(None)).await?;

    // A tunnel: the socket drops. A topic proposed now cannot be sent.
    bo.set_offline(true).await?;
    bo.wait_for("the offline label", &label_is("offline"))
        .await?;
    bo.fill("topic-title-input", "Written in a tunnel").await?;
    bo.click("topic-submit").await?;
    bo.wait_for("one action waiting", &waiting_is(Some(1)))
        .await?;
    bo.wait_for_text("connection-status", "1 action waiting")
        .await?;
    bo.fill("topic-title-input", "And another").await?;
    bo.click("topic-submit").await?;
    bo.wait_for("two actions waiting", &waiting_is(Some(2)))
        .await?;
    bo.screenshot("connection-offline-waiting-phone").await?;
    // The server has neither yet.
    let mut watcher = TestClient::rejoin(&meetup.server, code, &meetup.opened.token, None).await;
    let topics = |room: &moot_shared::room::Room| room.board.topics.len();
    assert_eq!(
        watcher.room.as_ref().map(topics),
        Some(0),
        "nothing reached the server while offline"
    );

    // Back on the network: both are sent, answered, and the count goes.
    bo.set_offline(false).await?;
    bo.wait_for("live again", &label_is("live")).await?;
    bo.wait_for("nothing waiting once answered", &waiting_is(None))
        .await?;
    for title in ["Written in a tunnel", "And another"] {
        bo.wait_for(
            &format!("topic {title} on the board"),
            &format!(
                "return [...document.querySelectorAll('[data-testid=\"topic-title\"]')]\
                 .some((el) => el.textContent.includes('{title}')) ? true : null"
            ),
        )
        .await?;
    }
    watcher
        .wait_for("both topics on the server", |room| topics(room) == 2)
        .await?;
    Ok(())
}
