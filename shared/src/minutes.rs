//! The minutes of a meetup: who was there, the topics with time spent,
//! notes, takeaways and action items, poll results with reasons, the review
//! of carried action items, the closing feedback with the series' trend, and
//! the airtime table, as JSON ([`Minutes`]) and as Markdown
//! ([`Minutes::to_markdown`]).
//!
//! The minutes are made from the server's whole room but say only what the
//! room has made public: dots count only once revealed, polls show results
//! only once revealed, and an anonymous poll never names a voter, not even
//! next to a reason.
//!
//! Both forms come in each language moot speaks: the Markdown's headings,
//! labels, dates and durations from [`wording`], the poll labels and
//! readings (which the JSON carries as text) from [`crate::words`].

mod wording;

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::ids::ParticipantId;
use crate::lang::Lang;
use crate::room::agenda::PhaseState;
use crate::room::board::{Column, NoteKind};
use crate::room::lifecycle::ReviewOutcome;
use crate::room::poll::{Poll, PollKind, PollStatus, Secrecy};
use crate::room::{Membership, Role, Room};
use crate::time::Timestamp;
use crate::words;
use wording::MinutesWords;

/// The minutes, as exported in JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Minutes {
    /// The meetup's title.
    pub title: String,
    /// Its join code.
    pub join_code: String,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// When it ended, if it has.
    pub ended_at: Option<Timestamp>,
    /// When these minutes were made.
    pub exported_at: Timestamp,
    /// The meetup this one followed, as "CODE: title".
    pub follows: Option<String>,
    /// Everyone who took part, in joining order.
    pub participants: Vec<Person>,
    /// Action items carried from the previous meetup, and what became of them.
    pub review: Vec<Reviewed>,
    /// Topics: discussed (in the order they were taken up), then still to
    /// discuss, then parked.
    pub topics: Vec<TopicMinutes>,
    /// Polls, in the order they were opened.
    pub polls: Vec<PollMinutes>,
    /// Airtime per person who spoke, most first.
    pub airtime: Vec<AirtimeLine>,
    /// The agenda: what was planned and what happened, if there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda: Option<AgendaMinutes>,
    /// The closing feedback (ROTI) and the series' trend, if there is any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<FeedbackMinutes>,
    /// The group's goals with their check-ins, and how many goals each
    /// person has that only they or their buddy see (never their text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<GoalsMinutes>,
    /// The breakouts: who was with whom in each, and the notes each group
    /// chose to share (never the others).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakouts: Vec<BreakoutMinutes>,
}

/// One breakout in the minutes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakoutMinutes {
    /// The title of its phase.
    pub title: String,
    /// When it started.
    pub started_at: Timestamp,
    /// Its groups, by number.
    pub groups: Vec<GroupMinutes>,
}

/// One group of a breakout in the minutes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupMinutes {
    /// Its number ("Group 2").
    pub number: u8,
    /// Everyone who was in it, in the order they joined it.
    pub members: Vec<String>,
    /// Its notes, if the group shared them; `None` if it kept them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<String>>,
}

/// Goals in the minutes, which everyone who took part may read: the
/// `group` goals only, and a count of the others per person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalsMinutes {
    /// The group goals, in the order they were set.
    pub goals: Vec<GoalMinutes>,
    /// Per person with buddy or private goals, how many: (name, count).
    pub not_shown: Vec<(String, usize)>,
}

/// One group goal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalMinutes {
    /// Whose.
    pub owner: String,
    /// The goal.
    pub text: String,
    /// Achieve, learn or teach.
    pub kind: crate::room::goals::GoalKind,
    /// Where it stands.
    pub progress: crate::room::goals::GoalProgress,
    /// By when, if set.
    pub due: Option<String>,
    /// Its check-ins, oldest first (earlier meetups' included).
    pub checkins: Vec<crate::room::goals::CheckIn>,
}

/// The closing feedback in the minutes: counts and suggestions, never who
/// gave them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackMinutes {
    /// How many rated this meetup (0 without a revealed ROTI).
    pub voters: u32,
    /// The mean score in tenths (42 for 4.2), if anyone rated it.
    pub mean_tenths: Option<u16>,
    /// Votes per score, 1 to 5 (empty without a revealed ROTI).
    pub counts: Vec<u32>,
    /// What people said to change, sorted by text.
    pub suggestions: Vec<String>,
    /// The earlier meetups of the series, oldest first.
    pub earlier: Vec<crate::room::roti::RotiPoint>,
}

/// The agenda in the minutes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaMinutes {
    /// The format it was set from.
    pub format: crate::room::agenda::Format,
    /// Every phase in plan order.
    pub phases: Vec<PhaseMinutes>,
    /// Who held the format's roles, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleMinutes>,
    /// The case's key question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_question: Option<String>,
}

/// A role and who held it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleMinutes {
    /// The role.
    pub role: crate::room::agenda::AgendaRole,
    /// Who held it.
    pub name: String,
}

/// One phase: planned and actual time, and how it went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseMinutes {
    /// Its title.
    pub title: String,
    /// What it did.
    #[serde(flatten)]
    pub kind: crate::room::agenda::PhaseKind,
    /// Planned length in seconds (0: untimed).
    pub planned_secs: u32,
    /// Time spent in it, in seconds, over every time it was entered (a
    /// phase still current counts until the minutes were made).
    pub spent_secs: u64,
    /// `done`, `skipped`, `current` or `upcoming` (never reached).
    pub state: crate::room::agenda::PhaseState,
}

/// A participant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Their name.
    pub name: String,
    /// Their role at the end.
    pub role: Role,
    /// Whether they stayed, left or were removed.
    pub membership: Membership,
}

/// A carried action item and its review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reviewed {
    /// What was to be done.
    pub text: String,
    /// Who owned it.
    pub owner: String,
    /// When it was due.
    pub due: Option<String>,
    /// What the group decided (none if not reviewed).
    pub outcome: Option<ReviewOutcome>,
}

