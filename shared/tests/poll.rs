//! Consensus polls through the public reducer API (issue 5): every kind's
//! reading at its edges, the lifecycle (open, vote, auto-reveal, reveal,
//! close, reopen, time limit), rejections, and what each viewer may see.

mod common;

use common::{NOW, id, meetup_all_here, run, run_at, who};
use moot_shared::limits::FACILITATOR_FALLBACK_MILLIS;
use moot_shared::room::Viewer;
use moot_shared::room::poll::{
    Ballot, PollId, PollKind, PollSetup, PollStatus, Reading, Secrecy, awaiting, reading,
};
use moot_shared::text::{PollOptionText, PollQuestion, PollReason};
use moot_shared::{Actor, Command, Event, Rejection, Room, Timestamp};

/// The facilitator.
const FRAN: u128 = 1;

/// A room with Fran facilitating and `others` participants (ids 2..), all here.
fn room_with(others: u128) -> Room {
    meetup_all_here("Guild", 1 + others)
}

fn setup(kind: PollKind) -> PollSetup {
    PollSetup {
        question: PollQuestion::parse("Can everyone live with this?").expect("a question"),
        kind,
        options: Vec::new(),
        secrecy: Secrecy::Secret,
        auto_reveal: true,
        time_limit_secs: None,
        question_key: None,
    }
}

fn open(room: &mut Room, setup: PollSetup) -> PollId {
    let events = run(room, who(FRAN), Command::OpenPoll { setup }).expect("opens");
    match events.last() {
        Some(Event::PollOpened { poll, .. }) => *poll,
        other => panic!("expected poll_opened, got {other:?}"),
    }
}

fn vote(room: &mut Room, n: u128, poll: PollId, choice: u8) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        who(n),
        Command::CastVote {
            poll,
            choice,
            reason: None,
        },
    )
}

fn reason(text: &str) -> Option<PollReason> {
    Some(PollReason::parse(text).expect("a reason"))
}

fn revealed(events: &[Event]) -> bool {
    events
        .iter()
        .any(|event| matches!(event, Event::PollRevealed { .. }))
}

// --- Readings at the edges ---

#[test]
fn nobody_voted_reads_no_votes_for_every_kind() {
    for kind in PollKind::ALL {
        let options = kind.fixed_options().unwrap_or(3);
        assert_eq!(
            reading(kind, &vec![0; options]),
            Reading::NoVotes,
            "{kind:?}"
        );
        assert_eq!(reading(kind, &[]), Reading::NoVotes, "{kind:?}");
    }
}

#[test]
fn roman_vote_needs_more_than_half_up() {
    assert_eq!(
        reading(PollKind::Roman, &[4, 1, 2]),
        Reading::Carried { count: 4, total: 7 }
    );
    // Half is not a majority: a tie.
    assert_eq!(
        reading(PollKind::Roman, &[3, 0, 3]),
        Reading::NoMajority { total: 6 }
    );
    assert_eq!(
        reading(PollKind::Roman, &[2, 2, 2]),
        Reading::NoMajority { total: 6 }
    );
    assert_eq!(
        reading(PollKind::Roman, &[1, 0, 2]),
        Reading::Defeated { count: 2, total: 3 }
    );
    assert_eq!(
        reading(PollKind::Roman, &[0, 1, 0]),
        Reading::NoMajority { total: 1 }
    );
}

#[test]
fn yes_no_reads_like_a_majority() {
    assert_eq!(
        reading(PollKind::YesNo, &[1, 0]),
        Reading::Carried { count: 1, total: 1 }
    );
    assert_eq!(
        reading(PollKind::YesNo, &[2, 2]),
        Reading::NoMajority { total: 4 }
    );
    assert_eq!(
        reading(PollKind::YesNo, &[1, 3]),
        Reading::Defeated { count: 3, total: 4 }
    );
}

