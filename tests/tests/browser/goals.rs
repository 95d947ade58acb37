//! Goals in the browser (issue 16): Bo sets goals on his phone for the
//! group, for his buddy and for himself; the facilitator pairs him with Ada
//! from his row's menu; Ada's phone shows the group goal and, once paired,
//! the buddy goal, never the private one, and the shared screen none of the
//! others; Bo checks in with one tap and a line, and Ada sees where it
//! stands. The goals card fits a 320 px phone (no label broken inside a
//! word, axe clean). In a goal review phase the card comes first on the
//! phone, and the shared screen shows the speaker's group goals.

use moot_shared::Command;
use moot_shared::room::agenda::{PhaseKind, PhaseSpec};
use moot_tests::browser::{Page, meetup_with_phones};
use moot_tests::{TestClient, text};
use serde_json::json;

use super::narrow::labels_fit;

const GROUP: &str = "Give a talk at the guild";
const BUDDY: &str = "Pair with someone new each week";
const PRIVATE: &str = "Ask for the promotion";

/// Sets a goal from `page`'s form, visible to `visibility` (0 the group,
/// 1 my buddy, 2 only me), and waits until it is listed as one's own.
async fn set_goal(page: &Page, text: &str, visibility: u8) -> anyhow::Result<()> {
    page.fill("goal-text-input", text).await?;
    page.script(
        "const select = document.querySelector('[data-testid=\"goal-visibility\"]');\
         select.value = arguments[0]; select.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(visibility.to_string())],
    )
    .await?;
    page.click("goal-submit").await?;
    page.wait_for(
        &format!("my goal {text}"),
        &format!(
            "return [...document.querySelectorAll('[data-testid=\"my-goal\"] .goal-text')]\
             .some((el) => el.textContent === {text:?}) ? true : null"
        ),
    )
    .await?;
    Ok(())
}

