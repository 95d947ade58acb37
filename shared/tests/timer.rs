//! The timer and the Lean Coffee timebox through the public reducer API
//! (issue 6), with time injected: pause, resume and adjustment arithmetic;
//! expiry exactly once; the "continue?" vote and its shrinking extensions;
//! exact time spent per topic; the facilitator's overrides; rejections.

mod common;

use common::{NOW, meetup_all_here, who};
use moot_shared::room::Viewer;
use moot_shared::room::board::{Column, TopicId};
use moot_shared::room::poll::{PollId, PollKind, PollStatus};
use moot_shared::room::timer::{CONTINUE_QUESTION, TimerRun, TimerSettings};
use moot_shared::text::TopicTitle;
use moot_shared::{Actor, Command, Event, Rejection, Room, Timestamp};

const FRAN: u128 = 1;
const SEC: u64 = 1_000;

fn at(millis: u64) -> Timestamp {
    NOW.plus_millis(millis)
}

/// The server's room and the shared screen's copy, folded alike.
struct World {
    server: Room,
    screen: Room,
}

impl World {
    /// Fran facilitating and participants 2..=`last`, all here.
    fn new(last: u128) -> World {
        let server = meetup_all_here("Lean Coffee", last);
        World {
            screen: server.for_viewer(Viewer::Screen),
            server,
        }
    }

    /// Applies a command at `now`, folds its events everywhere and checks
    /// every invariant and that the screen agrees with the server.
    fn run_at(
        &mut self,
        actor: Actor,
        command: Command,
        now: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let events = self.server.apply(actor, command, now)?;
        for event in &events {
            self.server.on_event(event);
            self.screen.on_event(&event.for_viewer(Viewer::Screen));
        }
        self.server.check_invariants().expect("invariants hold");
        assert_eq!(self.screen.timer, self.server.timer, "the screen's timer");
        Ok(events)
    }

    fn fran(&mut self, command: Command, now: Timestamp) -> Vec<Event> {
        self.run_at(who(FRAN), command, now).expect("Fran may")
    }

    fn tick(&mut self, now: Timestamp) -> Vec<Event> {
        self.run_at(Actor::System, Command::Tick, now)
            .expect("the server ticks")
    }

    fn vote(&mut self, voter: u128, poll: PollId, choice: u8, now: Timestamp) -> Vec<Event> {
        self.run_at(
            who(voter),
            Command::CastVote {
                poll,
                choice,
                reason: None,
            },
            now,
        )
        .expect("votes")
    }

    /// Proposes a topic and returns its number.
    fn propose(&mut self, title: &str) -> TopicId {
        let events = self
            .run_at(
                who(2),
                Command::ProposeTopic {
                    title: TopicTitle::parse(title).expect("a title"),
                    details: None,
                },
                NOW,
            )
            .expect("proposes");
        match events.as_slice() {
            [Event::TopicProposed { topic, .. }] => *topic,
            other => panic!("unexpected {other:?}"),
        }
    }

    fn remaining(&self, now: Timestamp) -> Option<u64> {
        self.server.timer.remaining_ms(now)
    }

    /// Fran and participants 2..=`last`, discussing P2's topic "Pairing"
    /// since time 0.
    fn discussing_pairing(last: u128) -> (World, TopicId) {
        let mut world = World::new(last);
        let topic = world.propose("Pairing");
        world.fran(Command::StartTopic { topic }, at(0));
        (world, topic)
    }

    fn topic_column(&self, topic: TopicId) -> Column {
        self.server.board.topic(topic).expect("the topic").column
    }
}

fn names(events: &[Event]) -> Vec<&'static str> {
    events
        .iter()
        .map(|event| match event {
            Event::TimerStarted { .. } => "timer_started",
            Event::TimerPaused { .. } => "timer_paused",
            Event::TimerResumed { .. } => "timer_resumed",
            Event::TimerAdjusted { .. } => "timer_adjusted",
            Event::TimerExtended { .. } => "timer_extended",
            Event::TimerExpired { .. } => "timer_expired",
            Event::TimerReset => "timer_reset",
            Event::PollOpened { .. } => "poll_opened",
            Event::PollRevealed { .. } => "poll_revealed",
            Event::PollClosed { .. } => "poll_closed",
            Event::VoteCast { .. } => "vote_cast",
            Event::TopicStarted { .. } => "topic_started",
            Event::TopicFinished { .. } => "topic_finished",
            _ => "other",
        })
        .collect()
}