#[test]
fn fist_of_five_flags_any_two_or_less() {
    // One fist of 2 among fives is enough to talk.
    assert_eq!(
        reading(PollKind::FistOfFive, &[0, 0, 1, 0, 0, 6]),
        Reading::Concerns { low: 1, total: 7 }
    );
    assert_eq!(
        reading(PollKind::FistOfFive, &[1, 0, 0, 0, 0, 0]),
        Reading::Concerns { low: 1, total: 1 }
    );
    // Three is the edge of support.
    assert_eq!(
        reading(PollKind::FistOfFive, &[0, 0, 0, 1, 2, 3]),
        Reading::Supported {
            lowest: 3,
            total: 6
        }
    );
    assert_eq!(
        reading(PollKind::FistOfFive, &[0, 0, 0, 0, 0, 2]),
        Reading::Supported {
            lowest: 5,
            total: 2
        }
    );
}

#[test]
fn gradients_read_veto_then_discussion_then_endorsement() {
    let mut counts = [3, 1, 1, 1, 0, 1, 0, 1];
    assert_eq!(
        reading(PollKind::Gradients, &counts),
        Reading::Vetoed { count: 1 }
    );
    counts[7] = 0;
    counts[6] = 1;
    assert_eq!(
        reading(PollKind::Gradients, &counts),
        Reading::MoreDiscussion { count: 1, total: 8 }
    );
    counts[6] = 0;
    assert_eq!(
        reading(PollKind::Gradients, &counts),
        Reading::Endorsed {
            support: 5,
            total: 7
        }
    );
    // Everyone abstaining (level 3) is endorsement by nobody.
    assert_eq!(
        reading(PollKind::Gradients, &[0, 0, 0, 4, 0, 0, 0, 0]),
        Reading::Endorsed {
            support: 0,
            total: 4
        }
    );
}

#[test]
fn consent_fails_on_a_single_objection() {
    assert_eq!(
        reading(PollKind::Consent, &[6, 0, 1]),
        Reading::Objected { count: 1 }
    );
    assert_eq!(
        reading(PollKind::Consent, &[5, 2, 0]),
        Reading::Consented {
            concerns: 2,
            total: 7
        }
    );
    assert_eq!(
        reading(PollKind::Consent, &[0, 3, 0]),
        Reading::Consented {
            concerns: 3,
            total: 3
        }
    );
}

#[test]
fn proposal_reads_blocks_abstentions_and_ties() {
    // A single block outweighs everyone agreeing.
    assert_eq!(
        reading(PollKind::Proposal, &[6, 0, 0, 1]),
        Reading::Blocked { count: 1 }
    );
    assert_eq!(
        reading(PollKind::Proposal, &[6, 1, 0, 0]),
        Reading::Agreed { agree: 6, total: 7 }
    );
    assert_eq!(
        reading(PollKind::Proposal, &[0, 5, 0, 0]),
        Reading::AllAbstained { total: 5 }
    );
    assert_eq!(
        reading(PollKind::Proposal, &[2, 1, 2, 0]),
        Reading::NotAgreed {
            agree: 2,
            disagree: 2,
            total: 5
        }
    );
    assert_eq!(
        reading(PollKind::Proposal, &[1, 0, 3, 0]),
        Reading::NotAgreed {
            agree: 1,
            disagree: 3,
            total: 4
        }
    );
}

#[test]
fn custom_polls_name_the_leader_or_the_tie() {
    assert_eq!(
        reading(PollKind::Custom, &[1, 3, 2]),
        Reading::Leading {
            choice: 1,
            count: 3,
            total: 6
        }
    );
    assert_eq!(
        reading(PollKind::Custom, &[2, 0, 2]),
        Reading::Tied {
            choices: vec![0, 2],
            count: 2
        }
    );
}

// --- Lifecycle ---

