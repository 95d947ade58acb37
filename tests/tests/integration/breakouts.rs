//! Breakouts over real WebSockets (issue 14): a group's notes reach, byte
//! for byte, only the people who are or were in the group (live, in a
//! replay and in a fresh snapshot) until a member shares them after the
//! breakout; a phone that drops its connection comes back to its group with
//! the group's notes; a breakout survives the server stopping abruptly,
//! groups, step, planned end and notes alike; and bad input is refused with
//! a typed reason while nothing changes.

use std::time::Duration;

use moot_server::Config;
use moot_server::clock::Clock;
use moot_shared::limits::{GROUP_NOTE_MAX_CHARS, PRESENCE_GRACE_MILLIS};
use moot_shared::room::agenda::{Format, PhaseId, PhaseKind, PhaseSpec};
use moot_shared::room::breakout::{Breakout, BreakoutScript, Forming, Group, GroupNumber};
use moot_shared::room::{Breakouts, Presence};
use moot_shared::text::TextProblem;
use moot_shared::{Command, ParticipantId, Rejection, Seq};
use moot_tests::{TestClient, TestServer, text};

/// The note a group keeps.
const KEPT: &str = "One of us wants to move to the platform team by May";
/// The note a group writes and takes off its pad again.
const REMOVED: &str = "One of us is thinking of quitting";

/// A breakout phase of groups of `size`, formed at random, one open step
/// for the whole phase.
fn breakout_phase(size: u8, planned_secs: u32) -> PhaseSpec {
    PhaseSpec {
        kind: PhaseKind::Breakout {
            size,
            forming: Forming::Random,
            script: BreakoutScript::Open,
        },
        title: text("In pairs"),
        prompt: None,
        planned_secs,
        title_key: None,
        prompt_key: None,
    }
}

/// Puts a breakout phase of groups of `size` on a custom agenda and enters
/// it, which splits everyone present into groups.
async fn start_breakout(facilitator: &mut TestClient, size: u8) {
    facilitator
        .run(Command::SetAgenda {
            format: Format::Custom,
        })
        .await;
    facilitator
        .run(Command::InsertPhase {
            after: None,
            spec: breakout_phase(size, 30 * 60),
        })
        .await;
    facilitator
        .run(Command::NextPhase {
            from: None,
            seed: 0,
        })
        .await;
}

/// The breakout running in `client`'s room.
fn running(client: &TestClient) -> &Breakout {
    client
        .room
        .as_ref()
        .and_then(|room| room.breakouts.current())
        .expect("a breakout runs")
}

/// The group `number` of the last breakout in `client`'s room, running or
/// ended.
fn group(client: &TestClient, number: GroupNumber) -> &Group {
    client
        .room
        .as_ref()
        .and_then(|room| room.breakouts.runs.last())
        .and_then(|breakout| breakout.group(number))
        .expect("the group")
}

/// The texts of a group's notes as `client` sees them.
fn notes(client: &TestClient, number: GroupNumber) -> Vec<String> {
    group(client, number)
        .notes
        .iter()
        .map(|note| note.text.to_string())
        .collect()
}

/// Whether any frame the client received (snapshots, events, answers)
/// holds `needle`.
fn saw(client: &TestClient, needle: &str) -> bool {
    client.frames.iter().any(|frame| frame.contains(needle))
}

/// Reads until the client has folded every event up to `seq`. The client
/// fails on a gap, so having reached `seq` means it received each event.
async fn catch_up(client: &mut TestClient, seq: Seq) {
    while client.seq < seq {
        match client.next().await.expect("the server answers") {
            Ok(_) => {}
            Err(closed) => panic!("closed before seq {}: {closed:?}", seq.0),
        }
    }
}

/// Takes the phone of `id` out of `phones`.
fn take(phones: &mut Vec<TestClient>, id: ParticipantId) -> TestClient {
    let at = phones
        .iter()
        .position(|phone| phone.me == Some(id))
        .expect("a phone of someone in the meetup");
    phones.remove(at)
}

/// A server whose clock moves only when the test moves it, so nobody turns
/// gone and no step ends unless the test says so.
async fn manual_server(clock: &Clock) -> TestServer {
    TestServer::with_config(Config {
        clock: clock.clone(),
        ..Config::default()
    })
    .await
}