fn opened_poll(events: &[Event]) -> PollId {
    events
        .iter()
        .find_map(|event| match event {
            Event::PollOpened { poll, .. } => Some(*poll),
            _ => None,
        })
        .expect("a poll opened")
}

#[test]
fn pause_resume_and_adjust_are_exact_arithmetic_on_the_deadline() {
    let mut world = World::new(3);
    world.fran(Command::StartTimer { duration_secs: 300 }, at(0));
    assert_eq!(
        world.server.timer.run,
        TimerRun::Running {
            deadline: at(300 * SEC)
        }
    );
    assert_eq!(world.server.next_deadline(), Some(at(300 * SEC)));
    assert_eq!(world.remaining(at(12_345)), Some(300 * SEC - 12_345));

    // Paused 100.25 s in: 199.75 s left, however long the pause lasts.
    world.fran(Command::PauseTimer, at(100_250));
    assert_eq!(
        world.server.timer.run,
        TimerRun::Paused {
            remaining_ms: 199_750
        }
    );
    assert_eq!(
        world.server.next_deadline(),
        None,
        "a paused timer never expires"
    );
    assert_eq!(world.remaining(at(900 * SEC)), Some(199_750));
    // Pausing again is a repeated tap.
    assert!(world.fran(Command::PauseTimer, at(101 * SEC)).is_empty());

    // Extended by a minute while paused: 259.75 s left.
    world.fran(Command::AdjustTimer { delta_secs: 60 }, at(200 * SEC));
    assert_eq!(world.remaining(at(0)), Some(259_750));

    // Resumed at 500 s: runs out 259.75 s later.
    world.fran(Command::ResumeTimer, at(500 * SEC));
    assert_eq!(
        world.server.timer.run,
        TimerRun::Running {
            deadline: at(759_750)
        }
    );
    assert!(world.fran(Command::ResumeTimer, at(501 * SEC)).is_empty());

    // Shortened by 30 s while running.
    world.fran(Command::AdjustTimer { delta_secs: -30 }, at(600 * SEC));
    assert_eq!(world.server.next_deadline(), Some(at(729_750)));
    // The whole length shows as started, plus 60 s, minus 30 s.
    assert_eq!(world.server.timer.duration_ms, 330 * SEC);

    // Shortened past now: it ends now, never in the past, and the next tick expires it.
    let events = world.fran(Command::AdjustTimer { delta_secs: -600 }, at(700 * SEC));
    assert!(matches!(
        events.as_slice(),
        [Event::TimerAdjusted { delta_ms: -29_750, deadline: Some(deadline), remaining_ms: None }]
            if *deadline == at(700 * SEC)
    ));
    assert_eq!(names(&world.tick(at(700 * SEC))), ["timer_expired"]);
    assert_eq!(world.remaining(at(800 * SEC)), Some(0));
}

#[test]
fn a_paused_timer_shortened_to_nothing_runs_out_now() {
    let mut world = World::new(2);
    world.fran(Command::StartTimer { duration_secs: 60 }, at(0));
    world.fran(Command::PauseTimer, at(50 * SEC));
    world.fran(Command::AdjustTimer { delta_secs: -20 }, at(70 * SEC));
    assert_eq!(world.server.next_deadline(), Some(at(70 * SEC)));
    assert_eq!(names(&world.tick(at(70 * SEC))), ["timer_expired"]);
}

#[test]
fn a_plain_timer_expires_exactly_once() {
    let mut world = World::new(3);
    world.fran(Command::StartTimer { duration_secs: 60 }, at(0));
    assert!(world.tick(at(59_999)).is_empty(), "not yet");
    let events = world.tick(at(60 * SEC));
    assert!(matches!(
        events.as_slice(),
        [Event::TimerExpired { at: when, topic: None, vote: None }] if *when == at(60 * SEC)
    ));
    assert_eq!(world.server.next_deadline(), None);
    assert!(
        world.tick(at(61 * SEC)).is_empty(),
        "a second tick finds nothing"
    );
    assert!(world.tick(at(3_600 * SEC)).is_empty());
    // Pausing what has run out is refused; more time restarts it.
    assert_eq!(
        world
            .server
            .apply(who(FRAN), Command::PauseTimer, at(62 * SEC)),
        Err(Rejection::TimerNotRunning)
    );
    world.fran(Command::AdjustTimer { delta_secs: 120 }, at(62 * SEC));
    assert_eq!(world.server.next_deadline(), Some(at(182 * SEC)));
}

