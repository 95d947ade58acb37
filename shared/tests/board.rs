//! The topic board through the public reducer API (issue 4): proposing,
//! dot budgets (stacking, merges, withdrawals), hidden votes and what each
//! viewer may see, columns and time spent, outcomes, rejections.

mod common;

use common::{NOW, id, meetup_all_here, viewers, who};
use moot_shared::room::Viewer;
use moot_shared::room::board::{
    ActionItemId, BoardSettings, Column, DueDate, NoteId, NoteKind, TopicId,
};
use moot_shared::text::{ActionText, NoteText, TopicDetails, TopicTitle};
use moot_shared::{Actor, Command, Event, Rejection, Room, Timestamp};

/// The facilitator.
const FRAN: u128 = 1;

/// The server's room and every viewer's copy, each folded from the events
/// as that viewer receives them: the way browsers hold the room.
struct World {
    server: Room,
    copies: Vec<(Viewer, Room)>,
}

impl World {
    /// Fran facilitating and `others` participants (ids 2..), all here.
    fn new(others: u128) -> World {
        let server = meetup_all_here("Guild", 1 + others);
        let copies = viewers(1 + others)
            .into_iter()
            .map(|viewer| (viewer, server.for_viewer(viewer)))
            .collect();
        World { server, copies }
    }

    fn run(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        self.run_at(actor, command, NOW)
    }

    /// Applies and folds on the server and in every copy, checking that apply
    /// changes nothing, invariants hold, and every copy is exactly what the
    /// server would send that viewer in a snapshot.
    fn run_at(
        &mut self,
        actor: Actor,
        command: Command,
        now: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let before = self.server.clone();
        let result = self.server.apply(actor, command, now);
        assert_eq!(self.server, before, "apply never changes the room");
        let events = result?;
        for event in &events {
            self.server.on_event(event);
            self.server
                .check_invariants()
                .expect("every reachable room is valid");
            for (viewer, copy) in &mut self.copies {
                copy.on_event(&event.for_viewer(*viewer));
            }
        }
        for (viewer, copy) in &self.copies {
            assert_eq!(
                *copy,
                self.server.for_viewer(*viewer),
                "{viewer:?}'s copy matches their snapshot"
            );
        }
        Ok(events)
    }

    fn copy(&self, viewer: Viewer) -> &Room {
        &self
            .copies
            .iter()
            .find(|(candidate, _)| *candidate == viewer)
            .expect("a known viewer")
            .1
    }

    /// Participant `n`'s copy: what their phone holds.
    fn phone(&self, n: u128) -> &Room {
        self.copy(Viewer::Participant(id(n)))
    }

    fn propose(&mut self, n: u128, title: &str) -> TopicId {
        let events = self
            .run(
                who(n),
                Command::ProposeTopic {
                    title: TopicTitle::parse(title).expect("a title"),
                    details: None,
                },
            )
            .expect("proposes");
        match events.as_slice() {
            [Event::TopicProposed { topic, .. }] => *topic,
            other => panic!("expected topic_proposed, got {other:?}"),
        }
    }

    fn dot(&mut self, n: u128, topic: TopicId) -> Result<Vec<Event>, Rejection> {
        self.run(who(n), Command::PlaceDot { topic })
    }

    fn fran(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        self.run(who(FRAN), command)
    }
}

fn settings(dot_budget: u8, stacking: bool, hidden_until_reveal: bool) -> BoardSettings {
    BoardSettings {
        dot_budget,
        stacking,
        hidden_until_reveal,
    }
}

