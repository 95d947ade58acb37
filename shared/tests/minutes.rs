//! Golden tests of the minutes: a scripted meetup, exported as JSON and
//! Markdown, compared with `tests/golden/minutes.{json,md}`. Set
//! `MOOT_UPDATE_GOLDEN=1` to rewrite them after a deliberate change (and
//! read the diff).

mod common;

use common::{Opening, id, join, run_at};
use moot_shared::minutes::{Minutes, action_items_markdown};
use moot_shared::room::CredentialDigest;
use moot_shared::room::board::{DueDate, NoteKind, TopicId};
use moot_shared::room::lifecycle::{CarriedOver, ReviewOutcome, carry_over};
use moot_shared::room::poll::{PollKind, PollSetup, Secrecy};
use moot_shared::room::queue::EntryKind;
use moot_shared::text::{ActionText, NoteText, PollQuestion, PollReason, TopicTitle};
use moot_shared::{Actor, Command, DisplayName, Lang, ParticipantId, Room, Timestamp};

/// Later than the other tests' meetups: the minutes' golden files hold it.
const T0: u64 = 1_795_000_000_000;

fn at(seconds: u64) -> Timestamp {
    Timestamp(T0 + seconds * 1000)
}

/// Applies a command that must succeed, folding its events.
fn run(room: &mut Room, actor: ParticipantId, command: Command, seconds: u64) {
    run_at(
        room,
        Actor::Participant(actor),
        command.clone(),
        at(seconds),
    )
    .unwrap_or_else(|reason| panic!("{command:?}: {reason:?}"));
}

fn system(room: &mut Room, command: Command, seconds: u64) {
    run_at(room, Actor::System, command, at(seconds)).unwrap();
}

/// Fran opens `title` (following an earlier meetup, if any); Ada, Bo and Cy
/// join five seconds later, each with their name as credential digest.
fn open(title: &'static str, follows: Option<CarriedOver>) -> Room {
    let opening = Opening {
        title,
        facilitator_name: "Fran",
        credential: CredentialDigest("f".into()),
        follows,
        ..Opening::default()
    };
    let (mut room, _) = common::open(&opening, [], at(0));
    for (n, name) in [(2, "Ada"), (3, "Bo"), (4, "Cy")] {
        system(&mut room, join(n, name, CredentialDigest(name.into())), 5);
    }
    room
}

fn poll(question: &str, kind: PollKind, secrecy: Secrecy) -> Command {
    Command::OpenPoll {
        setup: PollSetup {
            question: PollQuestion::parse(question).unwrap(),
            kind,
            options: Vec::new(),
            secrecy,
            auto_reveal: false,
            time_limit_secs: None,
            question_key: None,
        },
    }
}

fn vote(room: &mut Room, who: u128, choice: u8, reason: Option<&str>, seconds: u64) {
    let poll = room.polls.current().unwrap().id;
    let reason = reason.map(|text| PollReason::parse(text).unwrap());
    run(
        room,
        id(who),
        Command::CastVote {
            poll,
            choice,
            reason,
        },
        seconds,
    );
}