#[test]
fn starting_a_topic_starts_its_timebox_and_expiry_opens_exactly_one_roman_vote() {
    let mut world = World::new(4);
    let topic = world.propose("Pairing");
    let events = world.fran(Command::StartTopic { topic }, at(0));
    assert_eq!(names(&events), ["topic_started", "timer_started"]);
    assert_eq!(world.server.timer.topic, Some(topic));
    assert_eq!(
        world.server.next_deadline(),
        Some(at(420 * SEC)),
        "7 minutes"
    );

    let events = world.tick(at(420 * SEC));
    assert_eq!(names(&events), ["timer_expired", "poll_opened"]);
    let vote = opened_poll(&events);
    assert_eq!(world.server.timer.vote, Some(vote));
    let poll = world.server.polls.get(vote).expect("the vote");
    assert_eq!(poll.setup.kind, PollKind::Roman);
    assert_eq!(poll.setup.question.as_str(), CONTINUE_QUESTION);
    assert!(poll.setup.auto_reveal);

    // The deadline that produced the vote is gone; only the vote's own
    // time limit remains, and ticks before it do nothing.
    assert_eq!(world.server.next_deadline(), Some(at(480 * SEC)));
    for later in [420 * SEC, 421 * SEC, 479 * SEC] {
        assert!(world.tick(at(later)).is_empty());
    }
    assert_eq!(world.server.polls.history.len(), 1, "exactly one vote");
}

#[test]
fn a_majority_up_extends_by_shrinking_steps_then_the_topic_ends_after_the_maximum() {
    let (mut world, topic) = World::discussing_pairing(4);

    // First vote at 7:00, everyone up at 7:10: four more minutes from the reveal.
    let vote = opened_poll(&world.tick(at(420 * SEC)));
    world.vote(2, vote, 0, at(425 * SEC));
    world.vote(3, vote, 0, at(428 * SEC));
    let events = world.vote(4, vote, 1, at(430 * SEC));
    assert_eq!(
        names(&events),
        ["vote_cast", "poll_revealed", "timer_extended"]
    );
    assert!(matches!(
        events.last(),
        Some(Event::TimerExtended { extension: 1, by_ms: 240_000, deadline }) if *deadline == at(670 * SEC)
    ));
    assert_eq!(world.server.timer.extensions, 1);
    assert_eq!(world.server.timer.vote, None);
    assert_eq!(world.topic_column(topic), Column::Discussing);

    // Second vote: extended by two minutes.
    let events = world.tick(at(670 * SEC));
    let vote = opened_poll(&events);
    assert_eq!(world.server.polls.get(vote).map(|p| p.id), Some(PollId(2)));
    for voter in 2..=4 {
        world.vote(voter, vote, 0, at(680 * SEC));
    }
    assert!(matches!(
        world.server.timer.run,
        TimerRun::Running { deadline } if deadline == at(800 * SEC)
    ));
    assert_eq!(world.server.timer.extensions, 2);
    assert_eq!(world.server.timer.duration_ms, (420 + 240 + 120) * SEC);

    // Out of extensions: at zero the topic ends, without a vote.
    let events = world.tick(at(800 * SEC));
    assert_eq!(names(&events), ["timer_expired", "topic_finished"]);
    assert_eq!(world.server.polls.history.len(), 2);
    assert_eq!(world.topic_column(topic), Column::Discussed);
    // Time spent is exact: from the start to the last zero.
    let spent = world.server.board.topic(topic).map(|t| t.time_spent_ms);
    assert_eq!(spent, Some(800 * SEC));
    assert!(world.tick(at(900 * SEC)).is_empty());
}