/// A topic in the minutes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicMinutes {
    /// Its title.
    pub title: String,
    /// Its details.
    pub details: Option<String>,
    /// Where it ended up.
    pub column: Column,
    /// Dots it got, once votes were revealed.
    pub dots: Option<u32>,
    /// Time spent discussing it, in milliseconds (a discussion still running
    /// counts up to the end of the meetup or the export).
    pub time_spent_ms: u64,
    /// Titles of duplicates merged into it.
    pub merged: Vec<String>,
    /// Notes.
    pub notes: Vec<Line>,
    /// Takeaways.
    pub takeaways: Vec<Line>,
    /// Action items.
    pub action_items: Vec<Action>,
}

/// A note or takeaway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The text.
    pub text: String,
    /// Who wrote it.
    pub by: String,
}

/// An action item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// What is to be done.
    pub text: String,
    /// Who owns it.
    pub owner: String,
    /// When it is due (`YYYY-MM-DD`).
    pub due: Option<String>,
}

/// A poll in the minutes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollMinutes {
    /// The question.
    pub question: String,
    /// Its kind.
    pub kind: PollKind,
    /// Whether nobody may know who voted what.
    pub anonymous: bool,
    /// Where it is in its life.
    pub status: PollStatus,
    /// The results, once revealed.
    pub results: Option<PollOutcome>,
}

/// A revealed poll's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollOutcome {
    /// Votes per option, in option order.
    pub counts: Vec<OptionCount>,
    /// The one-line reading.
    pub reading: String,
    /// Reasons given, with their option; named only in named polls.
    pub reasons: Vec<Reason>,
    /// Who voted what, in named polls only (empty for anonymous polls).
    pub votes: Vec<Vote>,
}

/// Votes for one option.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionCount {
    /// The option's label.
    pub option: String,
    /// How many chose it.
    pub count: u32,
}

/// A reason given with a vote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The option it came with.
    pub option: String,
    /// The reason.
    pub reason: String,
    /// Who gave it; never set for an anonymous poll.
    pub by: Option<String>,
}

/// One named vote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vote {
    /// Who.
    pub name: String,
    /// Which option.
    pub option: String,
}

/// One person's airtime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AirtimeLine {
    /// Who.
    pub name: String,
    /// How many turns they had.
    pub turns: u32,
    /// How long they held the floor, in milliseconds.
    pub airtime_ms: u64,
    /// Their share of all airtime, in whole percent.
    pub share_percent: u32,
}

fn name_of(room: &Room, id: ParticipantId, lang: Lang) -> String {
    room.participant(id).map_or_else(
        || MinutesWords::of(lang).someone.to_owned(),
        |participant| participant.name.to_string(),
    )
}

fn poll_labels(poll: &Poll, lang: Lang) -> Vec<String> {
    match poll.setup.kind {
        PollKind::Custom => poll.setup.options.iter().map(ToString::to_string).collect(),
        kind => words::option_labels(kind, lang)
            .iter()
            .map(|label| (*label).to_owned())
            .collect(),
    }
}

fn poll_minutes(room: &Room, poll: &Poll, lang: Lang) -> PollMinutes {
    // A ROTI opens anonymous whatever was asked; said again here so that
    // no export could ever name a rater.
    let anonymous = poll.setup.secrecy == Secrecy::Anonymous || poll.setup.kind == PollKind::Roti;
    let labels = poll_labels(poll, lang);
    let label = |choice: u8| labels.get(usize::from(choice)).cloned().unwrap_or_default();
    let results = poll.results.as_ref().map(|results| {
        let counts = results
            .counts
            .iter()
            .enumerate()
            .map(|(index, count)| OptionCount {
                option: labels.get(index).cloned().unwrap_or_default(),
                count: *count,
            })
            .collect();
        let reading = words::reading_sentence(
            &crate::room::poll::reading(poll.setup.kind, &results.counts),
            &labels,
            lang,
        );
        // Reasons come from the ballots in named polls (so they can be
        // attributed) and from the unattributed list in anonymous ones.
        let reasons = if anonymous {
            results
                .reasons
                .iter()
                .map(|given| Reason {
                    option: label(given.choice),
                    reason: given.reason.to_string(),
                    by: None,
                })
                .collect()
        } else {
            poll.ballots
                .iter()
                .filter_map(|ballot| {
                    let (voter, choice, reason) =
                        (ballot.voter?, ballot.choice?, ballot.reason.as_ref()?);
                    Some(Reason {
                        option: label(choice),
                        reason: reason.to_string(),
                        by: Some(name_of(room, voter, lang)),
                    })
                })
                .collect()
        };
        let votes = if anonymous {
            Vec::new()
        } else {
            poll.ballots
                .iter()
                .filter_map(|ballot| {
                    Some(Vote {
                        name: name_of(room, ballot.voter?, lang),
                        option: label(ballot.choice?),
                    })
                })
                .collect()
        };
        PollOutcome {
            counts,
            reading,
            reasons,
            votes,
        }
    });
    PollMinutes {
        question: poll.setup.question_in(lang).to_owned(),
        kind: poll.setup.kind,
        anonymous,
        status: poll.status,
        results,
    }
}