#[tokio::test]
async fn a_groups_notes_reach_only_its_members_until_one_shares_them() {
    let clock = Clock::manual(moot_server::now());
    let server = manual_server(&clock).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut screen = TestClient::screen(&server, code, &opened.screen_url).await;
    let mut phones = Vec::new();
    for name in ["Ada", "Bo", "Cy", "Dan", "Eve"] {
        phones.push(TestClient::join(&server, code, name).await);
    }
    start_breakout(&mut fran, 2).await;
    let started = running(&fran).clone();
    let fran_id = fran.me.expect("Fran is in");
    // Six people in pairs: three pairs, Fran in one of them.
    assert_eq!(started.groups.len(), 3, "{:?}", started.groups);
    assert!(started.groups.iter().all(|group| group.members.len() == 2));

    // A pair without Fran writes; everyone outside it listens.
    let writers = started
        .groups
        .iter()
        .find(|group| !group.members.contains(&fran_id))
        .expect("a pair without Fran")
        .clone();
    let number = writers.number;
    let mut writer = take(&mut phones, writers.members[0]);
    let mut partner = take(&mut phones, writers.members[1]);
    let mut outsider = phones.remove(0);
    let away = phones.remove(0);
    let outsider_token = outsider.token.clone().expect("a phone has a token");
    for client in [&mut outsider, &mut screen, &mut partner] {
        client
            .wait_for("the breakout", |room| room.breakouts.current().is_some())
            .await
            .unwrap();
    }
    // One phone is offline while the notes are written: it is caught up
    // by replay.
    let away = away.drop_connection().await;

    writer.run(Command::AddGroupNote { text: text(KEPT) }).await;
    writer
        .run(Command::AddGroupNote {
            text: text(REMOVED),
        })
        .await;
    let removed = group(&writer, number)
        .notes
        .iter()
        .find(|note| note.text.as_str() == REMOVED)
        .expect("the note just written")
        .id;
    let written = writer.run(Command::RemoveGroupNote { note: removed }).await;

    // The group has them, live.
    catch_up(&mut partner, written).await;
    assert_eq!(notes(&partner, number), [KEPT]);
    assert!(saw(&partner, KEPT) && saw(&partner, REMOVED));
    // Nobody else received a byte of them, though they received the events.
    for (who, client) in [
        ("another pair", &mut outsider),
        ("Fran", &mut fran),
        ("the screen", &mut screen),
    ] {
        catch_up(client, written).await;
        assert!(notes(client, number).is_empty(), "{who} holds the notes");
        assert!(!saw(client, KEPT), "{who} received the kept note");
        assert!(!saw(client, REMOVED), "{who} received the removed note");
    }

    // Nor in a replay.
    let mut away = TestClient::resume(&server, code, away).await;
    assert!(
        !away.frames[0].contains("\"snapshot\""),
        "caught up by replay: {}",
        away.frames[0]
    );
    catch_up(&mut away, written).await;
    assert!(!saw(&away, KEPT) && !saw(&away, REMOVED));

    // Moved into the group, one receives its notes with the move; the
    // others receive the move without them.
    let away_id = away.me.expect("a phone is someone");
    let moved = fran
        .run(Command::MoveToGroup {
            participant: away_id,
            group: Some(number),
        })
        .await;
    catch_up(&mut away, moved).await;
    assert_eq!(notes(&away, number), [KEPT]);
    assert!(!saw(&away, REMOVED), "a note taken off the pad stays off");
    for (who, client) in [
        ("another pair", &mut outsider),
        ("Fran", &mut fran),
        ("the screen", &mut screen),
    ] {
        catch_up(client, moved).await;
        assert!(group(client, number).members.contains(&away_id));
        assert!(!saw(client, KEPT), "{who} received the notes with the move");
    }

    // Nor in a fresh snapshot.
    let fresh = [
        (
            "another pair",
            TestClient::rejoin(&server, code, &outsider_token, None).await,
        ),
        (
            "Fran",
            TestClient::rejoin(&server, code, &opened.token, None).await,
        ),
        (
            "the screen",
            TestClient::screen(&server, code, &opened.screen_url).await,
        ),
    ];
    for (who, client) in &fresh {
        assert!(client.frames[0].contains("\"snapshot\""), "{who}");
        assert_eq!(group(client, number).members.len(), 3, "{who}");
        assert!(notes(client, number).is_empty(), "{who} holds the notes");
        assert!(!saw(client, KEPT) && !saw(client, REMOVED), "{who}");
    }
    drop(fresh);

    // The breakout ends: still the group's.
    let ended = fran.run(Command::EndBreakout { countdown_secs: 0 }).await;
    for client in [&mut outsider, &mut screen, &mut partner] {
        catch_up(client, ended).await;
    }
    assert!(!saw(&outsider, KEPT) && !saw(&fran, KEPT) && !saw(&screen, KEPT));

    // A member shares them: now everyone's, the screen's included, and
    // only what the pad held.
    let shared = partner
        .run(Command::ShareGroupNotes {
            breakout: started.id,
        })
        .await;
    for (who, client) in [
        ("another pair", &mut outsider),
        ("Fran", &mut fran),
        ("the screen", &mut screen),
        ("the writer", &mut writer),
        ("the one moved in", &mut away),
    ] {
        catch_up(client, shared).await;
        assert_eq!(notes(client, number), [KEPT], "{who}");
        assert!(group(client, number).shared, "{who}");
        assert!(saw(client, KEPT), "{who}");
    }
    let late_screen = TestClient::screen(&server, code, &opened.screen_url).await;
    assert_eq!(notes(&late_screen, number), [KEPT]);
    for client in [&outsider, &fran, &screen, &late_screen] {
        assert!(!saw(client, REMOVED));
    }
}

