//! Breakouts in the browser (issue 14): a facilitator, six phones and the
//! shared screen run troika consulting from the agenda: three rounds in a
//! four and a three, each phone showing its group and its role, the client
//! changing every round; one group's notes reach its members only, never
//! another group or the screen, until the group shares them after everyone
//! is called back. And 1-2-4-All with seven people: pairs, then everyone,
//! the fours skipped. Screenshots of a phone in its group, the room map on
//! the shared screen and the facilitator's groups.

use std::collections::{BTreeMap, BTreeSet};

use moot_tests::browser::{BrowserMeetup, Page, meetup_with_phones};
use serde_json::json;

use super::goals::page_text;

const PEOPLE: [&str; 6] = ["Ada", "Bo", "Chen", "Dana", "Eli", "Finn"];
const NOTE: &str = "Try pairing on the flaky test";

/// Picks the format of this wire name in the facilitator's agenda menu.
async fn set_format(facilitator: &Page, format: &str) -> anyhow::Result<()> {
    facilitator
        .script(
            "const s = document.querySelector('[data-testid=\"agenda-format\"]'); s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(format)],
        )
        .await?;
    facilitator.click("agenda-set").await?;
    Ok(())
}

/// Presses the facilitator's Next (in the agenda menu), then closes the
/// menu with Escape, as a facilitator does to see the groups under it.
async fn next(facilitator: &Page) -> anyhow::Result<()> {
    facilitator
        .wait_for(
            "Next",
            "const b = document.querySelector('[data-testid=\"agenda-next\"]'); if (b) { b.click(); return true; } return null;",
        )
        .await?;
    facilitator
        .script(
            "window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))",
            vec![],
        )
        .await?;
    Ok(())
}