impl Minutes {
    /// The minutes of `room` as of `now`, their poll labels and readings in
    /// `lang`.
    pub fn of(room: &Room, now: Timestamp, lang: Lang) -> Minutes {
        let until = room.ended_at.unwrap_or(now);
        let board = &room.board;
        let mut topics: Vec<&crate::room::board::Topic> = board.topics.iter().collect();
        let group = |column: Column| match column {
            Column::Discussed | Column::Discussing => 0,
            Column::ToDiscuss => 1,
            Column::Parked => 2,
        };
        // Discussed topics in the order they were taken up; the rest in board order.
        topics.sort_by_key(|topic| {
            let started = if group(topic.column) == 0 {
                topic.started_at.map_or(0, |at| at.0)
            } else {
                0
            };
            (group(topic.column), started)
        });
        let topics = topics
            .into_iter()
            .map(|topic| {
                let running = match (topic.column, topic.started_at) {
                    (Column::Discussing, Some(started)) => until.millis_since(started),
                    _ => 0,
                };
                let lines = |kind: NoteKind| {
                    board
                        .notes
                        .iter()
                        .filter(|note| note.topic == topic.id && note.kind == kind)
                        .map(|note| Line {
                            text: note.text.to_string(),
                            by: name_of(room, note.author, lang),
                        })
                        .collect()
                };
                TopicMinutes {
                    title: topic.title.to_string(),
                    details: topic.details.as_ref().map(ToString::to_string),
                    column: topic.column,
                    dots: board
                        .revealed
                        .then(|| topic.dots.iter().map(|stack| u32::from(stack.count)).sum()),
                    time_spent_ms: topic.time_spent_ms + running,
                    merged: topic.merged.iter().map(ToString::to_string).collect(),
                    notes: lines(NoteKind::Note),
                    takeaways: lines(NoteKind::Takeaway),
                    action_items: board
                        .action_items
                        .iter()
                        .filter(|item| item.topic == topic.id)
                        .map(|item| Action {
                            text: item.text.to_string(),
                            owner: name_of(room, item.owner, lang),
                            due: item.due.as_ref().map(|due| due.as_str().to_owned()),
                        })
                        .collect(),
                }
            })
            .collect();

        // Airtime: finished turns, plus a turn still running at the end.
        let mut airtime: Vec<(ParticipantId, u32, u64)> = room
            .queue
            .airtime
            .iter()
            .map(|line| (line.participant, line.turns, line.millis))
            .collect();
        if let Some(speaker) = &room.queue.speaker {
            let running = until.millis_since(speaker.started_at);
            match airtime
                .iter_mut()
                .find(|(who, _, _)| *who == speaker.participant)
            {
                Some(line) => {
                    line.1 = line.1.saturating_add(1);
                    line.2 = line.2.saturating_add(running);
                }
                None => airtime.push((speaker.participant, 1, running)),
            }
        }
        // Saturating, and shares in 128 bits: a browser builds the minutes
        // from whatever its snapshot says, however large.
        let total = airtime
            .iter()
            .fold(0u64, |total, (_, _, millis)| total.saturating_add(*millis));
        airtime.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let airtime = airtime
            .into_iter()
            .map(|(who, turns, millis)| AirtimeLine {
                name: name_of(room, who, lang),
                turns,
                airtime_ms: millis,
                // Rounded to the nearest percent; nobody spoke means no shares.
                share_percent: (u128::from(millis) * 100 + u128::from(total) / 2)
                    .checked_div(u128::from(total))
                    .map_or(0, |share| u32::try_from(share).unwrap_or(100)),
            })
            .collect();

        Minutes {
            title: room.title.to_string(),
            join_code: room.code.to_string(),
            opened_at: room.opened_at,
            ended_at: room.ended_at,
            exported_at: now,
            follows: room
                .series
                .follows
                .as_ref()
                .map(|(code, title)| format!("{code}: {title}")),
            participants: room
                .participants
                .iter()
                .map(|person| Person {
                    name: person.name.to_string(),
                    role: person.role,
                    membership: person.membership,
                })
                .collect(),
            review: room
                .series
                .review
                .iter()
                .map(|item| Reviewed {
                    text: item.action.text.to_string(),
                    owner: item.action.owner.to_string(),
                    due: item.action.due.as_ref().map(|due| due.as_str().to_owned()),
                    outcome: item.outcome,
                })
                .collect(),
            topics,
            polls: room
                .polls
                .history
                .iter()
                .map(|poll| poll_minutes(room, poll, lang))
                .collect(),
            airtime,
            agenda: agenda_minutes(room, until, lang),
            feedback: feedback_minutes(room),
            goals: goals_minutes(room, lang),
            breakouts: breakouts_minutes(room, lang),
        }
    }

    /// The minutes in Markdown, worded in `lang`; times shown at
    /// `utc_offset_minutes` from UTC (the reader's time zone, as the browser
    /// reports it). Poll labels and readings stay in the language the
    /// minutes were made in ([`Minutes::of`]).
    pub fn to_markdown(&self, utc_offset_minutes: i32, lang: Lang) -> String {
        let words = MinutesWords::of(lang);
        let mut out = String::new();
        let when = |at: Timestamp| LocalTime::of(at, utc_offset_minutes);
        let duration = |millis: u64| duration_in(millis, words);
        // Writing to a String cannot fail, so the results are ignored below.
        let _ = writeln!(out, "# {}\n", escape(&self.title));
        let opened = when(self.opened_at);
        let ended = self.ended_at.map(|at| when(at).clock());
        let _ = writeln!(
            out,
            "{} · {} {}\n",
            (words.held)(
                &opened.date(words),
                &opened.clock(),
                ended.as_deref(),
                &zone(utc_offset_minutes)
            ),
            words.join_code,
            self.join_code
        );
        if let Some(follows) = &self.follows {
            let _ = writeln!(out, "{}\n", (words.follows)(&escape(follows)));
        }

        section(&mut out, words.who_took_part);
        for person in &self.participants {
            let mut notes = Vec::new();
            match person.role {
                Role::Facilitator => notes.push(words.facilitator),
                Role::CoFacilitator => notes.push(words.co_facilitator),
                Role::Participant => {}
            }
            match person.membership {
                Membership::Active => {}
                Membership::Left => notes.push(words.left),
                Membership::Removed => notes.push(words.removed),
            }
            let suffix = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            };
            let _ = writeln!(out, "- {}{suffix}", escape(&person.name));
        }

        if !self.review.is_empty() {
            section(&mut out, words.review);
            for item in &self.review {
                let _ = writeln!(
                    out,
                    "- {} — {}{}: **{}**",
                    escape(&item.text),
                    escape(&item.owner),
                    due(&item.due, words),
                    (words.outcome)(item.outcome)
                );
            }
        }

