//! Closing feedback in real Chromium (issue 16): a series of three meetups,
//! the first two rated over the protocol; the third's shared screen shows
//! the trend in its lobby, its facilitator sees it too, a lone phone is
//! warned that its ROTI cannot stay anonymous and rates with a suggestion,
//! and at the reveal the screen's chart gains this meetup's bar.

use moot_server::http::OpenedMeetupResponse;
use moot_shared::Command;
use moot_shared::room::poll::{PollId, PollKind, PollSetup, Secrecy};
use moot_tests::browser::{Driver, Page, Screen};
use moot_tests::{TestClient, TestServer, http, text};

fn setup() -> PollSetup {
    PollSetup {
        question: text("Was it worth our time?"),
        kind: PollKind::Roti,
        options: Vec::new(),
        secrecy: Secrecy::Anonymous,
        auto_reveal: false,
        time_limit_secs: None,
        question_key: None,
    }
}

/// Opens `title`, following `follows` if given.
async fn open(
    server: &TestServer,
    title: &str,
    follows: Option<&OpenedMeetupResponse>,
) -> anyhow::Result<OpenedMeetupResponse> {
    let mut body = serde_json::json!({ "title": title, "facilitator_name": "Fran" });
    if let Some(earlier) = follows {
        body["follows"] =
            serde_json::json!({ "join_code": earlier.join_code, "token": earlier.token });
    }
    let json = [("content-type", "application/json")];
    let response = http::request(
        server.addr,
        "POST",
        "/api/meetups",
        &json,
        &body.to_string(),
    )
    .await?;
    anyhow::ensure!(response.status == 201, "{}", response.body);
    Ok(serde_json::from_str(&response.body)?)
}

/// A meetup rated over the protocol: three people score it, one with a
/// suggestion; then it ends.
async fn rated_meetup(
    server: &TestServer,
    opened: &OpenedMeetupResponse,
    scores: [u8; 3],
    suggestion: &str,
) -> anyhow::Result<()> {
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(server, code, &opened.token, None).await;
    let mut people = Vec::new();
    for name in ["Ada", "Bo", "Cy"] {
        people.push(TestClient::join(server, code, name).await);
    }
    fran.run(Command::OpenPoll { setup: setup() }).await;
    let poll = fran
        .room
        .as_ref()
        .and_then(|room| room.polls.current())
        .map_or(PollId(1), |poll| poll.id);
    for (index, (person, score)) in people.iter_mut().zip(scores).enumerate() {
        person
            .wait_for("the ROTI", |room| room.polls.current().is_some())
            .await?;
        person
            .run(Command::CastVote {
                poll,
                choice: score - 1,
                reason: (index == 0).then(|| text(suggestion)),
            })
            .await;
    }
    fran.run(Command::RevealPoll { poll }).await;
    fran.run(Command::EndMeetup).await;
    Ok(())
}

/// The means the screen's chart shows, in tenths, oldest first.
async fn chart_means(page: &Page, count: usize) -> anyhow::Result<String> {
    let probe = format!(
        "const bars = [...document.querySelectorAll('[data-testid=\"roti-trend\"] [data-testid=\"roti-point\"]')]; \
         return bars.length === {count} ? bars.map(b => b.dataset.mean).join(',') : null"
    );
    let means = page.wait_for("the ROTI trend", &probe).await?;
    Ok(means.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_of_three_meetups_shows_its_roti_trend_on_the_screen() -> anyhow::Result<()> {
    assert!(
        moot_server::assets::web_app_built(),
        "run `cargo xtask test`, which builds the web app first"
    );
    let server = TestServer::start().await;
    let january = open(&server, "Guild, January", None).await?;
    // 3, 4, 4: 3.7.
    rated_meetup(&server, &january, [3, 4, 4], "Start on time").await?;
    let february = open(&server, "Guild, February", Some(&january)).await?;
    // 4, 5, 4: 4.3.
    rated_meetup(&server, &february, [4, 5, 4], "Fewer topics, more depth").await?;
    let march = open(&server, "Guild, March", Some(&february)).await?;

    // The third meetup's lobby: the screen shows both earlier means and
    // February's suggestion.
    let mut driver = Driver::start().await?;
    let screen = driver.session(Screen::Laptop).await?;
    screen.open(&march.screen_url).await?;
    assert_eq!(chart_means(&screen, 2).await?, "37,43");
    let suggestion = screen.text("roti-suggestion").await?;
    assert_eq!(suggestion, "Fewer topics, more depth");
    screen.screenshot("roti-screen-lobby-trend").await?;

    // Whoever runs the meetup sees it on their page too.
    let facilitator = driver.session(Screen::Laptop).await?;
    facilitator.open(&march.facilitator_url).await?;
    assert_eq!(chart_means(&facilitator, 2).await?, "37,43");

    // One phone: with Fran and Ada alone, the phone warns that the ROTI
    // cannot stay anonymous, and asks what to change.
    let phone = driver.session(Screen::Phone).await?;
    phone.open(&march.join_url).await?;
    phone.fill("join-name", "Ada").await?;
    phone.click("join-submit").await?;
    phone.element("me-name").await?;
    let mut fran = TestClient::rejoin(&server, march.join_code.as_str(), &march.token, None).await;
    fran.run(Command::OpenPoll { setup: setup() }).await;
    phone.element("roti-few-voters").await?;
    let labels = phone
        .wait_for(
            "the five scores",
            "const b = [...document.querySelectorAll('[data-testid=\"poll-option\"]')]; return b.length === 5 ? b.map(x => x.textContent).join('|') : null",
        )
        .await?;
    assert!(
        labels
            .as_str()
            .unwrap_or_default()
            .starts_with("1 · Lost my time|"),
        "{labels}"
    );
    phone.fill("poll-reason", "Shorter check-in").await?;
    phone
        .script(
            "document.querySelector('[data-testid=\"poll-option\"][data-choice=\"4\"]').click()",
            vec![],
        )
        .await?;
    phone.element("poll-mine").await?;
    phone
        .script(
            "document.querySelector('[data-testid=\"poll-card\"]').scrollIntoView()",
            vec![],
        )
        .await?;
    phone.screenshot("roti-phone-few-voters").await?;

    // At the reveal the screen shows the poll and the trend with March's bar.
    fran.wait_for("Ada's vote", |room| {
        room.polls
            .current()
            .is_some_and(|poll| !poll.ballots.is_empty())
    })
    .await?;
    fran.run(Command::RevealPoll { poll: PollId(1) }).await;
    assert_eq!(chart_means(&screen, 3).await?, "37,43,50");
    let suggestion = screen.text("roti-suggestion").await?;
    assert_eq!(suggestion, "Shorter check-in");
    screen.screenshot("roti-screen-revealed-trend").await?;
    Ok(())
}