#[test]
fn auto_reveal_fires_with_the_last_expected_vote_and_not_before() {
    let mut room = room_with(3);
    let poll = open(&mut room, setup(PollKind::FistOfFive));
    assert!(!revealed(&vote(&mut room, 2, poll, 5).unwrap()));
    assert!(!revealed(&vote(&mut room, 3, poll, 4).unwrap()));
    // The facilitator is not waited for.
    assert_eq!(
        awaiting(&room, room.polls.get(poll).unwrap(), None),
        vec![id(4)]
    );
    let events = vote(&mut room, 4, poll, 2).unwrap();
    assert!(revealed(&events));
    let poll = room.polls.get(poll).unwrap();
    assert_eq!(poll.status, PollStatus::Revealed);
    assert_eq!(
        poll.results.as_ref().unwrap().counts,
        vec![0, 0, 1, 0, 1, 1]
    );
    assert_eq!(poll.reading(), Some(Reading::Concerns { low: 1, total: 3 }));
}

#[test]
fn someone_leaving_completes_the_poll() {
    let mut room = room_with(3);
    let poll = open(&mut room, setup(PollKind::YesNo));
    vote(&mut room, 2, poll, 0).unwrap();
    vote(&mut room, 3, poll, 0).unwrap();
    let events = run(&mut room, who(4), Command::Leave).unwrap();
    assert!(revealed(&events), "{events:?}");
}

#[test]
fn someone_disconnecting_completes_the_poll() {
    let mut room = room_with(3);
    let poll = open(&mut room, setup(PollKind::YesNo));
    vote(&mut room, 2, poll, 0).unwrap();
    vote(&mut room, 3, poll, 0).unwrap();
    // Away at once, not only once the grace period has passed.
    let disconnected = Command::MarkDisconnected {
        participant: id(4),
        grace_ms: 60_000,
        fallback_ms: FACILITATOR_FALLBACK_MILLIS,
    };
    let events = run(&mut room, Actor::System, disconnected).unwrap();
    assert!(revealed(&events), "{events:?}");
}

#[test]
fn without_auto_reveal_the_facilitator_reveals() {
    let mut room = room_with(2);
    let mut manual = setup(PollKind::Roman);
    manual.auto_reveal = false;
    let poll = open(&mut room, manual);
    vote(&mut room, 2, poll, 0).unwrap();
    assert!(!revealed(&vote(&mut room, 3, poll, 0).unwrap()));
    assert_eq!(
        run(&mut room, who(2), Command::RevealPoll { poll }),
        Err(Rejection::FacilitatorsOnly)
    );
    assert!(revealed(
        &run(&mut room, who(FRAN), Command::RevealPoll { poll }).unwrap()
    ));
    // Revealing again changes nothing.
    assert_eq!(
        run(&mut room, who(FRAN), Command::RevealPoll { poll }),
        Ok(Vec::new())
    );
}

#[test]
fn votes_change_until_the_reveal_and_are_rejected_after_close() {
    let mut room = room_with(2);
    let poll = open(&mut room, setup(PollKind::YesNo));
    vote(&mut room, 2, poll, 0).unwrap();
    vote(&mut room, 2, poll, 1).unwrap();
    // The same vote again is a no-op.
    assert_eq!(vote(&mut room, 2, poll, 1), Ok(Vec::new()));
    let current = room.polls.get(poll).unwrap();
    assert_eq!(current.ballots.len(), 1);
    assert_eq!(current.ballots[0].choice, Some(1));

    run(&mut room, who(FRAN), Command::ClosePoll { poll }).unwrap();
    let closed = room.polls.get(poll).unwrap();
    assert_eq!(closed.status, PollStatus::Closed);
    // Closing an unrevealed poll keeps its results.
    assert_eq!(closed.results.as_ref().unwrap().counts, vec![0, 1]);
    assert_eq!(
        vote(&mut room, 3, poll, 0),
        Err(Rejection::PollNotOpen { poll: poll.0 })
    );
}

#[test]
fn votes_after_the_reveal_are_rejected() {
    let mut room = room_with(1);
    let poll = open(&mut room, setup(PollKind::Roman));
    assert!(revealed(&vote(&mut room, 2, poll, 0).unwrap()));
    assert_eq!(
        vote(&mut room, 2, poll, 2),
        Err(Rejection::PollNotOpen { poll: poll.0 })
    );
}

