//! German (issue 15, item 6): browsers set to German get moot in German,
//! from the join page to the minutes, while an English phone in the same
//! meetup keeps English. The texts moot writes into the meetup (a format's
//! phases, a quick poll's question) travel as keys, so each phone shows them
//! in its own language whoever set them.

use moot_shared::Command;
use moot_shared::Lang;
use moot_shared::room::agenda::Format;
use moot_shared::room::builtin::BuiltinText;
use moot_shared::room::poll::{PollId, PollKind, Secrecy};
use moot_shared::words;
use moot_tests::browser::{Driver, Page, Screen};
use moot_tests::{TestClient, TestServer, poll_setup, text};

const GERMAN: &str = "de-DE,de";

/// The page's `<html lang>`.
async fn page_language(page: &Page) -> anyhow::Result<String> {
    let lang = page
        .script("return document.documentElement.lang", vec![])
        .await?;
    Ok(lang.as_str().unwrap_or_default().to_owned())
}

/// Waits until the element `id` has exactly `expected` as its text.
async fn wait_for_exact(page: &Page, id: &str, expected: &str) -> anyhow::Result<()> {
    page.wait_for(
        &format!("{id} to read {expected:?}"),
        &format!(
            "const element = document.querySelector('[data-testid=\"{id}\"]'); \
             return element && element.textContent.trim() === {} ? true : null",
            serde_json::to_string(expected)?
        ),
    )
    .await?;
    Ok(())
}

/// The labels of the open poll's answer buttons.
async fn answer_labels(page: &Page) -> anyhow::Result<Vec<String>> {
    let labels = page
        .script(
            "return [...document.querySelectorAll('[data-testid=\"poll-option\"]')]\
               .map((option) => option.textContent.trim())",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(labels)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_german_browser_gets_german_everywhere_while_an_english_phone_keeps_english()
-> anyhow::Result<()> {
    assert!(
        moot_server::assets::web_app_built(),
        "the web app is not built into the server; run `cargo xtask test`"
    );
    let server = TestServer::start().await;
    let opened = server.open_meetup("Plattform-Gilde", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut driver = Driver::start().await?;

    // The facilitator's laptop and the shared screen, both in German.
    let laptop = driver.session_speaking(Screen::Laptop, GERMAN).await?;
    laptop.open(&opened.facilitator_url).await?;
    let screen = driver.session_speaking(Screen::Laptop, GERMAN).await?;
    screen.open(&opened.screen_url).await?;

    // Ada's phone is German: the join page, and a refusal, are German.
    let ada = driver.session_speaking(Screen::Phone, GERMAN).await?;
    ada.open(&opened.join_url).await?;
    wait_for_exact(&ada, "join-submit", "Beitreten").await?;
    assert_eq!(page_language(&ada).await?, "de");
    ada.screenshot("german-join").await?;
    ada.fill("join-name", "Fran").await?;
    ada.click("join-submit").await?;
    ada.wait_for_text("join-error", "Jemand hier heißt schon so")
        .await?;
    ada.fill("join-name", "Ada").await?;
    ada.click("join-submit").await?;
    ada.element("me-name").await?;
    wait_for_exact(&ada, "raise-hand", "Hand heben").await?;

    // Bo's phone speaks English.
    let bo = driver.session(Screen::Phone).await?;
    bo.open(&opened.join_url).await?;
    bo.fill("join-name", "Bo").await?;
    bo.click("join-submit").await?;
    bo.element("me-name").await?;
    assert_eq!(page_language(&bo).await?, "en");
    wait_for_exact(&bo, "raise-hand", "Raise hand").await?;

    // A format's phases are moot's words: each phone reads its own language.
    fran.run(Command::SetAgenda {
        format: Format::LeanCoffee,
    })
    .await;
    fran.run(Command::NextPhase {
        from: None,
        seed: 0,
    })
    .await;
    let check_in = fran
        .room
        .as_ref()
        .and_then(|room| room.agenda.current())
        .map(|phase| phase.id);
    fran.run(Command::NextPhase {
        from: check_in,
        seed: 0,
    })
    .await;
    let german_prompt = BuiltinText::WriteTopicsPrompt.text(Lang::De);
    wait_for_exact(&ada, "phase-prompt", german_prompt).await?;
    ada.wait_for_text("phase-line", BuiltinText::WriteTopics.text(Lang::De))
        .await?;
    wait_for_exact(
        &bo,
        "phase-prompt",
        BuiltinText::WriteTopicsPrompt.english(),
    )
    .await?;
    bo.wait_for_text("phase-line", "Write topics").await?;
    screen
        .wait_for_text("screen-phase-line", BuiltinText::WriteTopics.text(Lang::De))
        .await?;
    assert_eq!(page_language(&screen).await?, "de");
    laptop
        .wait_for_text("primary-action", "Weiter: Themen vorstellen")
        .await?;
    crate::narrow::labels_fit(&ada, "german-phone-phase".to_owned()).await?;
    crate::narrow::labels_fit(&laptop, "german-facilitator".to_owned()).await?;

    // A quick poll: the question and its answers in each reader's language,
    // and the reading after the reveal.
    let mut setup = poll_setup(
        BuiltinText::QuickLiveWithIt.english(),
        PollKind::Consent,
        Secrecy::Secret,
    );
    setup.question_key = Some(BuiltinText::QuickLiveWithIt);
    fran.run(Command::OpenPoll { setup }).await;
    wait_for_exact(&ada, "poll-question", "Können alle damit leben?").await?;
    wait_for_exact(&bo, "poll-question", "Can everyone live with this?").await?;
    assert_eq!(
        answer_labels(&ada).await?,
        words::option_labels(PollKind::Consent, Lang::De)
    );
    assert_eq!(
        answer_labels(&bo).await?,
        ["Consent", "Concern", "Objection"]
    );
    ada.click("poll-option").await?;
    bo.click("poll-option").await?;
    fran.wait_for("both votes", |room| {
        room.polls
            .get(PollId(1))
            .is_some_and(|poll| poll.ballots.len() == 2)
    })
    .await?;
    fran.run(Command::RevealPoll { poll: PollId(1) }).await;
    wait_for_exact(&ada, "poll-reading", "Konsent aller 2.").await?;
    wait_for_exact(&bo, "poll-reading", "Consented by all 2.").await?;
    crate::narrow::labels_fit(&ada, "german-phone-poll".to_owned()).await?;
    screen.screenshot("german-screen-poll").await?;

    // Ada's action item, then the end: the minutes the laptop downloads are
    // German.
    fran.run(Command::ProposeTopic {
        title: text("Onboarding"),
        details: None,
    })
    .await;
    fran.run(Command::EndMeetup).await;
    let minutes = laptop.download("minutes-markdown").await?;
    assert!(minutes.contains("Protokoll"), "{minutes}");
    assert!(minutes.contains("Konsent aller 2."), "{minutes}");
    assert!(minutes.contains("Können alle damit leben?"), "{minutes}");
    assert!(!minutes.contains("Minutes"), "{minutes}");
    laptop.screenshot("german-facilitator-ended").await?;

    for page in [ada, bo, laptop, screen] {
        page.close().await;
    }
    Ok(())
}