/// A whole meetup: topics, dots, a discussion with notes and an action item,
/// two speaking turns, a named and an anonymous poll, then the end.
fn scripted_meetup() -> Room {
    let mut room = open("Platform guild", None);
    for (who, title) in [(2, "Flaky CI"), (3, "Onboarding docs"), (4, "Team lunch")] {
        let command = Command::ProposeTopic {
            title: TopicTitle::parse(title).unwrap(),
            details: None,
        };
        run(&mut room, id(who), command, 10);
    }
    for (who, topic) in [(2, 1), (2, 1), (3, 1), (3, 2), (3, 2), (4, 3)] {
        run(
            &mut room,
            id(who),
            Command::PlaceDot {
                topic: TopicId(topic),
            },
            20,
        );
    }
    run(&mut room, id(1), Command::RevealVotes, 30);
    run(
        &mut room,
        id(1),
        Command::StartTopic { topic: TopicId(1) },
        60,
    );
    let note = |kind, text: &str| Command::AddNote {
        topic: TopicId(1),
        kind,
        text: NoteText::parse(text).unwrap(),
    };
    run(
        &mut room,
        id(2),
        note(NoteKind::Note, "Three suites fail one run in ten"),
        65,
    );
    run(
        &mut room,
        id(3),
        note(NoteKind::Takeaway, "Retries hide real failures"),
        66,
    );
    let action = Command::AddActionItem {
        topic: TopicId(1),
        text: ActionText::parse("Quarantine the flaky suites").unwrap(),
        owner: id(2),
        due: Some(DueDate::parse("2026-12-01").unwrap()),
    };
    run(&mut room, id(1), action, 67);

    // Ada speaks for a minute, Bo for half a minute.
    run(
        &mut room,
        id(2),
        Command::RaiseHand {
            kind: EntryKind::NewPoint,
            note: None,
        },
        68,
    );
    run(&mut room, id(1), Command::NextSpeaker { turn: None }, 70);
    let turn = room.queue.speaker.as_ref().unwrap().turn;
    run(&mut room, id(2), Command::FinishTurn { turn }, 130);
    run(
        &mut room,
        id(3),
        Command::RaiseHand {
            kind: EntryKind::BuildOn,
            note: None,
        },
        135,
    );
    run(&mut room, id(1), Command::NextSpeaker { turn: None }, 140);
    let turn = room.queue.speaker.as_ref().unwrap().turn;
    run(&mut room, id(3), Command::FinishTurn { turn }, 170);

    run(
        &mut room,
        id(1),
        poll("Continue this topic?", PollKind::Roman, Secrecy::Secret),
        200,
    );
    vote(&mut room, 2, 0, None, 201);
    vote(&mut room, 3, 2, Some("We are going in circles"), 202);
    vote(&mut room, 4, 0, None, 203);
    let named = room.polls.current().unwrap().id;
    run(&mut room, id(1), Command::RevealPoll { poll: named }, 204);
    run(&mut room, id(1), Command::ClosePoll { poll: named }, 205);

    run(
        &mut room,
        id(1),
        poll(
            "Adopt the retry policy?",
            PollKind::Proposal,
            Secrecy::Anonymous,
        ),
        300,
    );
    vote(&mut room, 2, 0, None, 301);
    vote(&mut room, 3, 3, Some("It hides real failures"), 302);
    vote(&mut room, 4, 1, None, 303);
    let anonymous = room.polls.current().unwrap().id;
    run(
        &mut room,
        id(1),
        Command::RevealPoll { poll: anonymous },
        304,
    );

    run(
        &mut room,
        id(1),
        Command::FinishTopic { topic: TopicId(1) },
        480,
    );
    run(
        &mut room,
        id(1),
        Command::ParkTopic { topic: TopicId(3) },
        490,
    );
    run(&mut room, id(1), Command::EndMeetup, 600);
    room
}

fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("MOOT_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with MOOT_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    assert_eq!(actual, expected, "{name} differs from the golden file");
}

#[test]
fn the_minutes_of_a_scripted_meetup_are_pinned() {
    let room = scripted_meetup();
    let minutes = Minutes::of(&room, at(700), Lang::En);
    golden(
        "minutes.json",
        &(serde_json::to_string_pretty(&minutes).unwrap() + "\n"),
    );
    golden("minutes.md", &minutes.to_markdown(60, Lang::En));
    // The facts a reader checks first.
    assert_eq!(minutes.topics[0].title, "Flaky CI");
    assert_eq!(
        minutes.topics[0].time_spent_ms, 420_000,
        "started at +60 s, finished at +480 s"
    );
    assert_eq!(minutes.topics[0].dots, Some(3));
    assert_eq!(minutes.airtime[0].airtime_ms, 60_000);
    assert_eq!(minutes.airtime[1].airtime_ms, 30_000);
    assert_eq!(minutes.ended_at, Some(at(600)));
}

/// The same meetup in German: every heading, label, date and duration in
/// German words, user text as it was typed.
#[test]
fn the_german_minutes_of_the_scripted_meetup_are_pinned() {
    let room = scripted_meetup();
    let minutes = Minutes::of(&room, at(700), Lang::De);
    golden("minutes.de.md", &minutes.to_markdown(60, Lang::De));
    assert_eq!(
        minutes.polls[1].results.as_ref().unwrap().reading,
        "Blockiert (1): der Vorschlag ist nicht angenommen."
    );
}

#[test]
fn an_anonymous_polls_voters_appear_nowhere_in_the_minutes() {
    let room = scripted_meetup();
    let minutes = Minutes::of(&room, at(700), Lang::En);
    let anonymous = minutes.polls.iter().find(|poll| poll.anonymous).unwrap();
    let json = serde_json::to_string(anonymous).unwrap();
    let markdown = minutes.to_markdown(0, Lang::En);
    let section = &markdown[markdown.find("Adopt the retry policy").unwrap()..];
    let section = &section[..section.find("## Airtime").unwrap_or(section.len())];
    for name in ["Fran", "Ada", "Bo", "Cy"] {
        assert!(
            !json.contains(name),
            "{name} in the anonymous poll's JSON: {json}"
        );
        assert!(
            !section.contains(name),
            "{name} in the anonymous poll's Markdown: {section}"
        );
    }
    // The reason is there, unattributed; the named poll keeps its names.
    assert!(section.contains("It hides real failures"));
    let named = minutes.polls.iter().find(|poll| !poll.anonymous).unwrap();
    assert_eq!(
        named.results.as_ref().unwrap().reasons[0].by.as_deref(),
        Some("Bo")
    );
}