#[test]
fn reasons_are_required_for_block_objection_and_veto_only() {
    for (kind, choice) in [
        (PollKind::Proposal, 3),
        (PollKind::Consent, 2),
        (PollKind::Gradients, 7),
    ] {
        let mut room = room_with(2);
        let poll = open(&mut room, setup(kind));
        assert_eq!(
            vote(&mut room, 2, poll, choice),
            Err(Rejection::ReasonRequired),
            "{kind:?}"
        );
        run(
            &mut room,
            who(2),
            Command::CastVote {
                poll,
                choice,
                reason: reason("it breaks the build"),
            },
        )
        .unwrap();
        // Other choices need none.
        vote(&mut room, 3, poll, 0).unwrap();
    }
}

#[test]
fn one_poll_takes_votes_at_a_time_and_a_revealed_one_is_closed_by_the_next() {
    let mut room = room_with(2);
    let first = open(&mut room, setup(PollKind::Roman));
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::OpenPoll {
                setup: setup(PollKind::YesNo)
            }
        ),
        Err(Rejection::PollAlreadyOpen { poll: first.0 })
    );
    run(&mut room, who(FRAN), Command::RevealPoll { poll: first }).unwrap();
    let second = open(&mut room, setup(PollKind::YesNo));
    assert_eq!(room.polls.get(first).unwrap().status, PollStatus::Closed);
    assert_eq!(room.polls.current().map(|poll| poll.id), Some(second));
    assert_eq!(room.polls.history.len(), 2);
}

#[test]
fn reopening_asks_again_as_a_new_round_with_no_votes() {
    let mut room = room_with(2);
    let first = open(&mut room, setup(PollKind::Consent));
    vote(&mut room, 2, first, 0).unwrap();
    vote(&mut room, 3, first, 1).unwrap();
    let events = run(&mut room, who(FRAN), Command::ReopenPoll { poll: first }).unwrap();
    assert!(matches!(
        events.as_slice(),
        [Event::PollClosed { .. }, Event::PollOpened { round_of: Some(of), .. }] if *of == first
    ));
    let again = room.polls.current().unwrap();
    assert_ne!(again.id, first);
    assert!(again.ballots.is_empty());
    assert_eq!(again.setup, room.polls.get(first).unwrap().setup);
    // The first round's results stay in the history.
    assert_eq!(
        room.polls
            .get(first)
            .unwrap()
            .results
            .as_ref()
            .unwrap()
            .counts,
        vec![1, 1, 0]
    );
}

#[test]
fn a_time_limit_reveals_at_the_deadline() {
    let mut room = room_with(3);
    let mut timed = setup(PollKind::Roman);
    timed.time_limit_secs = Some(30);
    let poll = open(&mut room, timed);
    assert_eq!(room.next_deadline(), Some(Timestamp(NOW.0 + 30_000)));
    vote(&mut room, 2, poll, 0).unwrap();
    // Early ticks do nothing; ticks come from the server only.
    assert_eq!(
        run_at(
            &mut room,
            Actor::System,
            Command::Tick,
            Timestamp(NOW.0 + 29_999)
        ),
        Ok(Vec::new())
    );
    assert_eq!(
        run(&mut room, who(2), Command::Tick),
        Err(Rejection::ServerOnly)
    );
    let events = run_at(
        &mut room,
        Actor::System,
        Command::Tick,
        Timestamp(NOW.0 + 30_000),
    )
    .unwrap();
    assert!(revealed(&events));
    assert_eq!(room.next_deadline(), None);
}