#[test]
fn topics_are_numbered_in_order_and_authors_edit_and_withdraw_their_own() {
    let mut world = World::new(2);
    let first = world.propose(2, "Flaky tests");
    let second = world.propose(3, "On-call rota");
    assert_eq!((first, second), (TopicId(1), TopicId(2)));
    let edit = |title: &str| Command::EditTopic {
        topic: first,
        title: TopicTitle::parse(title).expect("a title"),
        details: Some(TopicDetails::parse("CI reruns").expect("details")),
    };
    assert_eq!(
        world.run(who(3), edit("Mine now")),
        Err(Rejection::NotYourTopic)
    );
    world
        .run(who(2), edit("Flaky CI tests"))
        .expect("the author edits");
    world
        .fran(edit("Flaky tests in CI"))
        .expect("a facilitator edits any");
    assert_eq!(
        world.server.board.topic(first).map(|t| t.title.as_str()),
        Some("Flaky tests in CI")
    );
    assert_eq!(
        world.run(who(3), Command::WithdrawTopic { topic: first }),
        Err(Rejection::NotYourTopic)
    );
    world
        .run(who(2), Command::WithdrawTopic { topic: first })
        .expect("the author withdraws");
    // Numbers are never reused, so a late command cannot hit a new topic.
    assert_eq!(world.propose(2, "Another"), TopicId(3));
    assert_eq!(
        world.run(who(2), Command::PlaceDot { topic: first }),
        Err(Rejection::UnknownTopic)
    );
}

#[test]
fn the_budget_cannot_be_exceeded_by_placing_or_stacking() {
    let mut world = World::new(2);
    let a = world.propose(2, "A");
    let b = world.propose(2, "B");
    world.dot(2, a).expect("first");
    world.dot(2, a).expect("stacked");
    world.dot(2, b).expect("third");
    assert_eq!(world.dot(2, b), Err(Rejection::NoDotsLeft { budget: 3 }));
    assert_eq!(world.server.board.dots_left(id(2)), 0);
    world
        .run(who(2), Command::TakeBackDot { topic: a })
        .expect("takes one back");
    assert_eq!(world.phone(2).board.dots_left(id(2)), 1);
    world.dot(2, b).expect("and places it elsewhere");
    assert_eq!(
        world.run(who(3), Command::TakeBackDot { topic: a }),
        Err(Rejection::NoDotHere)
    );
}

#[test]
fn without_stacking_one_dot_per_topic() {
    let mut world = World::new(1);
    world
        .fran(Command::ConfigureBoard {
            settings: settings(3, false, true),
        })
        .expect("configures");
    let a = world.propose(2, "A");
    world.dot(2, a).expect("one");
    assert_eq!(world.dot(2, a), Err(Rejection::NoStacking));
}

#[test]
fn settings_are_bounded_and_fixed_once_dots_are_placed() {
    let mut world = World::new(1);
    assert_eq!(
        world.fran(Command::ConfigureBoard {
            settings: settings(0, true, true)
        }),
        Err(Rejection::DotBudgetOutOfRange { min: 1, max: 10 })
    );
    assert_eq!(
        world.run(
            who(2),
            Command::ConfigureBoard {
                settings: settings(5, true, true)
            }
        ),
        Err(Rejection::FacilitatorsOnly)
    );
    let a = world.propose(2, "A");
    world.dot(2, a).expect("a dot");
    assert_eq!(
        world.fran(Command::ConfigureBoard {
            settings: settings(5, true, true)
        }),
        Err(Rejection::VotingUnderway)
    );
}

#[test]
fn withdrawing_a_topic_refunds_its_dots() {
    let mut world = World::new(2);
    let a = world.propose(2, "A");
    let b = world.propose(3, "B");
    world.dot(2, a).expect("dot");
    world.dot(2, a).expect("dot");
    world.dot(3, a).expect("dot");
    world.dot(3, b).expect("dot");
    world
        .run(who(2), Command::WithdrawTopic { topic: a })
        .expect("withdraws");
    assert_eq!(world.server.board.dots_left(id(2)), 3);
    assert_eq!(world.server.board.dots_left(id(3)), 2);
    // Each phone sees its own refund, computed from its own copy.
    assert_eq!(world.phone(2).board.dots_left(id(2)), 3);
    assert_eq!(world.phone(3).board.dots_left(id(3)), 2);
    // People who voted stay listed: un-listing would say they have no dots.
    assert_eq!(world.server.board.voters, vec![id(2), id(3)]);
}