        section(&mut out, words.topics);
        if self.topics.is_empty() {
            let _ = writeln!(out, "{}", words.no_topics);
        }
        for (number, topic) in self.topics.iter().enumerate() {
            let mut facts = vec![(words.column)(topic.column).to_owned()];
            if topic.time_spent_ms > 0 {
                facts.push(duration(topic.time_spent_ms));
            }
            if let Some(dots) = topic.dots {
                facts.push((words.dots)(dots));
            }
            let _ = writeln!(
                out,
                "### {}. {} ({})\n",
                number + 1,
                escape(&topic.title),
                facts.join(", ")
            );
            if let Some(details) = &topic.details {
                let _ = writeln!(out, "{}\n", escape(details));
            }
            if !topic.merged.is_empty() {
                let merged: Vec<String> = topic.merged.iter().map(|title| escape(title)).collect();
                let _ = writeln!(out, "{}: {}.\n", words.merged, merged.join("; "));
            }
            for (heading, lines) in [
                (words.notes, &topic.notes),
                (words.takeaways, &topic.takeaways),
            ] {
                if !lines.is_empty() {
                    let _ = writeln!(out, "**{heading}**\n");
                    for line in lines {
                        let _ = writeln!(out, "- {} ({})", escape(&line.text), escape(&line.by));
                    }
                    out.push('\n');
                }
            }
            if !topic.action_items.is_empty() {
                let _ = writeln!(out, "**{}**\n", words.action_items);
                for item in &topic.action_items {
                    let _ = writeln!(
                        out,
                        "- [ ] {} — {}{}",
                        escape(&item.text),
                        escape(&item.owner),
                        due(&item.due, words)
                    );
                }
                out.push('\n');
            }
        }

        if !self.polls.is_empty() {
            section(&mut out, words.polls);
        }
        for poll in &self.polls {
            let mut kind = words::kind_name(poll.kind, lang).to_owned();
            if poll.anonymous {
                kind.push_str(", ");
                kind.push_str(words.anonymous);
            }
            let _ = writeln!(out, "### {} ({kind})\n", escape(&poll.question));
            let Some(results) = &poll.results else {
                let _ = writeln!(out, "{}\n", words.not_revealed);
                continue;
            };
            let _ = writeln!(
                out,
                "| {} | {} |\n| --- | ---: |",
                words.option, words.votes
            );
            for count in &results.counts {
                let _ = writeln!(out, "| {} | {} |", escape(&count.option), count.count);
            }
            let _ = writeln!(out, "\n{}\n", escape(&results.reading));
            if !results.votes.is_empty() {
                let votes: Vec<String> = results
                    .votes
                    .iter()
                    .map(|vote| format!("{}: {}", escape(&vote.name), escape(&vote.option)))
                    .collect();
                let _ = writeln!(out, "{}: {}.\n", words.votes, votes.join("; "));
            }
            if !results.reasons.is_empty() {
                let _ = writeln!(out, "{}:\n", words.reasons);
                for reason in &results.reasons {
                    let by = reason
                        .by
                        .as_ref()
                        .map_or_else(String::new, |by| format!(" ({})", escape(by)));
                    let _ = writeln!(
                        out,
                        "- {}: {}{by}",
                        escape(&reason.option),
                        escape(&reason.reason)
                    );
                }
                out.push('\n');
            }
        }

        if let Some(feedback) = &self.feedback {
            feedback_markdown(&mut out, feedback, words);
        }

        if let Some(goals) = &self.goals {
            goals_markdown(&mut out, goals, words, utc_offset_minutes);
        }

        if !self.breakouts.is_empty() {
            breakouts_markdown(&mut out, &self.breakouts, words, utc_offset_minutes);
        }

        if let Some(agenda) = &self.agenda {
            section(&mut out, words.agenda);
            let _ = writeln!(
                out,
                "{}: {}.\n",
                words.format,
                (words.format_name)(agenda.format)
            );
            for phase in &agenda.phases {
                let planned = match phase.planned_secs {
                    0 => words.untimed.to_owned(),
                    secs => (words.planned)(&duration(u64::from(secs) * 1000)),
                };
                let spent = duration(phase.spent_secs.saturating_mul(1000));
                let happened = match phase.state {
                    PhaseState::Done => (words.took)(&spent),
                    PhaseState::Current => (words.running)(&spent),
                    PhaseState::Skipped => words.skipped.to_owned(),
                    PhaseState::Upcoming => words.not_reached.to_owned(),
                };
                let _ = writeln!(out, "- {}: {planned}, {happened}", escape(&phase.title));
            }
            if !agenda.roles.is_empty() {
                let roles: Vec<String> = agenda
                    .roles
                    .iter()
                    .map(|held| format!("{}: {}", (words.role_name)(held.role), escape(&held.name)))
                    .collect();
                let _ = writeln!(out, "\n{}: {}.", words.roles, roles.join("; "));
            }
            if let Some(question) = &agenda.key_question {
                let _ = writeln!(out, "\n{}: {}", words.key_question, escape(question));
            }
            out.push('\n');
        }

        if !self.airtime.is_empty() {
            section(&mut out, words.airtime);
            let [person, turns, airtime, share] = words.airtime_columns;
            let _ = writeln!(
                out,
                "| {person} | {turns} | {airtime} | {share} |\n| --- | ---: | ---: | ---: |"
            );
            for line in &self.airtime {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    escape(&line.name),
                    line.turns,
                    duration(line.airtime_ms),
                    (words.percent)(line.share_percent)
                );
            }
        }
        let exported = when(self.exported_at);
        let _ = writeln!(
            out,
            "\n---\n{}",
            (words.exported)(
                &exported.date(words),
                &exported.clock(),
                &zone(utc_offset_minutes)
            )
        );
        out
    }
}