#[tokio::test]
async fn a_phone_coming_back_mid_breakout_lands_in_its_group_with_its_notes() {
    let clock = Clock::manual(moot_server::now());
    let server = manual_server(&clock).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut phones = Vec::new();
    for name in ["Ada", "Bo", "Cy", "Dan"] {
        phones.push(TestClient::join(&server, code, name).await);
    }
    start_breakout(&mut fran, 2).await;
    let started = running(&fran).clone();
    // Five people in pairs: a pair and a triad, never anyone alone.
    let mut sizes: Vec<usize> = started
        .groups
        .iter()
        .map(|group| group.members.len())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [2, 3], "{:?}", started.groups);

    // A phone of the pair, and its partner (who may be Fran).
    let pair = started
        .groups
        .iter()
        .find(|group| group.members.len() == 2)
        .expect("the pair")
        .clone();
    let number = pair.number;
    let fran_id = fran.me.expect("Fran is in");
    let phone_id = *pair
        .members
        .iter()
        .find(|member| **member != fran_id)
        .expect("a phone in the pair");
    let partner_id = *pair
        .members
        .iter()
        .find(|member| **member != phone_id)
        .expect("a partner");
    let mut phone = take(&mut phones, phone_id);
    let mut partner = if partner_id == fran_id {
        fran
    } else {
        take(&mut phones, partner_id)
    };
    let token = phone.token.clone().expect("a phone has a token");
    partner
        .wait_for("the breakout", |room| room.breakouts.current().is_some())
        .await
        .unwrap();

    phone
        .run(Command::AddGroupNote {
            text: text("Pair on the release checklist"),
        })
        .await;
    let saved = phone.drop_connection().await;
    partner
        .wait_for("the phone away", |room| {
            room.participant(phone_id)
                .is_some_and(|person| person.presence == Presence::Away)
        })
        .await
        .unwrap();
    partner
        .run(Command::AddGroupNote {
            text: text("Ask the SRE guild about on-call"),
        })
        .await;
    let both = [
        "Pair on the release checklist",
        "Ask the SRE guild about on-call",
    ];
    let all = [both[0], both[1], "Book a room for the demo"];

    // Resuming, the replay puts it where it was, with both notes.
    let mut phone = TestClient::resume(&server, code, saved).await;
    assert!(!phone.frames[0].contains("\"snapshot\""), "a replay");
    phone
        .wait_for("the partner's note", |room| {
            room.breakouts
                .current()
                .and_then(|breakout| breakout.group(number))
                .is_some_and(|group| group.notes.len() == 2)
        })
        .await
        .unwrap();
    assert_eq!(
        running(&phone).group_of(phone_id).map(|group| group.number),
        Some(number)
    );
    assert_eq!(group(&phone, number).members, pair.members);
    assert_eq!(notes(&phone, number), both);

    // A fresh page load: the same, from a snapshot.
    let reloaded = TestClient::rejoin(&server, code, &token, None).await;
    assert!(reloaded.frames[0].contains("\"snapshot\""));
    assert_eq!(group(&reloaded, number).members, pair.members);
    assert_eq!(notes(&reloaded, number), both);
    drop(reloaded);

    // Away for longer than the grace period, it turns gone and leaves the
    // pair; coming back, it is placed in the smallest group: its own,
    // where its partner waited alone.
    // (The partner sees it back first, so that "away" below is news.)
    partner
        .wait_for("the phone back", |room| {
            room.participant(phone_id)
                .is_some_and(|person| person.presence == Presence::Here)
        })
        .await
        .unwrap();
    let saved = phone.kill_connection();
    partner
        .wait_for("the phone away again", |room| {
            room.participant(phone_id)
                .is_some_and(|person| person.presence == Presence::Away)
        })
        .await
        .unwrap();
    clock.advance(Duration::from_millis(PRESENCE_GRACE_MILLIS + 1000));
    partner
        .wait_for("the phone out of the pair", |room| {
            room.breakouts.current().is_some_and(|breakout| {
                breakout.group_of(phone_id).is_none()
                    && breakout.group(number).map(|group| group.members.len()) == Some(1)
            })
        })
        .await
        .unwrap();
    // The partner writes on while waiting: the pair's notes stay the
    // phone's to read.
    partner
        .run(Command::AddGroupNote { text: text(all[2]) })
        .await;
    let mut phone = TestClient::resume(&server, code, saved).await;
    // Its own room still has it in the pair from before: it is caught up
    // once it has every event up to the one that puts it back.
    partner
        .wait_for("the phone back in the pair", |room| {
            room.breakouts
                .current()
                .is_some_and(|breakout| breakout.group_of(phone_id).is_some())
        })
        .await
        .unwrap();
    catch_up(&mut phone, partner.seq).await;
    assert_eq!(
        running(&phone).group_of(phone_id).map(|group| group.number),
        Some(number)
    );
    assert_eq!(group(&phone, number).members.len(), 2);
    assert_eq!(notes(&phone, number), all);
}

