//! Closing feedback through the public reducer API (issue 16): a ROTI poll
//! is anonymous whatever was asked, reads as a mean in tenths, refuses a
//! score out of range, and its trend travels along a series of meetups,
//! bounded, with suggestions but never a name; the minutes gain a Feedback
//! section that names nobody.

mod common;

use common::{NOW, Opening, id, numbered_joins, open, run, viewers, who};
use moot_shared::minutes::Minutes;
use moot_shared::room::lifecycle::{CarriedOver, carry_over};
use moot_shared::room::poll::{PollId, PollKind, PollSetup, Reading, Secrecy};
use moot_shared::room::roti::{self, RotiPoint};
use moot_shared::text::{PollQuestion, PollReason};
use moot_shared::{Actor, Command, Event, Lang, Rejection, Room};

/// The facilitator.
const FRAN: u128 = 1;

/// A meetup `title` with Fran and participants 2..=`last`, all here,
/// following `follows`.
fn meetup(title: &'static str, last: u128, follows: Option<CarriedOver>) -> Room {
    let opening = Opening {
        title,
        facilitator_name: "Fran",
        follows,
        ..Opening::default()
    };
    let (mut room, _) = open(&opening, numbered_joins(last), NOW);
    for n in 1..=last {
        run(
            &mut room,
            Actor::System,
            Command::MarkConnected {
                participant: id(n),
                reclaim_ms: moot_shared::limits::FACILITATOR_RECLAIM_MILLIS,
            },
        )
        .expect("here");
    }
    room
}

fn open_roti(room: &mut Room, secrecy: Secrecy) -> PollId {
    let setup = PollSetup {
        question: PollQuestion::parse("Worth our time?").expect("a question"),
        kind: PollKind::Roti,
        options: Vec::new(),
        secrecy,
        auto_reveal: false,
        time_limit_secs: None,
        question_key: None,
    };
    let events = run(room, who(FRAN), Command::OpenPoll { setup }).expect("opens");
    match events.last() {
        Some(Event::PollOpened { poll, .. }) => *poll,
        other => panic!("expected poll_opened, got {other:?}"),
    }
}

fn rate(room: &mut Room, n: u128, poll: PollId, score: u8, change: Option<&str>) {
    run(
        room,
        who(n),
        Command::CastVote {
            poll,
            choice: score - 1,
            reason: change.map(|text| PollReason::parse(text).expect("a reason")),
        },
    )
    .expect("a vote");
}

fn reveal(room: &mut Room, poll: PollId) {
    run(room, who(FRAN), Command::RevealPoll { poll }).expect("revealed");
}

/// Runs a ROTI in `room` with these scores (voters 2, 3, …) and reveals it.
fn rated(room: &mut Room, scores: &[u8], changes: &[(u128, &str)]) {
    let poll = open_roti(room, Secrecy::Secret);
    for (score, n) in scores.iter().zip(2u128..) {
        let change = changes
            .iter()
            .find(|(who, _)| *who == n)
            .map(|(_, text)| *text);
        rate(room, n, poll, *score, change);
    }
    reveal(room, poll);
}

#[test]
fn a_roti_is_anonymous_whatever_was_asked_and_reads_as_a_mean_in_tenths() {
    let mut room = meetup("Guild", 7, None);
    for asked in [Secrecy::Secret, Secrecy::Open] {
        let poll = open_roti(&mut room, asked);
        let opened = room.polls.get(poll).expect("the poll");
        assert_eq!(opened.setup.secrecy, Secrecy::Anonymous, "{asked:?}");
        assert_eq!(opened.option_count(), 5);
        run(&mut room, who(FRAN), Command::ClosePoll { poll }).expect("closed");
    }

    // Counts [0, 0, 1, 3, 2]: 25 points over 6 votes, 4.2.
    rated(&mut room, &[3, 4, 4, 4, 5, 5], &[]);
    let poll = room.polls.current().expect("on stage");
    assert_eq!(
        poll.results.as_ref().map(|results| results.counts.clone()),
        Some(vec![0, 0, 1, 3, 2])
    );
    assert_eq!(
        poll.reading(),
        Some(Reading::Rated {
            mean_tenths: 42,
            total: 6
        })
    );
    let labels: Vec<String> = Vec::new();
    assert_eq!(
        moot_shared::words::reading_sentence(
            &poll.reading().expect("read"),
            &labels,
            moot_shared::Lang::En,
        ),
        "Worth 4.2 of 5 on average, from 6 votes."
    );
}