#[test]
fn extension_steps_halve_and_never_fall_under_the_shortest_timer() {
    let settings = TimerSettings {
        topic_secs: 420,
        first_extension_secs: 240,
        max_extensions: 5,
    };
    let steps: Vec<u64> = (0..6).map(|index| settings.extension_ms(index)).collect();
    assert_eq!(steps, [240_000, 120_000, 60_000, 30_000, 15_000, 10_000]);
    assert_eq!(settings.extension_ms(200), 10_000);
}

#[test]
fn no_majority_moves_the_topic_to_discussed_with_its_exact_time() {
    let mut world = World::new(4);
    let first = world.propose("Pairing");
    let second = world.propose("Hiring");
    world.fran(Command::StartTopic { topic: first }, at(1_500));
    let vote = opened_poll(&world.tick(at(421_500)));
    world.vote(2, vote, 0, at(430 * SEC));
    world.vote(3, vote, 2, at(431 * SEC));
    let events = world.vote(4, vote, 1, at(433_250));
    assert_eq!(
        names(&events),
        ["vote_cast", "poll_revealed", "topic_finished"]
    );
    assert_eq!(world.topic_column(first), Column::Discussed);
    let spent = world.server.board.topic(first).map(|t| t.time_spent_ms);
    assert_eq!(spent, Some(433_250 - 1_500));
    // The timer shows zero until the next topic; the vote has decided.
    assert!(matches!(world.server.timer.run, TimerRun::Expired { .. }));
    assert_eq!(world.server.timer.vote, None);

    // The next topic starts its own timebox in one tap.
    let events = world.fran(Command::StartTopic { topic: second }, at(440 * SEC));
    assert_eq!(names(&events), ["topic_started", "timer_started"]);
    assert_eq!(world.server.timer.extensions, 0);
    assert_eq!(world.server.next_deadline(), Some(at(860 * SEC)));
}

#[test]
fn a_vote_nobody_answers_ends_the_topic_at_its_time_limit() {
    let (mut world, topic) = World::discussing_pairing(3);
    world.tick(at(420 * SEC));
    let events = world.tick(at(480 * SEC));
    assert_eq!(names(&events), ["poll_revealed", "topic_finished"]);
    assert_eq!(world.topic_column(topic), Column::Discussed);
}

#[test]
fn the_facilitator_overrides_the_vote() {
    // More time by hand closes the vote, which can then decide nothing.
    let (mut world, topic) = World::discussing_pairing(4);
    let vote = opened_poll(&world.tick(at(420 * SEC)));
    world.vote(2, vote, 2, at(425 * SEC));
    let events = world.fran(Command::AdjustTimer { delta_secs: 180 }, at(430 * SEC));
    assert_eq!(
        names(&events),
        ["poll_revealed", "poll_closed", "timer_adjusted"]
    );
    assert_eq!(
        world.server.polls.get(vote).map(|poll| poll.status),
        Some(PollStatus::Closed)
    );
    assert_eq!(world.topic_column(topic), Column::Discussing);
    assert_eq!(world.server.next_deadline(), Some(at(610 * SEC)));

    // Starting the next topic during a vote closes it too.
    let next = world.propose("Hiring");
    let vote = opened_poll(&world.tick(at(610 * SEC)));
    let events = world.fran(Command::StartTopic { topic: next }, at(615 * SEC));
    assert_eq!(
        names(&events),
        [
            "topic_finished",
            "topic_started",
            "poll_revealed",
            "poll_closed",
            "timer_started"
        ]
    );
    assert_eq!(world.topic_column(topic), Column::Discussed);
    assert_eq!(
        world.server.board.topic(topic).map(|t| t.time_spent_ms),
        Some(615 * SEC)
    );
    assert_eq!(
        world.server.polls.get(vote).map(|poll| poll.status),
        Some(PollStatus::Closed)
    );
    assert_eq!(world.server.timer.topic, Some(next));

    // Finishing the topic by hand stops its running timebox.
    let events = world.fran(Command::FinishTopic { topic: next }, at(700 * SEC));
    assert_eq!(names(&events), ["topic_finished", "timer_reset"]);
    assert_eq!(world.server.timer.run, TimerRun::Idle);
    assert_eq!(world.server.next_deadline(), None);
}

