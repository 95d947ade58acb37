//! Facilitator fallback in the browser (issue 16): the facilitator's page
//! closes mid-discussion, the co-facilitator's phone runs the meetup, the
//! shared screen and every phone say who stands in, and the facilitator
//! gets the role back on return. The server's fallback and reclaim periods
//! are shortened so the test does not wait half a minute.

use std::time::Duration;

use moot_server::config::Config;
use moot_tests::browser::{BrowserMeetup, meetup_with_phones_on};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_facilitator_page_leaves_the_meetup_running_on_a_co_facilitators_phone()
-> anyhow::Result<()> {
    let config = Config {
        facilitator_fallback: Duration::from_secs(2),
        // Long enough to see Fran's own page say the role comes back.
        facilitator_reclaim: Duration::from_secs(6),
        ..Config::default()
    };
    let BrowserMeetup {
        server: _server,
        mut driver,
        opened,
        facilitator,
        screen,
        phones,
    } = meetup_with_phones_on(config, &["Ada", "Bo"]).await?;
    let (ada, bo) = (&phones[0], &phones[1]);

    // Fran makes Ada co-facilitator; Ada's phone reloads with the controls.
    facilitator.element("fallback-mode").await?;
    facilitator
        .click_for_participant("Ada", "participant-make-co")
        .await?;
    ada.element("next-speaker").await?;
    // Mid-discussion: Bo waits to speak.
    bo.press("raise-hand").await?;
    ada.element("queue-entry").await?;

    // Fran's page closes. After the fallback period Ada runs the meetup.
    facilitator.close().await;
    screen
        .wait_for_text("stand-in", "Ada runs the meetup while Fran is away")
        .await?;
    bo.wait_for_text("stand-in", "Ada runs the meetup while Fran is away")
        .await?;
    ada.wait_for_text("stand-in", "You run the meetup while Fran is away")
        .await?;
    screen.screenshot("fallback-screen").await?;
    ada.screenshot("fallback-stand-in-phone").await?;

    // Ada calls Bo: the meetup goes on.
    ada.press("next-speaker").await?;
    screen.wait_for_text("screen-speaker", "Bo").await?;
    // Only the facilitator picks the fallback; a stand-in holds that role.
    ada.element("fallback-mode").await?;

    // Fran is back: the role goes back to her after the reclaim period.
    let laptop = driver.session(moot_tests::browser::Screen::Laptop).await?;
    laptop.open(&opened.facilitator_url).await?;
    laptop
        .wait_for_text(
            "stand-in",
            "You're back: the meetup returns to you in a moment",
        )
        .await?;
    bo.wait_for_text("stand-in", "Fran is back and takes over again in a moment")
        .await?;
    laptop.element("fallback-mode").await?;
    screen
        .wait_for(
            "the stand-in notice gone",
            "return document.querySelector('[data-testid=\"stand-in\"]') ? null : true;",
        )
        .await?;
    bo.wait_for(
        "the stand-in notice gone on Bo's phone",
        "return document.querySelector('[data-testid=\"stand-in\"]') ? null : true;",
    )
    .await?;
    Ok(())
}