#[test]
fn merging_combines_dots_and_returns_those_over_the_cap() {
    let mut world = World::new(3);
    world
        .fran(Command::ConfigureBoard {
            settings: settings(3, false, true),
        })
        .expect("no stacking");
    let a = world.propose(2, "Tests are flaky");
    let b = world.propose(3, "Flaky tests");
    world.dot(2, a).expect("dot");
    world.dot(2, b).expect("dot");
    world.dot(3, b).expect("dot");
    world.dot(4, a).expect("dot");
    world
        .run(
            who(4),
            Command::AddNote {
                topic: b,
                kind: NoteKind::Note,
                text: NoteText::parse("seen twice").expect("text"),
            },
        )
        .expect("note");
    assert_eq!(
        world.fran(Command::MergeTopics { from: b, into: b }),
        Err(Rejection::SameTopic)
    );
    assert_eq!(
        world.run(who(2), Command::MergeTopics { from: b, into: a }),
        Err(Rejection::FacilitatorsOnly)
    );
    world
        .fran(Command::MergeTopics { from: b, into: a })
        .expect("merges");
    let board = &world.server.board;
    assert!(board.topic(b).is_none());
    let merged = board.topic(a).expect("stays");
    // P2 had one on each: one stays (no stacking), one is back in hand.
    assert_eq!(merged.dots_of(id(2)), 1);
    assert_eq!(board.dots_left(id(2)), 2);
    assert_eq!(merged.dots_of(id(3)), 1);
    assert_eq!(merged.dots_of(id(4)), 1);
    assert_eq!(merged.merged[0].as_str(), "Flaky tests");
    assert_eq!(board.notes[0].topic, a);
    // P2's phone reached the same numbers from the public merge event.
    assert_eq!(world.phone(2).board.dots_left(id(2)), 2);
}

#[test]
fn merging_with_stacking_keeps_every_dot_within_the_budget() {
    let mut world = World::new(1);
    let a = world.propose(2, "A");
    let b = world.propose(2, "B");
    world.dot(2, a).expect("dot");
    world.dot(2, b).expect("dot");
    world.dot(2, b).expect("dot");
    world
        .fran(Command::MergeTopics { from: b, into: a })
        .expect("merges");
    assert_eq!(
        world.server.board.topic(a).map(|t| t.dots_of(id(2))),
        Some(3)
    );
    assert_eq!(world.server.board.dots_left(id(2)), 0);
}

#[test]
fn hidden_votes_are_absent_from_every_other_view_before_the_reveal() {
    let mut world = World::new(3);
    let a = world.propose(2, "A");
    let b = world.propose(3, "B");
    let placed = world.dot(2, a).expect("dot");
    world.dot(2, a).expect("dot");
    world.dot(3, b).expect("dot");
    world.dot(FRAN, b).expect("the facilitator votes too");
    // The event is personal; others' copies carry no topic and no count.
    assert!(placed[0].is_personal());
    for viewer in viewers(4) {
        let seen = placed[0].for_viewer(viewer);
        let json = serde_json::to_string(&*seen).expect("serialises");
        if viewer == Viewer::Participant(id(2)) {
            assert!(json.contains("\"topic\":1"), "{json}");
        } else {
            assert!(!json.contains("topic") && !json.contains("count"), "{json}");
        }
    }
    // Every snapshot holds only the viewer's own dots; the screen none.
    for viewer in viewers(4) {
        let room = world.server.for_viewer(viewer);
        for topic in &room.board.topics {
            for stack in &topic.dots {
                assert_eq!(viewer, Viewer::Participant(stack.participant));
            }
        }
    }
    let screen = world.copy(Viewer::Screen);
    assert_eq!(
        screen.board.topics.iter().map(|t| t.total()).sum::<u32>(),
        0
    );
    // How many have voted is public.
    assert_eq!(screen.board.voters.len(), 3);
    assert_eq!(world.phone(4).board.voters.len(), 3);
    // Sorting would give the totals away.
    assert_eq!(world.fran(Command::SortTopics), Err(Rejection::VotesHidden));
}