/// The page's whole text, hidden parts included.
pub(super) async fn page_text(page: &Page) -> anyhow::Result<String> {
    Ok(page
        .script("return document.body.textContent", vec![])
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// Waits until `page` lists someone else's goal `text`.
async fn sees(page: &Page, text: &str) -> anyhow::Result<()> {
    page.wait_for(
        &format!("the goal {text}"),
        &format!(
            "return [...document.querySelectorAll('[data-testid=\"others-goal\"] .goal-text')]\
             .some((el) => el.textContent === {text:?}) ? true : null"
        ),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goals_reach_the_group_a_buddy_or_only_their_owner() -> anyhow::Result<()> {
    let meetup = meetup_with_phones(&["Ada", "Bo"]).await?;
    let (ada, bo) = (&meetup.phones[0], &meetup.phones[1]);
    let fran = &meetup.facilitator;
    fran.set_viewport(1280, 800).await?;
    bo.set_phone_viewport(320, 640).await?;

    bo.click("nav-section-mine").await?;
    bo.element("goals-card").await?;
    set_goal(bo, GROUP, 0).await?;
    set_goal(bo, PRIVATE, 2).await?;

    // The facilitator pairs Bo with Ada from Bo's row.
    fran.click_for_participant("Bo", "participant-menu-toggle")
        .await?;
    fran.script(
        "const row = [...document.querySelectorAll('[data-testid=\"participant\"]')]\
           .find((li) => li.querySelector('[data-testid=\"participant-name\"]')?.textContent.trim() === 'Bo');\
         const select = row.querySelector('[data-testid=\"participant-buddy\"]');\
         select.value = [...select.options].find((option) => option.textContent === 'Ada').value;\
         select.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await?;
    fran.screenshot("goals-facilitator-buddy").await?;
    set_goal(bo, BUDDY, 1).await?;

    sees(ada, GROUP).await?;
    sees(ada, BUDDY).await?;
    let ada_text = page_text(ada).await?;
    assert!(
        !ada_text.contains(PRIVATE),
        "Ada's page holds Bo's private goal"
    );
    for (who, page) in [("Fran", fran), ("the screen", &meetup.screen)] {
        let text = page_text(page).await?;
        assert!(
            !text.contains(PRIVATE),
            "{who}'s page holds Bo's private goal"
        );
        assert!(!text.contains(BUDDY), "{who}'s page holds Bo's buddy goal");
    }

    // Bo checks in on his group goal, with a line.
    bo.script(
        "const goal = [...document.querySelectorAll('[data-testid=\"my-goal\"]')]\
           .find((li) => li.querySelector('.goal-text').textContent === arguments[0]);\
         goal.querySelector('[data-testid=\"goal-note\"]').setAttribute('data-testid', 'goal-note-here');\
         goal.querySelector('[data-testid=\"goal-check-in-stuck\"]').setAttribute('data-testid', 'goal-stuck-here');",
        vec![json!(GROUP)],
    )
    .await?;
    bo.fill("goal-note-here", "No slot until March").await?;
    bo.click("goal-stuck-here").await?;
    ada.wait_for(
        "Bo's goal stuck on Ada's phone",
        &format!(
            "return [...document.querySelectorAll('[data-testid=\"others-goal\"]')]\
             .some((li) => li.dataset.progress === 'stuck' && li.textContent.includes({GROUP:?})) ? true : null"
        ),
    )
    .await?;
    bo.wait_for(
        "the line under Bo's goal",
        "return [...document.querySelectorAll('.goal-note')].some((el) => el.textContent === 'No slot until March') ? true : null",
    )
    .await?;
    ada.click("nav-section-mine").await?;
    ada.screenshot("goals-ada-phone").await?;
    labels_fit(bo, "goals".to_owned()).await?;

    // A goal review: the goals card is what a phone shows first.
    let code = meetup.opened.join_code.as_str();
    let mut fran_client =
        TestClient::rejoin(&meetup.server, code, &meetup.opened.token, None).await;
    fran_client
        .run(Command::InsertPhase {
            after: None,
            spec: PhaseSpec {
                kind: PhaseKind::GoalReview,
                title: text("Goals"),
                prompt: Some(text("What moved since last time?")),
                planned_secs: 600,
                title_key: None,
                prompt_key: None,
            },
        })
        .await;
    fran_client
        .run(Command::NextPhase {
            from: None,
            seed: 0,
        })
        .await;
    bo.wait_for(
        "the goals card in Bo's Now section",
        "return document.querySelector('#section-now [data-testid=\"goals-card\"]') \
           && !document.querySelector('#section-mine [data-testid=\"goals-card\"]') ? true : null",
    )
    .await?;
    bo.click("nav-section-now").await?;
    labels_fit(bo, "goal-review".to_owned()).await?;

    // The shared screen shows the speaker's group goals, nothing else of theirs.
    let screen = &meetup.screen;
    screen.set_viewport(1920, 1080).await?;
    // The round visits everyone; the facilitator moves it on to Bo.
    for _ in 0..3 {
        let speaker = fran_client
            .room
            .as_ref()
            .and_then(|room| room.queue.speaker.clone())
            .expect("someone speaks in the round");
        if fran_client.room.as_ref().is_some_and(|room| {
            room.participant(speaker.participant)
                .is_some_and(|person| person.name.as_str() == "Bo")
        }) {
            break;
        }
        fran_client
            .run(Command::NextSpeaker {
                turn: Some(speaker.turn),
            })
            .await;
    }
    screen
        .wait_for(
            "Bo's goals on the screen",
            "const goals = document.querySelector('[data-testid=\"screen-goals\"] h2'); \
             return goals && goals.textContent.startsWith('Bo') ? true : null",
        )
        .await?;
    screen.wait_for_text("screen-goals", GROUP).await?;
    let text = page_text(screen).await?;
    assert!(
        !text.contains(PRIVATE) && !text.contains(BUDDY),
        "the screen shows {text}"
    );
    screen.screenshot("goals-screen-review").await?;
    screen.assert_accessible("screen-goal-review").await?;
    Ok(())
}