/// One participant's action items, as Markdown worded in `lang`.
pub fn action_items_markdown(room: &Room, participant: ParticipantId, lang: Lang) -> String {
    let words = MinutesWords::of(lang);
    let name = name_of(room, participant, lang);
    let mut out = format!(
        "# {}\n\n",
        (words.my_actions)(&escape(&name), &escape(room.title.as_str()))
    );
    let mine: Vec<_> = room
        .board
        .action_items
        .iter()
        .filter(|item| item.owner == participant)
        .collect();
    if mine.is_empty() {
        out.push_str(words.none);
        out.push('\n');
    }
    for item in mine {
        let topic = room
            .board
            .topics
            .iter()
            .find(|topic| topic.id == item.topic);
        let topic = topic.map_or_else(String::new, |topic| {
            (words.of_topic)(&escape(topic.title.as_str()))
        });
        let due_date = item.due.as_ref().map(|due| due.as_str().to_owned());
        let _ = writeln!(
            out,
            "- [ ] {}{}{topic}",
            escape(item.text.as_str()),
            due(&due_date, words)
        );
    }
    // One's own goals, whoever may see them: this export is one's own.
    let goals: Vec<GoalMinutes> = room
        .goals
        .goals
        .iter()
        .filter(|goal| goal.owner == Some(participant))
        .map(|goal| goal_minutes(goal, name.clone()))
        .collect();
    if !goals.is_empty() {
        section(&mut out, words.goals);
        for goal in &goals {
            write_goal(&mut out, None, goal, words, 0);
        }
    }
    out
}

/// A goal as the minutes carry it.
fn goal_minutes(goal: &crate::room::goals::Goal, owner: String) -> GoalMinutes {
    GoalMinutes {
        owner,
        text: goal.text.to_string(),
        kind: goal.kind,
        progress: goal.progress(),
        due: goal.due.as_ref().map(|due| due.as_str().to_owned()),
        checkins: goal.checkins.clone(),
    }
}

/// The goals as the minutes show them: `group` goals whole, the others
/// only counted per person. `None` without any goal.
fn goals_minutes(room: &Room, lang: Lang) -> Option<GoalsMinutes> {
    use crate::room::goals::GoalVisibility;
    if room.goals.goals.is_empty() {
        return None;
    }
    let owner = |goal: &crate::room::goals::Goal| {
        goal.owner.map_or_else(
            || goal.owner_name.to_string(),
            |owner| name_of(room, owner, lang),
        )
    };
    let goals = room
        .goals
        .goals
        .iter()
        .filter(|goal| goal.visibility == GoalVisibility::Group)
        .map(|goal| goal_minutes(goal, owner(goal)))
        .collect();
    let mut not_shown: Vec<(String, usize)> = Vec::new();
    for goal in room
        .goals
        .goals
        .iter()
        .filter(|goal| goal.visibility != GoalVisibility::Group)
    {
        let name = owner(goal);
        match not_shown.iter_mut().find(|(known, _)| *known == name) {
            Some((_, count)) => *count += 1,
            None => not_shown.push((name, 1)),
        }
    }
    Some(GoalsMinutes { goals, not_shown })
}

/// One goal as a list item (`owner: ` first when given), with its
/// check-ins under it.
fn write_goal(
    out: &mut String,
    owner: Option<&str>,
    goal: &GoalMinutes,
    words: &MinutesWords,
    utc_offset_minutes: i32,
) {
    let due = goal
        .due
        .as_ref()
        .map_or_else(String::new, |due| format!(", {}", (words.due)(due)));
    let owner = owner.map_or_else(String::new, |owner| format!("{}: ", escape(owner)));
    let _ = writeln!(
        out,
        "- {owner}{} ({}{due}): {}",
        escape(&goal.text),
        (words.goal_kind)(goal.kind),
        (words.goal_progress)(goal.progress)
    );
    for checkin in &goal.checkins {
        let at = LocalTime::of(checkin.at, utc_offset_minutes);
        let note = checkin
            .note
            .as_ref()
            .map_or_else(String::new, |note| format!(" — {}", escape(note.as_str())));
        let _ = writeln!(
            out,
            "  - {}: {}{note}",
            at.date(words),
            (words.goal_progress)(checkin.progress)
        );
    }
}

/// The goals section: each group goal with where it stands and its
/// check-ins, then who has goals the minutes do not show.
fn goals_markdown(
    out: &mut String,
    goals: &GoalsMinutes,
    words: &MinutesWords,
    utc_offset_minutes: i32,
) {
    section(out, words.goals);
    for goal in &goals.goals {
        write_goal(out, Some(&goal.owner), goal, words, utc_offset_minutes);
    }
    if !goals.not_shown.is_empty() {
        let list: Vec<String> = goals
            .not_shown
            .iter()
            .map(|(name, count)| (words.goals_count)(&escape(name), *count))
            .collect();
        if !goals.goals.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", (words.goals_not_shown)(&list.join(", ")));
    }
    out.push('\n');
}

/// The breakouts as the minutes keep them: the groups by name (everyone
/// who was in each), and only the notes a group shared.
fn breakouts_minutes(room: &Room, lang: Lang) -> Vec<BreakoutMinutes> {
    room.breakouts
        .runs
        .iter()
        .map(|run| BreakoutMinutes {
            title: room
                .agenda
                .phase(run.phase)
                .map(|phase| phase.spec.title_in(lang).to_owned())
                .unwrap_or_default(),
            started_at: run.started_at,
            groups: run
                .groups
                .iter()
                .filter(|group| !group.audience.is_empty())
                .map(|group| GroupMinutes {
                    number: group.number.0,
                    members: group
                        .audience
                        .iter()
                        .map(|member| name_of(room, *member, lang))
                        .collect(),
                    notes: group.shared.then(|| {
                        group
                            .notes
                            .iter()
                            .map(|note| note.text.to_string())
                            .collect()
                    }),
                })
                .collect(),
        })
        .collect()
}