/// Where a page's person is: their group's number, their role (empty for
/// none) and the step line, once `step` (if any) is what the card shows.
async fn place(page: &Page, step: &str) -> anyhow::Result<(u8, String, String)> {
    let value = page
        .wait_for(
            &format!("a group at {step:?}"),
            &format!(
                "const card = document.querySelector('[data-testid=\"group-card\"]:not([hidden])');\
             const heading = card && card.querySelector('[data-testid=\"my-group\"]');\
             if (!heading || heading.dataset.group === '0') return null;\
             const line = card.querySelector('[data-testid=\"breakout-step\"]');\
             const text = line ? line.textContent : '';\
             if (!text.includes({step:?})) return null;\
             const role = card.querySelector('[data-testid=\"my-role\"]');\
             return [Number(heading.dataset.group), role ? role.dataset.role : '', text];"
            ),
        )
        .await?;
    Ok((
        value[0].as_u64().unwrap_or(0) as u8,
        value[1].as_str().unwrap_or_default().to_owned(),
        value[2].as_str().unwrap_or_default().to_owned(),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn troika_consulting_rotates_the_client_and_keeps_each_groups_notes_to_it()
-> anyhow::Result<()> {
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator: fran,
        screen,
        phones,
        ..
    } = meetup_with_phones(&PEOPLE).await?;
    fran.set_viewport(1280, 800).await?;
    screen.set_viewport(1920, 1080).await?;
    for phone in &phones {
        phone.set_phone_viewport(360, 740).await?;
    }
    // Fran is a peer too: seven people make a four and a three.
    let mut everyone: Vec<(&str, &Page)> = PEOPLE.iter().copied().zip(phones.iter()).collect();
    everyone.push(("Fran", &fran));

    set_format(&fran, "troika").await?;
    next(&fran).await?; // Your challenge: a silent minute.
    next(&fran).await?; // The troikas.

    let mut clients: BTreeMap<u8, BTreeSet<&str>> = BTreeMap::new();
    let mut members: BTreeMap<u8, BTreeSet<&str>> = BTreeMap::new();
    let steps = [
        "The client shares",
        "Clarifying questions",
        "The consultants advise",
        "What was valuable",
    ];
    for round in 1..=3u8 {
        let mut round_clients: BTreeMap<u8, Vec<&str>> = BTreeMap::new();
        for (step_index, step) in steps.iter().enumerate() {
            let line = format!("Round {round} of 3 · {step}");
            for (name, page) in &everyone {
                let (group, role, _) = place(page, &line).await?;
                members.entry(group).or_default().insert(name);
                if step_index == 0 && role == "client" {
                    round_clients.entry(group).or_default().push(name);
                }
                assert!(
                    role == "client" || role == "consultant",
                    "{name} has the role {role:?} in round {round}"
                );
            }
            if round == 1 && step_index == 2 {
                // The client turns away and listens: their phone says so.
                let client = everyone
                    .iter()
                    .find(|(name, _)| {
                        round_clients
                            .values()
                            .flatten()
                            .any(|client| client == name)
                            && *name != "Fran"
                    })
                    .map(|(_, page)| *page)
                    .expect("a phone is a client");
                let cue = client
                    .script(
                        "return document.querySelector('[data-testid=\"my-role\"]').textContent",
                        vec![],
                    )
                    .await?;
                assert!(
                    cue.as_str()
                        .unwrap_or_default()
                        .contains("turn away and listen"),
                    "{cue}"
                );
                client.screenshot("breakout-phone-client").await?;
                client.assert_accessible("a phone in its troika").await?;
                screen
                    .wait_for(
                        "the room map",
                        "return document.querySelectorAll('[data-testid=\"map-group\"]').length === 2 ? true : null",
                    )
                    .await?;
                screen.screenshot("breakout-screen-map").await?;
                fran.screenshot("breakout-facilitator").await?;
            }
            if (round, step_index) != (3, 3) {
                fran.click("breakout-next-step").await?;
            }
        }
        // One client per group each round.
        for (group, names) in &round_clients {
            assert_eq!(
                names.len(),
                1,
                "group {group} has clients {names:?} in round {round}"
            );
            assert!(
                clients.entry(*group).or_default().insert(names[0]),
                "{} is the client of group {group} twice",
                names[0]
            );
        }
        assert_eq!(round_clients.len(), 2, "two groups in round {round}");
    }
    // Seven people: a four and a three, everyone in one group; over three
    // rounds three different clients in each.
    let mut sizes: Vec<usize> = members.values().map(BTreeSet::len).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [3, 4], "{members:?}");
    assert!(
        clients.values().all(|names| names.len() == 3),
        "{clients:?}"
    );

    // A note of one group reaches its members only.
    let (writer_group, writer) = members
        .iter()
        .find_map(|(group, names)| {
            names
                .iter()
                .find(|name| **name != "Fran")
                .map(|name| (*group, *name))
        })
        .expect("a phone in a group");
    let page_of = |name: &str| {
        everyone
            .iter()
            .find(|(who, _)| *who == name)
            .map(|(_, page)| *page)
            .expect("a page")
    };
    let writer_page = page_of(writer);
    writer_page.fill("group-note-input", NOTE).await?;
    writer_page.click("group-note-add").await?;
    writer_page.wait_for_text("group-card", NOTE).await?;
    let partner = members[&writer_group]
        .iter()
        .find(|name| **name != writer)
        .copied()
        .expect("a partner");
    page_of(partner).wait_for_text("group-card", NOTE).await?;
    let outsider = members
        .iter()
        .find(|(group, _)| **group != writer_group)
        .and_then(|(_, names)| names.iter().next().copied())
        .expect("someone in the other group");
    for (who, page) in [(outsider, page_of(outsider)), ("the screen", &screen)] {
        assert!(
            !page_text(page).await?.contains(NOTE),
            "{who} sees another group's note"
        );
    }

    // Everyone is called back: a countdown on every phone, then back now.
    fran.click("breakout-bring-back").await?;
    for (_, page) in &everyone {
        page.wait_for_text("breakout-left", "Back to the group in")
            .await?;
    }
    phones[0]
        .script(
            "document.querySelector('[data-testid=\"group-card\"]').scrollIntoView()",
            vec![],
        )
        .await?;
    phones[0].screenshot("breakout-phone-closing").await?;
    fran.click("breakout-back-now").await?;
    // The group shares its notes for the debrief; now everyone sees them.
    writer_page.click("group-share-button").await?;
    screen
        .wait_for(
            "the shared notes",
            &format!(
                "const n = document.querySelector('[data-testid=\"screen-shared-notes\"]'); return n && n.textContent.includes({NOTE:?}) ? true : null"
            ),
        )
        .await?;
    screen.screenshot("breakout-screen-shared").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_two_four_all_with_seven_goes_from_pairs_to_everyone() -> anyhow::Result<()> {
    let BrowserMeetup {
        server: _server,
        driver: _driver,
        facilitator: fran,
        screen,
        phones,
        ..
    } = meetup_with_phones(&PEOPLE).await?;
    fran.set_viewport(1280, 800).await?;
    // With seven here the picker offers it as 1-2-All.
    fran.wait_for(
        "1-2-All offered",
        "const o = document.querySelector('[data-testid=\"agenda-format\"] option[value=\"one_two_four_all\"]'); return o && o.textContent.startsWith('1-2-All') ? true : null",
    )
    .await?;
    set_format(&fran, "one_two_four_all").await?;
    next(&fran).await?; // Alone.
    next(&fran).await?; // In pairs.

    // Seven in pairs: a three and two twos.
    let mut groups: BTreeMap<u8, usize> = BTreeMap::new();
    for page in phones.iter().chain([&fran]) {
        let (group, role, _) = place(page, "").await?;
        assert_eq!(role, "", "pairs have no roles");
        *groups.entry(group).or_default() += 1;
    }
    let mut sizes: Vec<usize> = groups.values().copied().collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [2, 2, 3]);
    phones[0].screenshot("breakout-phone-pair").await?;
    screen.screenshot("breakout-screen-pairs").await?;

    // Next skips the fours: everyone is together again.
    next(&fran).await?;
    for page in phones.iter().chain([&screen]) {
        page.wait_for(
            "all together",
            "const l = document.querySelector('[data-testid=\"phase-line\"], [data-testid=\"screen-phase-line\"]'); return l && l.textContent.includes('All together') ? true : null",
        )
        .await?;
    }
    fran.wait_for(
        "the fours skipped",
        "return document.querySelector('[data-testid=\"agenda-rail\"] [data-phase=\"3\"][data-state=\"skipped\"]') ? true : null",
    )
    .await?;
    for page in &phones {
        let hidden = page
            .script(
                "const c = document.querySelector('[data-testid=\"group-card\"]'); return !c || c.hidden",
                vec![],
            )
            .await?;
        assert_eq!(hidden, json!(true), "a group card after the breakout");
    }
    Ok(())
}