#[test]
fn polls_are_opened_by_facilitators_only_and_checked() {
    let mut room = room_with(2);
    assert_eq!(
        run(
            &mut room,
            who(2),
            Command::OpenPoll {
                setup: setup(PollKind::Roman)
            }
        ),
        Err(Rejection::FacilitatorsOnly)
    );
    let mut custom = setup(PollKind::Custom);
    custom.options = vec![PollOptionText::parse("Tea").unwrap()];
    assert_eq!(
        run(&mut room, who(FRAN), Command::OpenPoll { setup: custom }),
        Err(Rejection::PollOptionsOutOfRange { min: 2, max: 8 })
    );
    let mut too_long = setup(PollKind::Roman);
    too_long.time_limit_secs = Some(5);
    assert_eq!(
        run(&mut room, who(FRAN), Command::OpenPoll { setup: too_long }),
        Err(Rejection::PollTimeLimitOutOfRange {
            min_secs: 10,
            max_secs: 3_600
        })
    );
    assert_eq!(
        run(
            &mut room,
            who(FRAN),
            Command::RevealPoll { poll: PollId(9) }
        ),
        Err(Rejection::UnknownPoll)
    );
}

#[test]
fn custom_poll_choices_must_exist() {
    let mut room = room_with(2);
    let mut custom = setup(PollKind::Custom);
    custom.options = ["Tea", "Coffee", "Water"]
        .iter()
        .map(|text| PollOptionText::parse(text).unwrap())
        .collect();
    let poll = open(&mut room, custom);
    assert_eq!(
        vote(&mut room, 2, poll, 3),
        Err(Rejection::NoSuchChoice { options: 3 })
    );
    vote(&mut room, 2, poll, 2).unwrap();
    vote(&mut room, 3, poll, 2).unwrap();
    assert_eq!(
        room.polls.get(poll).unwrap().reading(),
        Some(Reading::Leading {
            choice: 2,
            count: 2,
            total: 2
        })
    );
}

#[test]
fn people_not_in_the_meetup_cannot_vote() {
    let mut room = room_with(2);
    let poll = open(&mut room, setup(PollKind::Roman));
    run(&mut room, who(3), Command::Leave).unwrap();
    assert_eq!(vote(&mut room, 3, poll, 0), Err(Rejection::NotInMeetup));
    assert_eq!(vote(&mut room, 99, poll, 0), Err(Rejection::NotInMeetup));
}

// --- What each viewer sees ---

#[test]
fn a_secret_vote_shows_only_who_voted_to_others() {
    let mut room = room_with(2);
    let poll = open(&mut room, setup(PollKind::Proposal));
    let events = run(
        &mut room,
        who(2),
        Command::CastVote {
            poll,
            choice: 3,
            reason: reason("no budget"),
        },
    )
    .unwrap();
    let vote = &events[0];
    assert!(vote.is_personal());
    let Event::VoteCast { ballot: own, .. } =
        vote.for_viewer(Viewer::Participant(id(2))).into_owned()
    else {
        panic!("a vote");
    };
    assert_eq!(own.choice, Some(3));
    for viewer in [
        Viewer::Participant(id(3)),
        Viewer::Participant(id(FRAN)),
        Viewer::Screen,
    ] {
        let Event::VoteCast { ballot, .. } = vote.for_viewer(viewer).into_owned() else {
            panic!("a vote");
        };
        assert_eq!(
            ballot,
            Ballot {
                voter: Some(id(2)),
                choice: None,
                reason: None
            }
        );
        let snapshot = room.for_viewer(viewer);
        assert_eq!(snapshot.polls.get(poll).unwrap().ballots[0].choice, None);
    }
}