fn breakouts_markdown(
    out: &mut String,
    breakouts: &[BreakoutMinutes],
    words: &MinutesWords,
    utc_offset_minutes: i32,
) {
    section(out, words.breakouts);
    for breakout in breakouts {
        let at = LocalTime::of(breakout.started_at, utc_offset_minutes);
        let _ = writeln!(out, "### {} ({})\n", escape(&breakout.title), at.clock());
        for group in &breakout.groups {
            let members: Vec<String> = group.members.iter().map(|name| escape(name)).collect();
            let _ = writeln!(
                out,
                "- {}: {}",
                (words.group)(group.number),
                members.join(", ")
            );
            match &group.notes {
                Some(notes) => {
                    for note in notes {
                        let _ = writeln!(out, "  - {}", escape(note));
                    }
                }
                None => {
                    let _ = writeln!(out, "  - *{}*", words.notes_kept);
                }
            }
        }
        out.push('\n');
    }
}

/// This meetup's ROTI, if it had one, and the trend it follows.
fn feedback_minutes(room: &Room) -> Option<FeedbackMinutes> {
    let earlier = room.series.roti.points.clone();
    let results = crate::room::roti::latest(room).and_then(|poll| poll.results.as_ref());
    if results.is_none() && earlier.is_empty() {
        return None;
    }
    let mut suggestions: Vec<String> = results
        .map(|results| {
            results
                .reasons
                .iter()
                .map(|given| given.reason.to_string())
                .collect()
        })
        .unwrap_or_default();
    suggestions.sort();
    Some(FeedbackMinutes {
        voters: results.map_or(0, |results| results.total()),
        mean_tenths: results.and_then(|results| crate::room::roti::mean_tenths(&results.counts)),
        counts: results.map_or_else(Vec::new, |results| results.counts.clone()),
        suggestions,
        earlier,
    })
}

fn feedback_markdown(out: &mut String, feedback: &FeedbackMinutes, words: &MinutesWords) {
    let decimal = |tenths: u16| words::tenths(tenths, words.lang);
    section(out, words.feedback);
    match feedback.mean_tenths {
        Some(mean) => {
            let _ = writeln!(out, "{}\n", (words.rated)(&decimal(mean), feedback.voters));
            let _ = writeln!(out, "| {} | {} |\n| --- | ---: |", words.score, words.votes);
            let labels = words::option_labels(PollKind::Roti, words.lang);
            for (label, count) in labels.iter().zip(&feedback.counts) {
                let _ = writeln!(out, "| {label} | {count} |");
            }
            out.push('\n');
        }
        None => {
            let _ = writeln!(out, "{}\n", words.not_rated);
        }
    }
    if !feedback.suggestions.is_empty() {
        let _ = writeln!(out, "{}\n", words.what_to_change);
        for suggestion in &feedback.suggestions {
            let _ = writeln!(out, "- {}", escape(suggestion));
        }
        out.push('\n');
    }
    if !feedback.earlier.is_empty() {
        let _ = writeln!(
            out,
            "{}\n\n| {} | {} | {} |\n| --- | ---: | ---: |",
            words.earlier_meetups, words.meetup, words.votes, words.mean
        );
        for point in &feedback.earlier {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                escape(point.title.as_str()),
                point.voters,
                decimal(point.mean_tenths)
            );
        }
        out.push('\n');
    }
}

/// The agenda as the minutes record it.
fn agenda_minutes(room: &Room, until: Timestamp, lang: Lang) -> Option<AgendaMinutes> {
    let agenda = &room.agenda;
    let format = agenda.format?;
    let phases = agenda
        .phases
        .iter()
        .map(|phase| {
            let running = match (phase.state, phase.started_at) {
                (PhaseState::Current, Some(started)) => until.millis_since(started),
                _ => 0,
            };
            PhaseMinutes {
                title: phase.spec.title_in(lang).to_owned(),
                kind: phase.spec.kind,
                planned_secs: phase.spec.planned_secs,
                spent_secs: (phase.spent_ms + running) / 1000,
                state: phase.state,
            }
        })
        .collect();
    let mut roles: Vec<RoleMinutes> = agenda
        .roles
        .iter()
        .map(|holder| RoleMinutes {
            role: holder.role,
            name: name_of(room, holder.participant, lang),
        })
        .collect();
    roles.sort_by_key(|held| held.role);
    Some(AgendaMinutes {
        format,
        phases,
        roles,
        key_question: agenda.key_question.as_ref().map(ToString::to_string),
    })
}

/// Starts a `##` section with exactly one blank line before it.
fn section(out: &mut String, title: &str) {
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "## {title}\n");
}

/// ", due 2026-12-01" after an action item, its date in the language's form.
fn due(due: &Option<String>, words: &MinutesWords) -> String {
    due.as_ref().map_or_else(String::new, |date| {
        // Due dates are stored as `YYYY-MM-DD`; anything else (minutes read
        // back from someone's JSON) is shown as it came.
        let written = iso_date(date).map_or_else(
            || date.clone(),
            |(year, month, day)| (words.date)(year, month, day),
        );
        (words.due)(&written)
    })
}

