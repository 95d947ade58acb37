//! The connection label tells the truth (issue 15, item 4): a browser's
//! `offline` event while the socket survives turns it to offline, and it
//! comes back to live as soon as updates flow again or the browser says it
//! is online, without waiting for a reconnect that never comes. While it
//! is not live it stays in sight however far the page has scrolled.

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
