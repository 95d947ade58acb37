//! Goals over real WebSockets (issue 16): the raw frames each connection
//! receives hold a goal's text only if that connection's person may see it,
//! and a series carries the open goals, with their check-ins, into the next
//! meetup, where they reach their owner when he joins it.

use moot_shared::Command;
use moot_shared::room::goals::{Goal, GoalKind, GoalProgress, GoalVisibility};
use moot_tests::{TestClient, TestServer, text};

const GROUP: &str = "Give a talk at the guild";
const BUDDY: &str = "Pair with someone new each week";
const PRIVATE: &str = "Ask for the promotion";

fn set(goal: &str, visibility: GoalVisibility) -> Command {
    Command::SetGoal {
        text: text(goal),
        kind: GoalKind::Achieve,
        visibility,
        due: None,
    }
}

/// Bo's group goal as `client`'s room holds it.
fn group_goal(client: &TestClient) -> &Goal {
    client
        .room
        .as_ref()
        .and_then(|room| {
            room.goals
                .goals
                .iter()
                .find(|goal| goal.text.as_str() == GROUP)
        })
        .expect("Bo's group goal")
}

/// Whether any frame the client received (snapshots, events, answers)
/// holds `needle`.
fn received(client: &TestClient, needle: &str) -> bool {
    client.frames.iter().any(|frame| frame.contains(needle))
}

#[tokio::test]
async fn a_goal_reaches_only_its_audience_and_carries_into_the_next_meetup() {
    let server = TestServer::start().await;
    let opened = server.open_meetup("Mentoring circle", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut ada = TestClient::join(&server, code, "Ada").await;
    let mut bo = TestClient::join(&server, code, "Bo").await;
    let mut cy = TestClient::join(&server, code, "Cy").await;
    let mut screen = TestClient::screen(&server, code, &opened.screen_url).await;

    for (goal, visibility) in [
        (GROUP, GoalVisibility::Group),
        (BUDDY, GoalVisibility::Buddy),
        (PRIVATE, GoalVisibility::Private),
    ] {
        bo.run(set(goal, visibility)).await;
    }
    let bo_id = bo.me.expect("Bo is in");
    let ada_id = ada.me.expect("Ada is in");
    fran.run(Command::SetBuddy {
        participant: bo_id,
        buddy: Some(ada_id),
    })
    .await;
    let talk = group_goal(&bo).id;
    bo.run(Command::CheckInGoal {
        goal: talk,
        progress: GoalProgress::Stuck,
        note: Some(text("No slot until March")),
    })
    .await;
    for client in [&mut fran, &mut ada, &mut cy, &mut screen] {
        client
            .wait_for("Bo's check-in", |room| {
                room.goals
                    .goal(talk)
                    .is_some_and(|goal| goal.progress() == GoalProgress::Stuck)
            })
            .await
            .unwrap();
    }

    // What each connection received, byte for byte.
    assert!(received(&ada, GROUP) && received(&ada, BUDDY) && !received(&ada, PRIVATE));
    for (who, client) in [("Fran", &fran), ("Cy", &cy), ("the screen", &screen)] {
        assert!(received(client, GROUP), "{who} sees the group goal");
        assert!(!received(client, BUDDY), "{who} got Bo's buddy goal");
        assert!(!received(client, PRIVATE), "{who} got Bo's private goal");
    }
    let texts = |client: &TestClient| -> Vec<String> {
        client.room.as_ref().map_or_else(Vec::new, |room| {
            room.goals
                .goals
                .iter()
                .map(|goal| goal.text.to_string())
                .collect()
        })
    };
    assert_eq!(texts(&bo), [GROUP, BUDDY, PRIVATE]);
    assert_eq!(texts(&ada), [GROUP, BUDDY]);
    assert_eq!(texts(&fran), [GROUP]);

    // Meetup 2 of the series: the open goals are there, Bo's once he joins.
    fran.run(Command::EndMeetup).await;
    let next = moot_tests::open_following(
        &server,
        "Mentoring circle, March",
        &opened.join_code,
        &opened.token,
    )
    .await;
    let next_code = next.join_code.as_str();
    let fran2 = TestClient::rejoin(&server, next_code, &next.token, None).await;
    assert_eq!(texts(&fran2), [GROUP]);
    assert!(!received(&fran2, PRIVATE) && !received(&fran2, BUDDY));
    let bo2 = TestClient::join(&server, next_code, "Bo").await;
    assert_eq!(texts(&bo2), [GROUP, BUDDY, PRIVATE]);
    let carried = group_goal(&bo2).clone();
    assert_eq!(carried.owner, bo2.me);
    assert_eq!(carried.progress(), GoalProgress::Stuck);

    // Reviewed in meetup 2, its progress lands in meetup 2's minutes, with
    // meetup 1's check-in; the private goal is only counted.
    let carried_id = carried.id;
    let mut bo2 = bo2;
    bo2.run(Command::CheckInGoal {
        goal: carried_id,
        progress: GoalProgress::Done,
        note: Some(text("Gave it in February")),
    })
    .await;
    let path = format!("/api/meetups/{next_code}/minutes.md");
    let bearer = format!("Bearer {}", next.token);
    let minutes = moot_tests::http::request(
        server.addr,
        "GET",
        &path,
        &[("authorization", bearer.as_str())],
        "",
    )
    .await
    .expect("the minutes");
    assert_eq!(minutes.status, 200, "{}", minutes.body);
    assert!(
        minutes
            .body
            .contains(&format!("- Bo: {GROUP} (achieve): done\n")),
        "{}",
        minutes.body
    );
    assert!(minutes.body.contains("stuck — No slot until March"));
    assert!(minutes.body.contains("done — Gave it in February"));
    assert!(!minutes.body.contains(PRIVATE) && !minutes.body.contains(BUDDY));
    assert!(minutes.body.contains(": Bo 2."), "{}", minutes.body);
}