/// The year, month and day of a `YYYY-MM-DD` date.
fn iso_date(date: &str) -> Option<(i64, u32, u32)> {
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |part: &str, len: usize| {
        part.len() == len && part.bytes().all(|byte| byte.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
        return None;
    }
    Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
}

/// Keeps user text from being read as Markdown structure.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(
            character,
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '<' | '>'
        ) {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

/// "7 min 30 s", "45 s", "1 h 2 min".
pub fn duration(millis: u64) -> String {
    duration_in(millis, MinutesWords::of(Lang::En))
}

/// A duration as `words`' language says it ("7 Minuten 30 Sekunden").
fn duration_in(millis: u64, words: &MinutesWords) -> String {
    // Rounded to the nearest second; saturating, since a browser formats
    // whatever its snapshot says.
    let seconds = millis.saturating_add(500) / 1000;
    (words.duration)(seconds / 3600, (seconds % 3600) / 60, seconds % 60)
}

fn zone(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", offset / 60, offset % 60)
}

/// A moment on the reader's calendar and clock.
struct LocalTime {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
}

impl LocalTime {
    /// `at`, shifted by `offset_minutes` from UTC.
    fn of(at: Timestamp, offset_minutes: i32) -> LocalTime {
        let shifted =
            i64::try_from(at.0 / 1000).unwrap_or(i64::MAX) + i64::from(offset_minutes) * 60;
        let days = shifted.div_euclid(86_400);
        let second_of_day = shifted.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        LocalTime {
            year,
            month,
            day,
            hour: second_of_day / 3600,
            minute: (second_of_day % 3600) / 60,
        }
    }

    /// The date as `words`' language writes it.
    fn date(&self, words: &MinutesWords) -> String {
        (words.date)(self.year, self.month, self.day)
    }

    /// `HH:MM`, as both languages write a time of day.
    fn clock(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

/// The calendar date (`YYYY-MM-DD`) and clock time (`HH:MM`) of `at`,
/// shifted by `offset_minutes`.
pub fn local_time(at: Timestamp, offset_minutes: i32) -> (String, String) {
    let local = LocalTime::of(at, offset_minutes);
    (local.date(MinutesWords::of(Lang::En)), local.clock())
}

/// Days since 1970-01-01 to a (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::{Actor, Command, CredentialDigest, OpenMeetup, ScreenKey};
    use crate::{DisplayName, JoinCode, MeetupTitle};
    use serde_json::{Value, json};

    /// 2026-12-01 13:05 UTC, when the small meetup opens.
    const OPENED: u64 = 1_796_130_300_000;

    fn at(seconds: u64) -> Timestamp {
        Timestamp(OPENED + seconds * 1000)
    }

    /// Participant `n`, as the wire writes their id.
    fn person(n: u128) -> ParticipantId {
        ParticipantId(uuid::Uuid::from_u128(n))
    }

    /// Applies a command and folds its events.
    fn apply(room: &mut Room, actor: Actor, command: Command, seconds: u64) {
        let events = room
            .apply(actor, command.clone(), at(seconds))
            .unwrap_or_else(|reason| panic!("{command:?}: {reason:?}"));
        for event in &events {
            room.on_event(event);
        }
    }

    /// Applies a command given as a client sends it.
    fn run(room: &mut Room, actor: Actor, command: Value, seconds: u64) {
        let parsed = serde_json::from_value(command.clone())
            .unwrap_or_else(|error| panic!("{command}: {error}"));
        apply(room, actor, parsed, seconds);
    }

    /// A small meetup: Fran facilitates, Ada and Bo join; two topics get
    /// two dots and one; the first is discussed for seven minutes with a
    /// note, a takeaway and an action item for Ada; Ada speaks for a minute;
    /// a yes/no poll is revealed; then the meetup ends.
    fn small_meetup() -> Room {
        let opened = OpenMeetup {
            code: JoinCode::parse("7KQ2M9XD").expect("a join code"),
            title: MeetupTitle::parse("Team-Runde").expect("a title"),
            facilitator: person(1),
            facilitator_name: DisplayName::parse("Fran").expect("a name"),
            credential: CredentialDigest("f".into()),
            screen_key: ScreenKey::new([7; 16]),
        }
        .into_event();
        let mut room = Room::opened(&opened, at(0)).expect("a room");
        let [fran, ada, bo] = [1, 2, 3].map(|n| Actor::Participant(person(n)));
        for (n, name) in [(2, "Ada"), (3, "Bo")] {
            let join = Command::Join {
                participant: person(n),
                name: DisplayName::parse(name).expect("a name"),
                credential: CredentialDigest(name.into()),
            };
            apply(&mut room, Actor::System, join, 5);
        }
        for title in ["Flaky CI", "Onboarding"] {
            let propose = json!({"type": "propose_topic", "title": title});
            run(&mut room, ada, propose, 10);
        }
        for (who, topic) in [(ada, 1), (bo, 1), (bo, 2)] {
            run(
                &mut room,
                who,
                json!({"type": "place_dot", "topic": topic}),
                20,
            );
        }
        run(&mut room, fran, json!({"type": "reveal_votes"}), 30);
        run(
            &mut room,
            fran,
            json!({"type": "start_topic", "topic": 1}),
            60,
        );
        let note =
            json!({"type": "add_note", "topic": 1, "text": "Three suites fail one run in ten"});
        run(&mut room, ada, note, 70);
        let takeaway = json!({"type": "add_note", "topic": 1, "kind": "takeaway", "text": "Retries hide failures"});
        run(&mut room, bo, takeaway, 80);
        let action = json!({"type": "add_action_item", "topic": 1, "text": "Quarantine the suites", "owner": person(2), "due": "2026-12-15"});
        run(&mut room, fran, action, 90);
        run(&mut room, ada, json!({"type": "raise_hand"}), 100);
        run(&mut room, fran, json!({"type": "next_speaker"}), 100);
        let turn = room.queue.speaker.as_ref().expect("Ada speaks").turn;
        run(
            &mut room,
            ada,
            json!({"type": "finish_turn", "turn": turn}),
            160,
        );
        let poll = json!({"type": "open_poll", "question": "Keep the retries?", "kind": "yes_no", "secrecy": "secret", "auto_reveal": false});
        run(&mut room, fran, poll, 200);
        let poll = room.polls.current().expect("an open poll").id;
        run(
            &mut room,
            ada,
            json!({"type": "cast_vote", "poll": poll, "choice": 1, "reason": "They hide failures"}),
            210,
        );
        run(
            &mut room,
            bo,
            json!({"type": "cast_vote", "poll": poll, "choice": 1}),
            220,
        );
        run(
            &mut room,
            fran,
            json!({"type": "reveal_poll", "poll": poll}),
            230,
        );
        run(
            &mut room,
            fran,
            json!({"type": "finish_topic", "topic": 1}),
            480,
        );
        run(&mut room, fran, json!({"type": "end_meetup"}), 600);
        room
    }

    #[test]
    fn the_minutes_read_in_german() {
        let room = small_meetup();
        let minutes = Minutes::of(&room, at(660), Lang::De);
        let markdown = minutes.to_markdown(60, Lang::De);
        for expected in [
            "# Team-Runde\n\n1. Dezember 2026, 14:05–14:15 (UTC+01:00) · Beitrittscode 7KQ2M9XD\n",
            "## Teilnehmende\n\n- Fran (Moderation)\n- Ada\n- Bo\n",
            "## Themen\n",
            "### 1. Flaky CI (besprochen, 7 Minuten, 2 Punkte)\n",
            "### 2. Onboarding (nicht besprochen, 1 Punkt)\n",
            "**Notizen**\n\n- Three suites fail one run in ten (Ada)\n",
            "**Erkenntnisse**\n\n- Retries hide failures (Bo)\n",
            "**Aufgaben**\n\n- [ ] Quarantine the suites — Ada, fällig am 15. Dezember 2026\n",
            "## Abstimmungen\n\n### Keep the retries? (Ja / Nein)\n",
            "| Option | Stimmen |\n| --- | ---: |\n| Ja | 0 |\n| Nein | 2 |\n",
            "Nicht angenommen: 2 von 2 dagegen.",
            "Stimmen: Ada: Nein; Bo: Nein.",
            "Gründe:\n\n- Nein: They hide failures (Ada)\n",
            "## Redezeit\n\n| Person | Wortmeldungen | Redezeit | Anteil |",
            "| Ada | 1 | 1 Minute | 100 % |",
            "Protokoll exportiert am 1. Dezember 2026 um 14:16 (UTC+01:00) mit moot.",
        ] {
            assert!(markdown.contains(expected), "{expected:?} in:\n{markdown}");
        }
        // No heading, label or sentence of the English minutes is left.
        let english = minutes.to_markdown(60, Lang::En);
        let english_words = english.lines().filter(|line| {
            line.starts_with("## ") || (line.starts_with("**") && line.ends_with("**"))
        });
        for words in english_words.chain(["due", "join code", "dot", "Votes", "Exported"]) {
            assert!(!markdown.contains(words), "{words:?} in:\n{markdown}");
        }
        // The JSON carries the poll's labels and reading in German too.
        let outcome = minutes.polls[0].results.as_ref().expect("revealed");
        assert_eq!(outcome.counts[1].option, "Nein");
        assert_eq!(outcome.reading, "Nicht angenommen: 2 von 2 dagegen.");
        assert_eq!(outcome.reasons[0].option, "Nein");
    }

    #[test]
    fn the_english_minutes_of_the_same_meetup_stay_english() {
        let room = small_meetup();
        let markdown = Minutes::of(&room, at(660), Lang::En).to_markdown(60, Lang::En);
        assert!(
            markdown.contains("### 1. Flaky CI (discussed, 7 min, 2 dots)"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| Ada | 1 | 1 min | 100% |"),
            "{markdown}"
        );
        assert!(
            markdown.contains("Not carried: 2 of 2 against."),
            "{markdown}"
        );
    }

    #[test]
    fn a_persons_action_items_read_in_german() {
        let room = small_meetup();
        assert_eq!(
            action_items_markdown(&room, person(2), Lang::De),
            "# Aufgaben für Ada — Team-Runde\n\n\
             - [ ] Quarantine the suites, fällig am 15. Dezember 2026 (Thema: Flaky CI)\n"
        );
        assert_eq!(
            action_items_markdown(&room, person(3), Lang::De),
            "# Aufgaben für Bo — Team-Runde\n\nKeine.\n"
        );
    }

    #[test]
    fn german_durations_and_dates_take_their_plurals_and_month_names() {
        let german = MinutesWords::of(Lang::De);
        let duration = |millis| duration_in(millis, german);
        assert_eq!(duration(1_000), "1 Sekunde");
        assert_eq!(duration(45_400), "45 Sekunden");
        assert_eq!(duration(60_000), "1 Minute");
        assert_eq!(duration(420_000), "7 Minuten");
        assert_eq!(duration(61_000), "1 Minute 1 Sekunde");
        assert_eq!(duration(450_000), "7 Minuten 30 Sekunden");
        assert_eq!(duration(3_660_000), "1 Stunde 1 Minute");
        assert_eq!(duration(7_320_000), "2 Stunden 2 Minuten");
        assert_eq!(duration(u64::MAX), "5124095576030 Stunden 25 Minuten");
        assert_eq!(
            LocalTime::of(Timestamp(0), 0).date(german),
            "1. Januar 1970"
        );
        assert_eq!(
            LocalTime::of(Timestamp(OPENED), -16 * 60).date(german),
            "30. November 2026"
        );
        assert_eq!(
            due(&Some("2026-03-09".into()), german),
            ", fällig am 9. März 2026"
        );
        // A date not in the stored form is shown as it came.
        assert_eq!(due(&Some("soon".into()), german), ", fällig am soon");
    }

    #[test]
    fn dates_and_zones() {
        assert_eq!(
            local_time(Timestamp(0), 0),
            ("1970-01-01".into(), "00:00".into())
        );
        // 2026-11-22 15:53:00 UTC
        assert_eq!(
            local_time(Timestamp(1_795_362_780_000), 0),
            ("2026-11-22".into(), "15:53".into())
        );
        assert_eq!(
            local_time(Timestamp(1_795_362_780_000), 60),
            ("2026-11-22".into(), "16:53".into())
        );
        assert_eq!(
            local_time(Timestamp(1_795_362_780_000), -16 * 60),
            ("2026-11-21".into(), "23:53".into())
        );
        assert_eq!(local_time(Timestamp(951_782_400_000), 0).0, "2000-02-29");
        assert_eq!(zone(0), "UTC");
        assert_eq!(zone(-330), "UTC-05:30");
        assert_eq!(zone(120), "UTC+02:00");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45_400), "45 s");
        assert_eq!(duration(420_000), "7 min");
        assert_eq!(duration(450_000), "7 min 30 s");
        assert_eq!(duration(3_720_000), "1 h 2 min");
    }

    #[test]
    fn markdown_in_user_text_is_escaped() {
        assert_eq!(
            escape("# not a heading *or* [link](x)"),
            "\\# not a heading \\*or\\* \\[link\\](x)"
        );
    }
}