#[test]
fn a_roti_score_out_of_range_is_refused_with_its_reason() {
    let mut room = meetup("Guild", 3, None);
    let poll = open_roti(&mut room, Secrecy::Anonymous);
    // Choice 5 would be a score of 6; 255 is what a broken client sends.
    for choice in [5, 6, u8::MAX] {
        assert_eq!(
            run(
                &mut room,
                who(2),
                Command::CastVote {
                    poll,
                    choice,
                    reason: None
                }
            ),
            Err(Rejection::NoSuchChoice { options: 5 })
        );
    }
    assert!(room.polls.get(poll).expect("the poll").ballots.is_empty());
    // Every score 1 to 5 is taken, and no score needs a reason.
    for choice in 0..5 {
        run(
            &mut room,
            who(2),
            Command::CastVote {
                poll,
                choice,
                reason: None,
            },
        )
        .expect("a score in range");
    }
}

#[test]
fn no_viewer_ever_receives_a_roti_choice_beside_a_voter() {
    let mut room = meetup("Guild", 5, None);
    let poll = open_roti(&mut room, Secrecy::Secret);
    let mut events = Vec::new();
    for (n, choice) in [(2, 0u8), (3, 4), (4, 2), (1, 3)] {
        events.extend(
            run(
                &mut room,
                who(n),
                Command::CastVote {
                    poll,
                    choice,
                    reason: PollReason::parse(&format!("change {n}")).ok(),
                },
            )
            .expect("a vote"),
        );
    }
    events.extend(run(&mut room, who(FRAN), Command::ClosePoll { poll }).expect("closed"));
    for viewer in viewers(5) {
        for event in &events {
            let sent = serde_json::to_string(event.for_viewer(viewer).as_ref()).expect("json");
            assert!(
                !(sent.contains("\"voter\"") && (sent.contains("\"choice\""))),
                "{viewer:?} received {sent}"
            );
        }
        let snapshot = serde_json::to_string(&room.for_viewer(viewer)).expect("json");
        let seen: serde_json::Value = serde_json::from_str(&snapshot).expect("json");
        for ballot in seen["polls"]["history"][0]["ballots"]
            .as_array()
            .expect("ballots")
        {
            assert!(
                ballot.get("voter").is_none() || ballot.get("choice").is_none(),
                "{viewer:?} holds {ballot}"
            );
        }
    }
}

#[test]
fn three_meetups_of_a_series_carry_the_trend_and_the_latest_suggestions() {
    let mut january = meetup("Guild, January", 6, None);
    // No ROTI yet: nothing to carry.
    assert!(carry_over(&january).roti.is_empty());
    rated(&mut january, &[3, 4, 4, 3, 5], &[(2, "Start on time")]);
    let carried = carry_over(&january);
    assert_eq!(
        carried.roti.points,
        [RotiPoint {
            title: january.title.clone(),
            voters: 5,
            mean_tenths: 38,
        }]
    );
    assert_eq!(carried.roti.suggestions[0].as_str(), "Start on time");

    let mut february = meetup("Guild, February", 6, Some(carried));
    assert_eq!(february.series.roti.points.len(), 1);
    // A first ROTI that nobody answered, then a reopened one: only the last
    // revealed one with votes counts.
    let empty = open_roti(&mut february, Secrecy::Anonymous);
    reveal(&mut february, empty);
    rated(
        &mut february,
        &[4, 4, 5, 4],
        &[(3, "More depth"), (2, "Fewer topics")],
    );
    let carried = carry_over(&february);
    let means: Vec<u16> = carried.roti.points.iter().map(|p| p.mean_tenths).collect();
    assert_eq!(means, [38, 43]);
    let suggestions: Vec<&str> = carried
        .roti
        .suggestions
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(
        suggestions,
        ["Fewer topics", "More depth"],
        "sorted, January's gone"
    );

    // March without a ROTI hands the trend on as it got it.
    let march = meetup("Guild, March", 4, Some(carried.clone()));
    assert_eq!(roti::trend(&march), carried.roti);
    assert_eq!(carry_over(&march).roti, carried.roti);

    // Its minutes: the series table, nothing rated, no names anywhere.
    let minutes = Minutes::of(&march, NOW, Lang::En);
    let feedback = minutes.feedback.as_ref().expect("a feedback section");
    assert_eq!(feedback.voters, 0);
    assert_eq!(feedback.earlier.len(), 2);
    let markdown = minutes.to_markdown(0, Lang::En);
    assert!(markdown.contains("## Feedback"), "{markdown}");
    assert!(
        markdown.contains("This meetup was not rated."),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Guild, January | 5 | 3.8 |"),
        "{markdown}"
    );
}