#[tokio::test]
async fn a_breakout_survives_a_crash_with_its_groups_step_time_and_notes() {
    let clock = Clock::manual(moot_server::now());
    let server = manual_server(&clock).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.to_string();
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    let mut phones = Vec::new();
    for name in ["Ada", "Bo", "Cy", "Dan", "Eve"] {
        phones.push(TestClient::join(&server, &code, name).await);
    }
    // Troika consulting: a silent minute, then 30 minutes in triads.
    fran.run(Command::SetAgenda {
        format: Format::Troika,
    })
    .await;
    fran.run(Command::NextPhase {
        from: None,
        seed: 0,
    })
    .await;
    fran.run(Command::NextPhase {
        from: Some(PhaseId(1)),
        seed: 0,
    })
    .await;
    let started = running(&fran).clone();
    assert_eq!(started.groups.len(), 2, "{:?}", started.groups);
    assert!(started.groups.iter().all(|group| group.members.len() == 3));

    // Into the second round, its first step given more time, after a while.
    for (round, step) in [(0, 0), (0, 1), (0, 2), (0, 3)] {
        fran.run(Command::NextBreakoutStep { round, step }).await;
    }
    clock.advance(Duration::from_secs(30));
    fran.run(Command::ExtendBreakout { delta_secs: 45 }).await;
    clock.advance(Duration::from_secs(20));
    // Every group writes; one takes a note off again and says it is done.
    for (index, group) in started.groups.iter().enumerate() {
        let writer = phones
            .iter_mut()
            .find(|phone| phone.me.is_some_and(|me| group.members.contains(&me)))
            .expect("a phone in each triad");
        writer
            .run(Command::AddGroupNote {
                text: text(&format!("Group {index} keeps this")),
            })
            .await;
        if index == 0 {
            writer
                .run(Command::AddGroupNote {
                    text: text("and not this"),
                })
                .await;
            let last = group_notes_last(writer, group.number);
            writer.run(Command::RemoveGroupNote { note: last }).await;
            writer.run(Command::SetGroupDone { done: true }).await;
        }
    }
    // What a member of each group, Fran and the screen see, from a fresh
    // snapshot each.
    let mut viewers: Vec<Option<String>> = started
        .groups
        .iter()
        .map(|group| {
            phones
                .iter()
                .find(|phone| phone.me.is_some_and(|me| group.members.contains(&me)))
                .and_then(|phone| phone.token.clone())
        })
        .collect();
    viewers.push(Some(opened.token.clone()));
    viewers.push(None);
    let mut before = Vec::new();
    for viewer in &viewers {
        before.push(snapshot_of(&server, &code, viewer.as_deref(), &opened.screen_url).await);
    }
    let breakout = before[0].current().expect("a breakout runs").clone();
    assert_eq!((breakout.step.round, breakout.step.step), (1, 0));
    let ends_at = breakout.step.ends_at.expect("a timed step");
    // Troika's first step of a round is 2 of 30 minutes, given 45 s more.
    assert_eq!(
        ends_at.0 - breakout.step.started_at.0,
        (120 + 45) * 1000,
        "{breakout:?}"
    );
    let remaining = ends_at.0 - clock.now().0;
    assert_eq!(remaining, (120 + 45 - 50) * 1000);
    assert_eq!(breakout.groups[0].notes.len(), 1);
    assert!(breakout.groups[0].done);
    // Each sees their own group's notes only: the views to compare differ.
    assert!(breakout.groups[1].notes.is_empty());
    let other = before[1].current().expect("a breakout runs");
    assert_eq!(other.groups[1].notes.len(), 1);
    assert!(other.groups[0].notes.is_empty());

    drop(phones);
    drop(fran);
    let data_dir = server.crash();
    let server = TestServer::with_data(Config {
        data_dir,
        clock: clock.clone(),
        ..Config::default()
    })
    .await;

    let mut after = Vec::new();
    for viewer in &viewers {
        after.push(snapshot_of(&server, &code, viewer.as_deref(), &opened.screen_url).await);
    }
    assert_eq!(after, before, "every viewer sees the breakout as it was");
    assert_eq!(ends_at.0 - clock.now().0, remaining, "the same time left");

    // And it goes on from its planned end, even when the server wakes up
    // late for it.
    let mut fran = TestClient::rejoin(&server, &code, &opened.token, None).await;
    clock.set(ends_at.plus_millis(5000));
    fran.wait_for("the next step", |room| {
        room.breakouts
            .current()
            .is_some_and(|breakout| (breakout.step.round, breakout.step.step) == (1, 1))
    })
    .await
    .unwrap();
    assert_eq!(running(&fran).step.started_at, ends_at);
}

