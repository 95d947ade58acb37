//! Two bundles of the web app: phones load the participant bundle, which
//! leaves out every facilitator control; the start page, the shared screen
//! and whoever runs the meetup get the full app. A phone made co-facilitator
//! switches to the full app in place and keeps its seat.

use moot_tests::TestServer;
use moot_tests::browser::{Driver, Page, Screen, meetup_with_phones, testid};

/// Which bundle the page's loader picked (`<html data-bundle>`).
async fn bundle(page: &Page) -> anyhow::Result<String> {
    let value = page
        .wait_for(
            "the loader's choice",
            "return document.documentElement.dataset.bundle || null",
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// Whether an element with this test id is on the page now.
async fn shows(page: &Page, id: &str) -> anyhow::Result<bool> {
    let probe = format!("return document.querySelector('{}') !== null", testid(id));
    Ok(page.script(&probe, Vec::new()).await?.as_bool() == Some(true))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_load_the_participant_bundle_and_a_new_co_facilitator_the_full_app()
-> anyhow::Result<()> {
    let meetup = meetup_with_phones(&["Ada", "Grace"]).await?;
    let (facilitator, ada, grace) = (&meetup.facilitator, &meetup.phones[0], &meetup.phones[1]);

    facilitator.element("lock-toggle").await?;
    assert_eq!(bundle(facilitator).await?, "full");
    assert_eq!(bundle(&meetup.screen).await?, "full");
    for phone in [ada, grace] {
        assert_eq!(bundle(phone).await?, "participant");
        // The phone is in the room, with none of the facilitator's controls.
        phone.element("queue-card").await?;
        for control in [
            "lock-toggle",
            "queue-controls",
            "timer-controls",
            "poll-launcher",
        ] {
            assert!(!shows(phone, control).await?, "a phone shows {control}");
        }
    }

    // The facilitator makes Ada co-facilitator: her phone reloads into the
    // full app by itself and shows the controls, as the same person.
    facilitator
        .click_for_participant("Ada", "participant-make-co")
        .await?;
    ada.element("lock-toggle").await?;
    assert_eq!(bundle(ada).await?, "full");
    let address = ada.script("return location.search", Vec::new()).await?;
    assert_eq!(address.as_str(), Some("?facilitate"));
    // Same person, same seat: she is still Ada, and nobody new joined.
    assert_eq!(ada.text("me-name").await?, "Ada");
    assert_eq!(facilitator.participants().await?.len(), 3);
    ada.screenshot("co-facilitator-full-app").await?;

    // Grace stays on the participant bundle.
    assert_eq!(bundle(grace).await?, "participant");
    assert!(!shows(grace, "lock-toggle").await?);

    // A reload keeps Ada on the full app straight away.
    ada.client.refresh().await?;
    ada.element("lock-toggle").await?;
    assert_eq!(bundle(ada).await?, "full");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_whose_app_cannot_load_says_so_and_tries_again() -> anyhow::Result<()> {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Platform guild", "Fran").await;
    let mut driver = Driver::start().await?;
    let phone = driver.session(Screen::Phone).await?;
    // The page loads, but the wasm does not, as on a network that drops out.
    phone.block_urls(&["*.wasm.lzma"]).await?;
    phone.open(&opened.join_url).await?;
    let note = phone
        .wait_for(
            "the could-not-load note",
            "const note = document.querySelector('[role=\"alert\"]'); return note ? note.textContent : null",
        )
        .await?;
    assert!(
        note.as_str().unwrap_or_default().contains("could not load"),
        "{note}"
    );
    // The network comes back: the page's own retry brings the app up.
    phone.block_urls(&[]).await?;
    phone.element("join-name").await?;
    assert_eq!(bundle(&phone).await?, "participant");
    phone.close().await;
    Ok(())
}