#[test]
fn an_anonymous_vote_never_pairs_voter_and_choice() {
    let mut room = room_with(2);
    let mut anonymous = setup(PollKind::Consent);
    anonymous.secrecy = Secrecy::Anonymous;
    let poll = open(&mut room, anonymous);
    let mut all = vote(&mut room, 2, poll, 1).unwrap();
    all.extend(
        run(
            &mut room,
            who(3),
            Command::CastVote {
                poll,
                choice: 2,
                reason: reason("not safe"),
            },
        )
        .unwrap(),
    );
    assert!(revealed(&all));
    for viewer in [
        Viewer::Participant(id(2)),
        Viewer::Participant(id(3)),
        Viewer::Participant(id(FRAN)),
        Viewer::Screen,
    ] {
        for event in &all {
            let seen = serde_json::to_value(event.for_viewer(viewer).as_ref()).unwrap();
            let text = seen.to_string();
            assert!(
                !(text.contains("\"voter\"") && text.contains("\"choice\"")),
                "{viewer:?} saw {text}"
            );
        }
        let snapshot = room.for_viewer(viewer);
        for ballot in &snapshot.polls.get(poll).unwrap().ballots {
            assert!(ballot.voter.is_none() || ballot.choice.is_none());
        }
    }
    let results = room.polls.get(poll).unwrap().results.clone().unwrap();
    assert_eq!(results.counts, vec![0, 1, 1]);
    assert_eq!(results.reasons.len(), 1);
    assert_eq!(
        room.polls.get(poll).unwrap().reading(),
        Some(Reading::Objected { count: 1 })
    );
}

#[test]
fn a_named_poll_shows_every_ballot_after_the_reveal() {
    let mut room = room_with(2);
    let poll = open(&mut room, setup(PollKind::Roman));
    vote(&mut room, 2, poll, 0).unwrap();
    vote(&mut room, 3, poll, 2).unwrap();
    let snapshot = room.for_viewer(Viewer::Screen);
    let ballots = &snapshot.polls.get(poll).unwrap().ballots;
    assert_eq!(ballots[0].choice, Some(0));
    assert_eq!(ballots[1].voter, Some(id(3)));
    assert_eq!(ballots[1].choice, Some(2));
}

// --- A reason stays with the poll it was written for ---

fn vote_with(
    room: &mut Room,
    n: u128,
    poll: PollId,
    choice: u8,
    text: &str,
) -> Result<Vec<Event>, Rejection> {
    run(
        room,
        who(n),
        Command::CastVote {
            poll,
            choice,
            reason: reason(text),
        },
    )
}

fn with_secrecy(kind: PollKind, secrecy: Secrecy) -> PollSetup {
    PollSetup {
        secrecy,
        auto_reveal: false,
        ..setup(kind)
    }
}

/// The reason of an anonymous vote, sent again with a named vote, would
/// print beside the voter's name in the results and the minutes: refused,
/// whichever comes first and whatever the phone sends.
#[test]
fn an_anonymous_reason_is_never_sent_again_under_a_name() {
    const CHLOE: u128 = 2;
    const ADA: u128 = 3;
    let concern = "Fine, but revisit in a month";
    let mut room = room_with(3);
    let anonymous = open(
        &mut room,
        with_secrecy(PollKind::Consent, Secrecy::Anonymous),
    );
    vote_with(&mut room, CHLOE, anonymous, 0, concern).expect("the anonymous vote");
    run(&mut room, who(FRAN), Command::ClosePoll { poll: anonymous }).expect("closes");

    for secrecy in [Secrecy::Secret, Secrecy::Open] {
        let named = open(&mut room, with_secrecy(PollKind::Consent, secrecy));
        assert_eq!(
            vote_with(&mut room, CHLOE, named, 0, concern),
            Err(Rejection::ReasonFromOtherPoll),
            "{secrecy:?}"
        );
        // Her own new words, or the same words from someone else, are fine.
        vote_with(&mut room, CHLOE, named, 0, "Fine by me").expect("a new reason");
        vote_with(&mut room, ADA, named, 0, concern).expect("another voter");
        run(&mut room, who(FRAN), Command::ClosePoll { poll: named }).expect("closes");
    }

    // The other way round: a named reason sent into an anonymous poll
    // would say who wrote it there.
    let anonymous_again = open(
        &mut room,
        with_secrecy(PollKind::Consent, Secrecy::Anonymous),
    );
    assert_eq!(
        vote_with(&mut room, CHLOE, anonymous_again, 0, "Fine by me"),
        Err(Rejection::ReasonFromOtherPoll)
    );
    // Two anonymous polls sharing a reason tie it to no name.
    vote_with(&mut room, CHLOE, anonymous_again, 0, concern).expect("anonymous to anonymous");
}
