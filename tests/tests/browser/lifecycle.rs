//! The end of a meetup and the next one, in real Chromium: the facilitator
//! ends the meetup and every phone says so; the facilitator starts the next
//! meetup of the series from the page, which opens with the carried action
//! item under review, and marks it done. The phone follows the group there in
//! one tap under the same name, the shared screen moves by itself, and the
//! topic the phone proposed in the first meetup is still its own.

use moot_shared::Command;
use moot_shared::room::board::TopicId;
use moot_tests::browser::{Driver, Screen};
use moot_tests::{TestClient, TestServer, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meetup_ends_and_the_next_one_reviews_what_it_carried() -> anyhow::Result<()> {
    assert!(
        moot_server::assets::web_app_built(),
        "run `cargo xtask test`, which builds the web app first"
    );
    let server = TestServer::start().await;
    let opened = server.open_meetup("Platform guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut driver = Driver::start().await?;

    let facilitator = driver.session(Screen::Laptop).await?;
    facilitator.open(&opened.facilitator_url).await?;
    facilitator.element("me-name").await?;
    let phone = driver.session(Screen::Phone).await?;
    phone.open(&format!("{}/j/{code}", server.base_url)).await?;
    phone.fill("join-name", "Ada").await?;
    phone.click("join-submit").await?;
    phone.element("me-name").await?;
    let screen = driver.session(Screen::Laptop).await?;
    screen.open(&opened.screen_url).await?;
    screen.element("screen-view").await?;

    // Outcomes to carry: a topic discussed with an action item for Ada, and
    // one never discussed (set up over the protocol; the board's own UI has
    // its own test).
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    fran.wait_for("Ada", |room| room.active_participants().count() == 2)
        .await?;
    let ada = fran.participant_named("Ada");
    fran.run(Command::ProposeTopic {
        title: text("Flaky CI"),
        details: None,
    })
    .await;
    // Ada proposes the topic that will carry over, from her phone.
    phone.propose_topic("Onboarding docs").await?;
    fran.run(Command::StartTopic { topic: TopicId(1) }).await;
    let action = Command::AddActionItem {
        topic: TopicId(1),
        text: text("Quarantine the flaky suites"),
        owner: ada,
        due: None,
    };
    fran.run(action).await;
    phone.element("my-actions-download").await?;
    // Mid-meetup the phone offers the queue.
    phone.element("raise-hand").await?;

    // The facilitator ends the meetup; the phone says so.
    facilitator.click("end-meetup").await?;
    facilitator.client.accept_alert().await?;
    phone.element("ended-banner").await?;
    // Nothing live is left on the phone: no queue to join, no timer, no
    // topic to propose or dot to place; the downloads stay.
    phone
        .wait_for(
            "the live cards gone from the ended meetup's phone",
            "return ['raise-hand', 'queue-card', 'timer-card', 'board-card', 'outcomes-card']
                .some(id => document.querySelector(`[data-testid=\"${id}\"]`)) ? null : true;",
        )
        .await?;
    phone.element("my-actions-download").await?;
    phone.screenshot("lifecycle-ended-phone").await?;
    // The shared screen thanks the room and says what came of it; it no
    // longer invites anyone to join.
    screen
        .wait_for_text("screen-ended", "1 topic discussed · 1 action item")
        .await?;
    let invites = screen
        .script(
            "return !!document.querySelector('[data-testid=\"screen-qr\"], [data-testid=\"screen-join-code\"]')",
            Vec::new(),
        )
        .await?;
    assert_eq!(invites, serde_json::Value::Bool(false));
    screen.screenshot("lifecycle-ended-screen").await?;

    // The next meetup of the series, from the facilitator's page.
    facilitator
        .fill("next-title", "Platform guild, December")
        .await?;
    facilitator.click("next-meetup").await?;
    facilitator
        .wait_for("the new meetup", "const title = document.querySelector('[data-testid=\"room-title\"]'); return title && title.textContent.includes('December') ? true : null")
        .await?;
    facilitator.element("review-card").await?;
    let carried = facilitator
        .wait_for(
            "the carried topic",
            "return document.body.innerText.includes('Onboarding docs') ? true : null",
        )
        .await;
    assert!(carried.is_ok(), "the undiscussed topic is on the new board");
    facilitator.click("review-done").await?;
    facilitator
        .wait_for("the item marked done", "return document.querySelector('[data-testid=\"review-item\"][data-outcome=\"done\"]') ? true : null")
        .await?;
    facilitator.screenshot("lifecycle-review").await?;

    // Ada's phone, still on the ended meetup, offers the next one; one tap
    // and she is in it, as Ada. The shared screen has moved there already.
    phone.wait_for_text("next-meetup", "next meetup").await?;
    phone
        .script(
            "document.querySelector('[data-testid=\"next-meetup\"]').scrollIntoView({block: 'center'})",
            Vec::new(),
        )
        .await?;
    phone.screenshot("lifecycle-next-offer-phone").await?;
    phone.click("join-next-meetup").await?;
    phone.wait_for_text("room-title", "December").await?;
    assert_eq!(phone.text("me-name").await?, "Ada");
    screen.wait_for_text("screen-view", "December").await?;
    // Her carried topic read as hers before she came, and is hers now.
    phone
        .wait_for(
            "Onboarding docs by Ada",
            "return [...document.querySelectorAll('li')].some(row => row.innerText.includes('Onboarding docs') && row.innerText.includes('Ada')) ? true : null",
        )
        .await?;
    facilitator
        .wait_for(
            "Ada in the next meetup",
            "return [...document.querySelectorAll('[data-testid=\"participant-name\"]')].some(n => n.textContent.trim() === 'Ada') ? true : null",
        )
        .await?;
    phone.screenshot("lifecycle-next-phone").await?;
    screen.screenshot("lifecycle-next-screen").await?;

    screen.close().await;
    phone.close().await;
    facilitator.close().await;
    Ok(())
}