#[test]
fn the_reveal_publishes_every_dot_and_sorting_follows_the_votes() {
    let mut world = World::new(3);
    let a = world.propose(2, "A");
    let b = world.propose(3, "B");
    let c = world.propose(4, "C");
    world.dot(2, c).expect("dot");
    world.dot(3, c).expect("dot");
    world.dot(4, b).expect("dot");
    assert_eq!(
        world.run(who(2), Command::RevealVotes),
        Err(Rejection::FacilitatorsOnly)
    );
    let revealed = world.fran(Command::RevealVotes).expect("reveals");
    assert!(!revealed[0].is_personal());
    assert_eq!(world.fran(Command::RevealVotes), Ok(Vec::new()));
    let screen = world.copy(Viewer::Screen);
    assert_eq!(screen.board.topic(c).map(|t| t.total()), Some(2));
    world.fran(Command::SortTopics).expect("sorts");
    let order: Vec<TopicId> = world
        .copy(Viewer::Screen)
        .board
        .column(Column::ToDiscuss)
        .map(|topic| topic.id)
        .collect();
    assert_eq!(order, vec![c, b, a]);
    // After the reveal, dots are placed in the open.
    let open = world.dot(4, a).expect("dot");
    assert!(!open[0].is_personal());
}

#[test]
fn closed_voting_takes_no_dots_either_way() {
    let mut world = World::new(1);
    let a = world.propose(2, "A");
    world.dot(2, a).expect("dot");
    world.fran(Command::CloseVoting).expect("closes");
    assert_eq!(world.dot(2, a), Err(Rejection::VotingClosed));
    assert_eq!(
        world.run(who(2), Command::TakeBackDot { topic: a }),
        Err(Rejection::VotingClosed)
    );
    world.fran(Command::ReopenVoting).expect("reopens");
    world.dot(2, a).expect("dot");
}

#[test]
fn one_topic_is_discussed_at_a_time_and_time_spent_is_exact() {
    let mut world = World::new(1);
    let a = world.propose(2, "A");
    let b = world.propose(2, "B");
    assert_eq!(
        world.run(who(2), Command::StartTopic { topic: a }),
        Err(Rejection::FacilitatorsOnly)
    );
    world
        .fran(Command::StartTopic { topic: a })
        .expect("starts");
    let started = world
        .run_at(
            who(FRAN),
            Command::StartTopic { topic: b },
            NOW.plus_millis(420_123),
        )
        .expect("next topic");
    assert_eq!(
        started,
        vec![
            Event::TopicFinished {
                topic: a,
                millis: 420_123
            },
            Event::TopicStarted {
                topic: b,
                started_at: NOW.plus_millis(420_123)
            },
            // Issue 6: starting a topic starts its timebox.
            Event::TimerStarted {
                deadline: NOW.plus_millis(420_123 + 420_000),
                duration_ms: 420_000,
                topic: Some(b),
            },
        ]
    );
    let board = &world.server.board;
    assert_eq!(
        board.topic(a).map(|t| (t.column, t.time_spent_ms)),
        Some((Column::Discussed, 420_123))
    );
    assert_eq!(board.discussing().map(|t| t.id), Some(b));
    // Dots go only on waiting topics.
    assert_eq!(world.dot(2, b), Err(Rejection::TopicInWrongColumn));
    assert_eq!(
        world.run(who(2), Command::WithdrawTopic { topic: b }),
        Err(Rejection::TopicInWrongColumn)
    );
    // Parking the running topic banks its time too.
    world
        .run_at(
            who(FRAN),
            Command::ParkTopic { topic: b },
            NOW.plus_millis(500_000),
        )
        .expect("parks");
    assert_eq!(
        world
            .server
            .board
            .topic(b)
            .map(|t| (t.column, t.time_spent_ms)),
        Some((Column::Parked, 79_877))
    );
    assert!(world.server.board.discussing().is_none());
    world
        .fran(Command::UnparkTopic { topic: b })
        .expect("unparks");
    world
        .run_at(
            who(FRAN),
            Command::StartTopic { topic: b },
            NOW.plus_millis(600_000),
        )
        .expect("again");
    world
        .run_at(
            who(FRAN),
            Command::FinishTopic { topic: b },
            NOW.plus_millis(601_000),
        )
        .expect("finishes");
    assert_eq!(
        world
            .server
            .board
            .topic(b)
            .map(|t| (t.column, t.time_spent_ms)),
        Some((Column::Discussed, 80_877))
    );
    assert_eq!(
        world.fran(Command::FinishTopic { topic: b }),
        Ok(Vec::new())
    );
}