#[test]
fn a_poll_already_open_at_zero_is_left_alone() {
    let (mut world, topic) = World::discussing_pairing(3);
    world.fran(
        Command::OpenPoll {
            setup: moot_shared::room::poll::PollSetup {
                question: moot_shared::text::PollQuestion::parse("Lunch?").expect("a question"),
                kind: PollKind::YesNo,
                options: Vec::new(),
                secrecy: Default::default(),
                auto_reveal: true,
                time_limit_secs: None,
                question_key: None,
            },
        },
        at(400 * SEC),
    );
    let events = world.tick(at(420 * SEC));
    assert!(matches!(
        events.as_slice(),
        [Event::TimerExpired { vote: None, .. }]
    ));
    assert_eq!(world.topic_column(topic), Column::Discussing);
}

#[test]
fn settings_change_the_next_timebox() {
    let mut world = World::new(3);
    let settings = TimerSettings {
        topic_secs: 120,
        first_extension_secs: 60,
        max_extensions: 0,
    };
    world.fran(Command::ConfigureTimer { settings }, at(0));
    assert!(
        world
            .fran(Command::ConfigureTimer { settings }, at(0))
            .is_empty()
    );
    let topic = world.propose("Pairing");
    world.fran(Command::StartTopic { topic }, at(0));
    assert_eq!(world.server.next_deadline(), Some(at(120 * SEC)));
    // No extensions allowed: zero ends the topic.
    assert_eq!(
        names(&world.tick(at(120 * SEC))),
        ["timer_expired", "topic_finished"]
    );
}

#[test]
fn timer_commands_are_refused_with_typed_reasons() {
    let mut world = World::new(3);
    let start = Command::StartTimer { duration_secs: 60 };
    assert_eq!(
        world.server.apply(who(2), start.clone(), NOW),
        Err(Rejection::FacilitatorsOnly)
    );
    assert_eq!(
        world.server.apply(who(9), start, NOW),
        Err(Rejection::NotInMeetup)
    );
    for command in [Command::PauseTimer, Command::AdjustTimer { delta_secs: 5 }] {
        assert_eq!(
            world.server.apply(who(FRAN), command, NOW),
            Err(Rejection::TimerNotRunning)
        );
    }
    assert_eq!(
        world.server.apply(who(FRAN), Command::ResumeTimer, NOW),
        Err(Rejection::TimerNotPaused)
    );
    assert!(
        world
            .server
            .apply(who(FRAN), Command::ResetTimer, NOW)
            .expect("a repeated tap")
            .is_empty()
    );
    for duration_secs in [0, 9, 14_401, u32::MAX] {
        assert_eq!(
            world
                .server
                .apply(who(FRAN), Command::StartTimer { duration_secs }, NOW),
            Err(Rejection::TimerOutOfRange {
                min_secs: 10,
                max_secs: 14_400
            })
        );
    }
    for delta_secs in [0, 14_401, -14_401, i32::MIN, i32::MAX] {
        assert_eq!(
            moot_shared::room::timer::check_adjustment(delta_secs),
            Err(Rejection::AdjustmentOutOfRange { max_secs: 14_400 })
        );
    }
    let too_many = TimerSettings {
        max_extensions: 6,
        ..TimerSettings::default()
    };
    assert_eq!(
        world.server.apply(
            who(FRAN),
            Command::ConfigureTimer { settings: too_many },
            NOW
        ),
        Err(Rejection::ExtensionsOutOfRange { max: 5 })
    );
    assert_eq!(
        world.server.apply(who(FRAN), Command::Tick, NOW),
        Err(Rejection::ServerOnly)
    );
    world.fran(Command::StartTimer { duration_secs: 60 }, at(0));
    world.fran(Command::ResetTimer, at(1));
    assert_eq!(world.server.timer.run, TimerRun::Idle);
}

#[test]
fn the_timer_survives_a_snapshot_and_is_left_out_while_unused() {
    let mut world = World::new(2);
    let json = serde_json::to_value(&world.server).expect("serialises");
    assert!(json.get("timer").is_none(), "an unused timer is omitted");
    world.fran(Command::StartTimer { duration_secs: 90 }, at(5 * SEC));
    let json = serde_json::to_string(&world.server).expect("serialises");
    let back: Room = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back.timer, world.server.timer);
    assert_eq!(back.next_deadline(), Some(at(95 * SEC)));
}
