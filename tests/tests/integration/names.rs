//! Display names: what a name may hold, and when two names are the same
//! (issue "Hardening from an outside attack run", item 8).

use moot_shared::Command;
use moot_shared::Rejection;
use moot_shared::TextProblem;
use moot_shared::protocol::HelloAuth;
use moot_tests::text;
use moot_tests::{TestClient, TestServer};

/// "Fay" with a Cyrillic "а" (U+0430): it looks like "Fay".
const CYRILLIC_FAY: &str = "F\u{0430}y";

/// Opens a meetup and connects its facilitator; returns the join code.
async fn meetup(server: &TestServer) -> (String, TestClient) {
    let opened = server.open_meetup("Team retro", "Fran").await;
    let code = opened.join_code.as_str().to_owned();
    let facilitator = TestClient::rejoin(server, &code, &opened.token, None).await;
    (code, facilitator)
}

/// Tries to join under `name` and returns why the server refused.
async fn refused_join(server: &TestServer, code: &str, name: &str) -> Option<Rejection> {
    let auth = HelloAuth::Join {
        name: name.to_owned(),
    };
    let mut client = TestClient::hello(server, code, auth, None)
        .await
        .expect("connects");
    client.closed().await.refused
}

#[tokio::test]
async fn a_name_that_looks_like_a_present_one_is_taken() {
    let server = TestServer::start().await;
    let (code, mut facilitator) = meetup(&server).await;
    let _fay = TestClient::join(&server, &code, "Fay").await;
    facilitator
        .wait_for("Fay", |room| room.active_participants().count() == 2)
        .await
        .unwrap();

    assert_eq!(
        refused_join(&server, &code, CYRILLIC_FAY).await,
        Some(Rejection::NameTaken)
    );
    // A rename into the look-alike is refused too.
    let mut bo = TestClient::join(&server, &code, "Bo").await;
    let request = bo
        .command(Command::Rename {
            name: text(CYRILLIC_FAY),
        })
        .await;
    assert_eq!(bo.answer(&request).await, Err(Rejection::NameTaken));
    assert_eq!(facilitator.names(), ["Fran", "Fay"]);
}

#[tokio::test]
async fn emoji_names_are_welcome_and_invisible_ones_are_not() {
    let server = TestServer::start().await;
    let (code, mut facilitator) = meetup(&server).await;
    let coder = "Ada 👩\u{200D}💻";
    let _ada = TestClient::join(&server, &code, coder).await;
    facilitator
        .wait_for("Ada", |room| room.active_participants().count() == 2)
        .await
        .unwrap();
    assert_eq!(facilitator.names(), ["Fran", coder]);

    for (name, problem) in [
        ("\u{00AD}", TextProblem::ControlCharacter),
        ("\u{3164}", TextProblem::ControlCharacter),
        ("Fa\u{200B}y", TextProblem::ControlCharacter),
        ("\u{202E}yaF", TextProblem::ControlCharacter),
        ("\u{2800}", TextProblem::Empty),
    ] {
        assert_eq!(
            refused_join(&server, &code, name).await,
            Some(Rejection::InvalidField {
                field: "name".to_owned(),
                problem
            }),
            "{name:?}"
        );
    }
}
