//! The topic board end to end (issue 4): five phones propose six topics and
//! vote with hidden dots; the facilitator reveals, sorts and starts the top
//! topic in one tap each; every phone, the facilitator and the shared screen
//! agree; an action item assigned to a participant appears on their phone.
//! A finished topic's outcomes stay readable, and take a late action item.

use moot_shared::Command;
use moot_shared::room::board::{NoteKind, TopicId};
use moot_tests::browser::{BrowserMeetup, Page, meetup_with_phones};
use moot_tests::{TestClient, text};

const PEOPLE: [&str; 5] = ["Ada", "Grace", "Linus", "Barbara", "Ken"];

/// Places one dot on `topic` and waits for the page to count it as `mine`.
async fn dot(page: &Page, topic: u32, mine: u8) -> anyhow::Result<()> {
    let row = format!("[data-testid=\"topic\"][data-topic-id=\"{topic}\"]");
    page.wait_for(
        &format!("dot button of topic {topic}"),
        &format!("const b = document.querySelector('{row} [data-testid=\"place-dot\"]'); if (b && !b.disabled) {{ b.click(); return true; }} return null;"),
    )
    .await?;
    page.wait_for(
        &format!("{mine} dots on topic {topic}"),
        &format!("return document.querySelector('{row}[data-my-dots=\"{mine}\"]') ? true : null"),
    )
    .await?;
    Ok(())
}

/// The "to discuss" topics as the page lists them: `id:votes` (votes empty
/// when the page shows none).
async fn board_order(page: &Page) -> anyhow::Result<String> {
    let value = page
        .script(&format!("return {ORDER_SCRIPT}"), vec![])
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// The expression behind [`board_order`].
const ORDER_SCRIPT: &str = "[...document.querySelectorAll('[data-testid=\"to-discuss\"] [data-testid=\"topic\"], [data-testid=\"screen-topic\"]')]\
     .map(t => t.dataset.topicId + ':' + (t.dataset.votes || '')).join(',')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_phones_propose_and_vote_and_the_facilitator_runs_the_board() -> anyhow::Result<()> {
    // The server and the browsers live as long as these bindings.
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator,
        screen,
        phones,
        ..
    } = meetup_with_phones(&PEOPLE).await?;
    for page in &phones {
        page.element("board-card").await?;
    }

    // Six topics from five phones, in this order (topics 1 to 6).
    let topics = [
        (0, "Flaky tests in CI"),
        (1, "On-call handover"),
        (2, "Hiring loop"),
        (3, "Docs nobody reads"),
        (4, "Platform roadmap"),
        (0, "Pairing across teams"),
    ];
    for (phone, title) in topics {
        phones[phone].propose_topic(title).await?;
    }
    for page in phones.iter().chain([&facilitator]) {
        page.wait_for(
            "six topics",
            "return document.querySelectorAll('[data-testid=\"to-discuss\"] [data-testid=\"topic\"]').length === 6 ? true : null",
        )
        .await?;
    }

    // Dots (budget 3, stacking on): topic 4 gets five, 1, 2 and 5 two
    // each, 3 and 6 one each.
    let votes: [&[u32]; 5] = [&[4, 4, 1], &[4, 2, 3], &[4, 5, 5], &[2, 6], &[4, 1]];
    for (page, topics) in phones.iter().zip(votes) {
        let mut mine = std::collections::HashMap::new();
        for topic in topics {
            let count = mine.entry(*topic).or_insert(0u8);
            *count += 1;
            dot(page, *topic, *count).await?;
        }
    }
    let left = phones[3].text("dots-left").await?;
    assert!(left.starts_with("1 of 3"), "{left}");
    phones[0]
        .script(
            "document.querySelector('[data-testid=\"board-card\"]').scrollIntoView()",
            vec![],
        )
        .await?;
    phones[0].screenshot("board-phone-voting").await?;

    // Hidden until the reveal: five have voted, and no page shows a total.
    screen
        .wait_for(
            "five voted",
            "const v = document.querySelector('[data-testid=\"screen-voters\"]'); return v && v.textContent.startsWith('5 people') ? true : null",
        )
        .await?;
    for page in phones.iter().chain([&facilitator, &screen]) {
        let order = board_order(page).await?;
        assert_eq!(order, "1:,2:,3:,4:,5:,6:", "no totals before the reveal");
        let totals = page
            .script(
                "return document.querySelectorAll('[data-testid=\"topic-votes\"]').length",
                vec![],
            )
            .await?;
        assert_eq!(totals, serde_json::json!(0));
    }

    // The facilitator reveals, sorts, and starts the top topic: one tap each.
    facilitator.click("reveal-votes").await?;
    facilitator.click("sort-topics").await?;
    facilitator
        .wait_for(
            "sorted",
            "const t = document.querySelector('[data-testid=\"to-discuss\"] [data-testid=\"topic\"]'); return t && t.dataset.topicId === '4' ? true : null",
        )
        .await?;
    facilitator.screenshot("board-facilitator-sorted").await?;
    facilitator.click("start-next").await?;

    // Every screen agrees: topic 4 is being discussed, the rest in vote order.
    let expected = "1:2,2:2,5:2,3:1,6:1";
    for page in phones.iter().chain([&facilitator]) {
        page.wait_for(
            "topic 4 under discussion",
            "return document.querySelector('[data-testid=\"current-topic\"][data-topic-id=\"4\"]') ? true : null",
        )
        .await?;
    }
    screen
        .wait_for(
            "topic 4 on the screen",
            "return document.querySelector('[data-testid=\"screen-current-topic\"][data-topic-id=\"4\"]') ? true : null",
        )
        .await?;
    for page in phones.iter().chain([&facilitator, &screen]) {
        page.wait_for(
            "the sorted board",
            &format!("return ({ORDER_SCRIPT}) === {expected:?} ? true : null"),
        )
        .await?;
        assert_eq!(
            board_order(page).await?,
            expected,
            "every page shows the same board"
        );
    }
    screen.screenshot("board-screen").await?;

    // An action item for Linus, due on a date; it appears on Linus's phone.
    let people = facilitator.participants().await?;
    let linus = people
        .iter()
        .find(|(_, name)| name == "Linus")
        .map(|(id, _)| id.clone())
        .expect("Linus is listed");
    facilitator
        .fill("action-input", "Draft the new interview loop")
        .await?;
    facilitator
        .script(
            "const s = document.querySelector('[data-testid=\"action-owner\"]'); s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));\
             const d = document.querySelector('[data-testid=\"action-due\"]'); d.value = '2026-02-27'; d.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(linus)],
        )
        .await?;
    facilitator.click("add-action-item").await?;
    let item = phones[2]
        .wait_for(
            "Linus's action item",
            "const i = document.querySelector('[data-testid=\"my-action-item\"]'); return i ? i.textContent : null",
        )
        .await?;
    let item = item.as_str().unwrap_or_default();
    assert!(item.contains("Draft the new interview loop"), "{item}");
    assert!(item.contains("2026-02-27"), "{item}");
    for other in [&phones[0], &phones[1]] {
        let mine = other
            .script(
                "return document.querySelectorAll('[data-testid=\"my-action-item\"]').length",
                vec![],
            )
            .await?;
        assert_eq!(
            mine,
            serde_json::json!(0),
            "only the owner lists it as theirs"
        );
    }
    phones[2]
        .script(
            "document.querySelector('[data-testid=\"my-action-items\"]').scrollIntoView()",
            vec![],
        )
        .await?;
    phones[2].screenshot("board-phone-action-items").await?;
    facilitator
        .script(
            "document.querySelector('[data-testid=\"board-card\"]').scrollIntoView()",
            vec![],
        )
        .await?;
    facilitator.screenshot("board-facilitator").await?;

    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_topic_keeps_its_outcomes_readable_and_takes_a_late_action_item()