#[test]
fn notes_takeaways_and_action_items_belong_to_topics() {
    let mut world = World::new(2);
    let a = world.propose(2, "A");
    world
        .run(
            who(3),
            Command::AddNote {
                topic: a,
                kind: NoteKind::Takeaway,
                text: NoteText::parse("Quarantine flaky tests").expect("text"),
            },
        )
        .expect("anyone adds");
    let edit = Command::EditNote {
        note: NoteId(1),
        kind: NoteKind::Takeaway,
        text: NoteText::parse("Quarantine flaky tests for a week").expect("text"),
    };
    assert_eq!(
        world.run(who(2), edit.clone()),
        Err(Rejection::NotYourOutcome)
    );
    world.fran(edit).expect("a facilitator edits");
    let item = Command::AddActionItem {
        topic: a,
        text: ActionText::parse("Write the quarantine script").expect("text"),
        owner: id(2),
        due: Some(DueDate::parse("2026-02-28").expect("a date")),
    };
    world.run(who(3), item).expect("adds an action item");
    let mine: Vec<_> = world.phone(2).board.action_items_of(id(2)).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].due.as_ref().map(DueDate::as_str),
        Some("2026-02-28")
    );
    assert_eq!(
        world.run(
            who(3),
            Command::AddActionItem {
                topic: a,
                text: ActionText::parse("x").expect("text"),
                owner: id(99),
                due: None,
            }
        ),
        Err(Rejection::UnknownParticipant)
    );
    assert_eq!(
        world.run(
            who(2),
            Command::RemoveActionItem {
                item: ActionItemId(1)
            }
        ),
        Err(Rejection::NotYourOutcome)
    );
    world
        .run(
            who(3),
            Command::RemoveActionItem {
                item: ActionItemId(1),
            },
        )
        .expect("the author removes");
    world
        .fran(Command::RemoveNote { note: NoteId(1) })
        .expect("a facilitator removes");
    assert!(world.server.board.notes.is_empty() && world.server.board.action_items.is_empty());
}

#[test]
fn due_dates_are_real_days() {
    for good in ["2026-01-31", "2024-02-29", "2000-02-29", " 2026-12-01 "] {
        assert!(DueDate::parse(good).is_ok(), "{good}");
    }
    for bad in [
        "2026-02-29",
        "1900-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "2026-1-1",
        "26-01-01",
        "2026/01/01",
        "tomorrow",
        "",
        "２０２６-01-01",
    ] {
        assert_eq!(DueDate::parse(bad), Err(Rejection::InvalidDueDate), "{bad}");
    }
}

#[test]
fn people_outside_the_meetup_and_the_server_cannot_propose_or_vote() {
    let mut world = World::new(1);
    let a = world.propose(2, "A");
    world.run(who(2), Command::Leave).expect("leaves");
    assert_eq!(world.dot(2, a), Err(Rejection::NotInMeetup));
    assert_eq!(world.dot(77, a), Err(Rejection::NotInMeetup));
    // The server is nobody's member (the same for every member command;
    // see `prop_authority`).
    assert_eq!(
        world.run(Actor::System, Command::PlaceDot { topic: a }),
        Err(Rejection::NotInMeetup)
    );
}