#[test]
fn hidden_dots_and_unrevealed_polls_stay_out_of_the_minutes() {
    let mut room = open("Guild", None);
    let propose = Command::ProposeTopic {
        title: TopicTitle::parse("Secret ballot").unwrap(),
        details: None,
    };
    run(&mut room, id(2), propose, 10);
    run(
        &mut room,
        id(2),
        Command::PlaceDot { topic: TopicId(1) },
        11,
    );
    run(
        &mut room,
        id(1),
        poll("Ready?", PollKind::YesNo, Secrecy::Secret),
        12,
    );
    vote(&mut room, 2, 0, None, 13);
    let minutes = Minutes::of(&room, at(20), Lang::En);
    assert_eq!(minutes.topics[0].dots, None);
    assert_eq!(minutes.polls[0].results, None);
    assert!(minutes.to_markdown(0, Lang::En).contains("Not revealed."));
}

#[test]
fn a_participant_gets_their_own_action_items() {
    let room = scripted_meetup();
    let ada = action_items_markdown(&room, id(2), Lang::En);
    assert!(
        ada.contains("Quarantine the flaky suites, due 2026-12-01 (topic: Flaky CI)"),
        "{ada}"
    );
    assert!(action_items_markdown(&room, id(3), Lang::En).contains("None."));
}

#[test]
fn the_next_meetup_of_a_series_carries_what_is_open_and_reviews_it() {
    let earlier = scripted_meetup();
    let carried = carry_over(&earlier);
    let titles: Vec<&str> = carried
        .topics
        .iter()
        .map(|topic| topic.title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Onboarding docs", "Team lunch"],
        "to discuss and parked carry over; discussed does not"
    );
    assert_eq!(carried.action_items.len(), 1);
    assert_eq!(carried.action_items[0].owner.as_str(), "Ada");

    let mut next = open("Platform guild, December", Some(carried));
    assert_eq!(next.board.topics.len(), 2);
    assert_eq!(next.series.review.len(), 1);
    // Participants cannot decide the review; facilitators can.
    let review = Command::ReviewAction {
        item: 1,
        outcome: ReviewOutcome::Done,
    };
    assert!(
        next.apply(Actor::Participant(id(2)), review.clone(), at(10))
            .is_err()
    );
    run(&mut next, id(1), review, 10);
    let minutes = Minutes::of(&next, at(20), Lang::En);
    assert_eq!(minutes.review[0].outcome, Some(ReviewOutcome::Done));
    assert_eq!(minutes.follows.as_deref(), Some("7KQ2M9XD: Platform guild"));
    assert!(
        minutes
            .to_markdown(0, Lang::En)
            .contains("Quarantine the flaky suites — Ada, due 2026-12-01: **done**")
    );
    // Done items do not carry over again; kept ones would.
    assert!(carry_over(&next).action_items.is_empty());
    next.check_invariants().unwrap();
}

#[test]
fn an_ended_meetup_is_a_record() {
    let mut room = scripted_meetup();
    let propose = Command::ProposeTopic {
        title: TopicTitle::parse("Too late").unwrap(),
        details: None,
    };
    let refused = room.apply(Actor::Participant(id(2)), propose, at(700));
    assert_eq!(refused, Err(moot_shared::Rejection::MeetupEnded));
    let join = Command::Join {
        participant: id(9),
        name: DisplayName::parse("Late").unwrap(),
        credential: CredentialDigest("l".into()),
    };
    assert_eq!(
        room.apply(Actor::System, join, at(700)),
        Err(moot_shared::Rejection::MeetupEnded)
    );
    // People may still come back to read it.
    let rejoin = Command::Rejoin {
        participant: id(2),
        credential: CredentialDigest("Ada".into()),
        name: None,
    };
    assert!(room.apply(Actor::System, rejoin, at(700)).is_ok());
    system(&mut room, Command::Tick, 701);
}