/// The breakouts as a fresh page load gets them in its snapshot: of the
/// phone (or facilitator) holding `token`, or with none, of the screen.
async fn snapshot_of(
    server: &TestServer,
    code: &str,
    token: Option<&str>,
    screen_url: &str,
) -> Breakouts {
    let client = match token {
        Some(token) => TestClient::rejoin(server, code, token, None).await,
        None => TestClient::screen(server, code, screen_url).await,
    };
    client.room.expect("a snapshot").breakouts
}

/// The number of the last note of group `number` as `client` sees it.
fn group_notes_last(
    client: &TestClient,
    number: GroupNumber,
) -> moot_shared::room::breakout::GroupNoteId {
    group(client, number)
        .notes
        .last()
        .expect("a note was written")
        .id
}

#[tokio::test]
async fn bad_breakout_input_is_refused_with_a_reason_and_changes_nothing() {
    let clock = Clock::manual(moot_server::now());
    let server = manual_server(&clock).await;
    let opened = server.open_meetup("Guild", "Fran").await;
    let code = opened.join_code.as_str();
    let mut fran = TestClient::rejoin(&server, code, &opened.token, None).await;
    let mut phones = Vec::new();
    for name in ["Ada", "Bo", "Cy"] {
        phones.push(TestClient::join(&server, code, name).await);
    }
    // Dan comes and goes before the breakout.
    let mut dan = TestClient::join(&server, code, "Dan").await;
    let dan_id = dan.me.expect("Dan is in");
    dan.run(Command::Leave).await;
    start_breakout(&mut fran, 2).await;
    let started = running(&fran).clone();
    assert_eq!(started.groups.len(), 2, "{:?}", started.groups);
    assert!(
        started
            .groups
            .iter()
            .all(|group| !group.members.contains(&dan_id))
    );

    // A phone in one pair writes a note; a phone in the other pair is the
    // one who tries to take it off.
    let in_group = |phones: &[TestClient], number: GroupNumber| -> ParticipantId {
        let group = started.group(number).expect("the group");
        phones
            .iter()
            .filter_map(|phone| phone.me)
            .find(|me| group.members.contains(me))
            .expect("a phone in each pair")
    };
    let first = started.groups[0].number;
    let second = started.groups[1].number;
    let (writer_id, other_id) = (in_group(&phones, first), in_group(&phones, second));
    let mut writer = take(&mut phones, writer_id);
    let mut other = take(&mut phones, other_id);
    writer
        .run(Command::AddGroupNote {
            text: text("Our pair's note"),
        })
        .await;
    let note = group_notes_last(&writer, first);
    catch_up(&mut fran, writer.seq).await;
    let seq = fran.seq;
    let room = fran.room.clone().expect("a room");

    // A phone cannot bring everyone back.
    let end = writer
        .command(Command::EndBreakout { countdown_secs: 0 })
        .await;
    assert_eq!(writer.answer(&end).await, Err(Rejection::FacilitatorsOnly));
    // A note one character over the limit, as a hostile client sends it.
    let long = "x".repeat(GROUP_NOTE_MAX_CHARS + 1);
    writer
        .send_raw(&format!(
            r#"{{"type":"command","request_id":"long-note","command":{{"type":"add_group_note","text":"{long}"}}}}"#
        ))
        .await
        .unwrap();
    assert_eq!(
        writer.answer("long-note").await,
        Err(Rejection::InvalidField {
            field: "text".into(),
            problem: TextProblem::TooLong {
                max_chars: GROUP_NOTE_MAX_CHARS
            },
        })
    );
    // Another pair's note is not one's own to take off.
    let remove = other.command(Command::RemoveGroupNote { note }).await;
    assert_eq!(other.answer(&remove).await, Err(Rejection::UnknownNote));
    // Nobody moves someone who left, or who never came.
    for participant in [dan_id, ParticipantId(uuid::Uuid::new_v4())] {
        let request = fran
            .command(Command::MoveToGroup {
                participant,
                group: Some(first),
            })
            .await;
        assert_eq!(
            fran.answer(&request).await,
            Err(Rejection::UnknownParticipant)
        );
    }
    // Groups of five are not breakouts.
    let insert = fran
        .command(Command::InsertPhase {
            after: Some(started.phase),
            spec: breakout_phase(5, 600),
        })
        .await;
    assert_eq!(
        fran.answer(&insert).await,
        Err(Rejection::GroupSizeOutOfRange { min: 2, max: 4 })
    );

    // Nothing happened: Fran's next command is the very next event, and the
    // room is as it was.
    let next = fran
        .run(Command::SetCallLink {
            link: Some(text("https://meet.example/guild-{n}")),
        })
        .await;
    assert_eq!(next.0, seq.0 + 1);
    let now = fran.room.as_ref().expect("a room");
    assert_eq!(now.agenda, room.agenda);
    let mut breakouts = now.breakouts.clone();
    if let Some(run) = breakouts.runs.last_mut() {
        run.call_link = None;
    }
    assert_eq!(breakouts, room.breakouts);
    catch_up(&mut writer, next).await;
    assert_eq!(notes(&writer, first), ["Our pair's note"]);

    // The limit counts characters, not bytes.
    let longest = "é".repeat(GROUP_NOTE_MAX_CHARS);
    writer
        .run(Command::AddGroupNote {
            text: text(&longest),
        })
        .await;
    assert_eq!(notes(&writer, first).last(), Some(&longest));
}