-> anyhow::Result<()> {
    let meetup = meetup_with_phones(&["Ada"]).await?;
    let ada = &meetup.phones[0];
    let code = meetup.opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&meetup.server, code, &meetup.opened.token, None).await;
    for title in ["Flaky CI", "Onboarding"] {
        fran.run(Command::ProposeTopic {
            title: text(title),
            details: None,
        })
        .await;
    }
    fran.run(Command::StartTopic { topic: TopicId(1) }).await;
    fran.run(Command::AddNote {
        topic: TopicId(1),
        kind: NoteKind::Takeaway,
        text: text("Quarantine before fixing"),
    })
    .await;
    fran.run(Command::FinishTopic { topic: TopicId(1) }).await;
    fran.run(Command::StartTopic { topic: TopicId(2) }).await;

    // Onboarding is discussed now; Flaky CI is one tap away, takeaway and all.
    let finished = "[data-testid=\"finished-topic\"][data-topic-id=\"1\"]";
    ada.wait_for(
        "Flaky CI among the discussed topics",
        &format!(
            "const d = document.querySelector('{finished}'); if (!d) return null; \
             d.querySelector('summary').click(); \
             return d.open && d.innerText.includes('Quarantine before fixing') ? true : null;"
        ),
    )
    .await?;
    // A late action item for Ada on the finished topic.
    let ada_id = fran.participant_named("Ada").0.hyphenated().to_string();
    ada.script(
        &format!(
            "const d = document.querySelector('{finished}'); \
             const input = d.querySelector('[data-testid=\"action-input\"]'); \
             input.value = 'Write the flaky-test guide'; input.dispatchEvent(new Event('input', {{ bubbles: true }})); \
             const owner = d.querySelector('[data-testid=\"action-owner\"]'); \
             owner.value = arguments[0]; owner.dispatchEvent(new Event('change', {{ bubbles: true }})); \
             d.querySelector('[data-testid=\"add-action-item\"]').click();"
        ),
        vec![serde_json::json!(ada_id)],
    )
    .await?;
    fran.wait_for("the late action item on Flaky CI", |room| {
        room.board.action_items.iter().any(|item| {
            item.topic == TopicId(1) && item.text.as_str() == "Write the flaky-test guide"
        })
    })
    .await?;
    ada.wait_for(
        "the late action item under Flaky CI",
        &format!(
            "const d = document.querySelector('{finished}'); \
             return d && d.innerText.includes('Write the flaky-test guide') ? true : null;"
        ),
    )
    .await?;
    ada.script(
        &format!("document.querySelector('{finished}').scrollIntoView()"),
        vec![],
    )
    .await?;
    ada.screenshot("board-finished-topic-phone").await?;
    Ok(())
}