/// The agenda section (issue 13): every phase with its planned and actual
/// time, skipped phases said so, and the JSON carrying the whole agenda.
#[test]
fn the_minutes_record_what_was_planned_and_what_happened() {
    use moot_shared::room::agenda::{Format, PhaseId, PhaseState};
    let mut room = open("Guild", None);
    let fran = id(1);
    run(
        &mut room,
        fran,
        Command::SetAgenda {
            format: Format::LeanCoffee,
        },
        10,
    );
    run(
        &mut room,
        fran,
        Command::NextPhase {
            from: None,
            seed: 0,
        },
        10,
    );
    run(
        &mut room,
        fran,
        Command::NextPhase {
            from: Some(PhaseId(1)),
            seed: 0,
        },
        430,
    );
    // Straight to the vote: the pitch round is skipped.
    run(
        &mut room,
        fran,
        Command::GoToPhase {
            phase: PhaseId(4),
            seed: 0,
        },
        730,
    );
    run(&mut room, fran, Command::EndAgenda, 910);

    let minutes = Minutes::of(&room, at(1000), Lang::En);
    let agenda = minutes.agenda.as_ref().expect("an agenda section");
    assert_eq!(agenda.format, Format::LeanCoffee);
    let states: Vec<(u64, PhaseState)> = agenda
        .phases
        .iter()
        .map(|phase| (phase.spent_secs, phase.state))
        .collect();
    assert_eq!(
        states,
        [
            (420, PhaseState::Done),
            (300, PhaseState::Done),
            (0, PhaseState::Skipped),
            (180, PhaseState::Done),
            (0, PhaseState::Skipped),
            (0, PhaseState::Skipped),
            (0, PhaseState::Skipped),
        ]
    );
    let markdown = minutes.to_markdown(0, Lang::En);
    assert!(markdown.contains("## Agenda"), "{markdown}");
    assert!(markdown.contains("Format: Lean Coffee."), "{markdown}");
    assert!(
        markdown.contains("- Check-in: planned 8 min, took 7 min"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- Pitch topics: planned 4 min, skipped"),
        "{markdown}"
    );
    let json = serde_json::to_value(&minutes).unwrap();
    assert_eq!(json["agenda"]["phases"][3]["kind"], "vote");
    assert_eq!(json["agenda"]["phases"][3]["dots"], 3);
}

/// Issue 16: carried topics keep their authors. A topic reads as its
/// author's until someone of that name joins the next meetup; then it is
/// theirs to withdraw. Carried again before they came, it is still theirs.
#[test]
fn carried_topics_read_as_their_authors_and_become_theirs_when_they_join() {
    let carried = carry_over(&scripted_meetup());
    let opening = Opening {
        title: "Platform guild, December",
        facilitator_name: "Fran",
        credential: CredentialDigest("f".into()),
        follows: Some(carried),
        ..Opening::default()
    };
    let (mut next, _) = common::open(&opening, [], at(0));
    let docs = &next.board.topics[0];
    assert_eq!(docs.title.as_str(), "Onboarding docs");
    assert_eq!(docs.author, id(1), "Fran holds it meanwhile");
    assert_eq!(
        docs.carried_author.as_ref().map(DisplayName::as_str),
        Some("Bo")
    );
    assert_eq!(carry_over(&next).topics[0].author.as_str(), "Bo");

    // Bo joins (names compare as the room compares them): it is his.
    system(&mut next, join(3, "bo", CredentialDigest("Bo".into())), 5);
    let docs = &next.board.topics[0];
    assert_eq!((docs.author, docs.carried_author.clone()), (id(3), None));
    assert_eq!(
        next.board.topics[1]
            .carried_author
            .as_ref()
            .map(DisplayName::as_str),
        Some("Cy")
    );
    run(
        &mut next,
        id(3),
        Command::WithdrawTopic { topic: TopicId(1) },
        6,
    );
}

/// Issue 16: the earlier meetup learns of the next one. Every member gets
/// its join code; only the shared screen gets its screen key, in the event
/// and in the snapshot.
#[test]
fn the_next_meetup_reaches_the_earlier_ones_phones_and_only_its_screen_gets_the_key() {
    use moot_shared::room::{ScreenKey, Viewer};
    let mut earlier = scripted_meetup();
    assert!(
        earlier.ended_at.is_some(),
        "an ended meetup still learns of it"
    );
    let key = ScreenKey::parse("5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0").unwrap();
    let code = moot_shared::JoinCode::parse("M4XQ7KDA").unwrap();
    let link = Command::LinkNextMeetup {
        code: code.clone(),
        screen_key: Some(key.clone()),
    };
    assert_eq!(
        earlier.apply(Actor::Participant(id(1)), link.clone(), at(900)),
        Err(moot_shared::Rejection::MeetupEnded)
    );
    let events = run_at(&mut earlier, Actor::System, link, at(900)).unwrap();
    let [event] = events.as_slice() else {
        panic!("one event: {events:?}")
    };
    assert!(event.is_personal());
    let seen_by = |viewer| match event.for_viewer(viewer).into_owned() {
        moot_shared::Event::NextMeetupOpened { code, screen_key } => (code, screen_key),
        other => panic!("{other:?}"),
    };
    assert_eq!(seen_by(Viewer::Participant(id(2))), (code.clone(), None));
    assert_eq!(seen_by(Viewer::Screen), (code.clone(), Some(key.clone())));
    let next_of = |viewer| earlier.for_viewer(viewer).series.next.unwrap();
    assert_eq!(next_of(Viewer::Participant(id(1))).screen_key, None);
    assert_eq!(next_of(Viewer::Screen).screen_key, Some(key));
    assert_eq!(next_of(Viewer::Participant(id(2))).code, code);
}