#[test]
fn a_series_keeps_the_last_twelve_meetups() {
    let mut carried: Option<CarriedOver> = None;
    for _ in 0..14 {
        let mut room = meetup("Guild", 4, carried.take());
        rated(&mut room, &[5, 4, 3], &[]);
        carried = Some(carry_over(&room));
    }
    let carried = carried.expect("carried");
    assert_eq!(carried.roti.points.len(), 12);
    // Whatever a stored meetup claims, a new one keeps at most twelve.
    let mut oversized = carried.clone();
    oversized.roti.points.extend(carried.roti.points.clone());
    let room = meetup("Guild", 2, Some(oversized));
    assert_eq!(room.series.roti.points.len(), 12);
}

#[test]
fn the_minutes_feedback_names_nobody() {
    let mut room = meetup("Guild", 5, None);
    rated(
        &mut room,
        &[2, 5, 4, 4],
        &[(2, "Less status, more help"), (4, "Keep the pairs")],
    );
    let minutes = Minutes::of(&room, NOW, Lang::En);
    let feedback = minutes.feedback.as_ref().expect("a feedback section");
    assert_eq!(feedback.voters, 4);
    assert_eq!(feedback.mean_tenths, Some(38));
    assert_eq!(feedback.counts, [0, 1, 0, 2, 1]);
    assert_eq!(
        feedback.suggestions,
        ["Keep the pairs", "Less status, more help"]
    );
    let poll = &minutes.polls[0];
    assert!(poll.anonymous);
    let outcome = poll.results.as_ref().expect("revealed");
    assert!(outcome.votes.is_empty());
    assert!(outcome.reasons.iter().all(|reason| reason.by.is_none()));

    // Nobody's name is anywhere in the feedback or the polls, in either form.
    let names: Vec<String> = room
        .participants
        .iter()
        .map(|person| person.name.to_string())
        .collect();
    let markdown = minutes.to_markdown(0, Lang::En);
    let feedback_md = markdown
        .split("## Feedback")
        .nth(1)
        .expect("a feedback section")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let polls_md = markdown
        .split("## Polls")
        .nth(1)
        .expect("a polls section")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let json = serde_json::to_string(&(&minutes.polls, &minutes.feedback)).expect("json");
    for name in &names {
        assert!(
            !feedback_md.contains(name.as_str()),
            "{name} in {feedback_md}"
        );
        assert!(!polls_md.contains(name.as_str()), "{name} in {polls_md}");
        assert!(!json.contains(&format!("\"{name}\"")), "{name} in {json}");
    }
    assert!(
        feedback_md.contains("**3.8 of 5** from 4 votes"),
        "{feedback_md}"
    );
    assert!(
        feedback_md.contains("| 2 · Less than I put in | 1 |"),
        "{feedback_md}"
    );
    assert!(feedback_md.contains("- Keep the pairs"), "{feedback_md}");
}
