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

fn name_of(room: &Room, id: ParticipantId) -> String {
    room.participant(id).map_or_else(
        || "someone".to_owned(),
        |participant| participant.name.to_string(),
    )
}

fn poll_labels(poll: &Poll) -> Vec<String> {
    match poll.setup.kind {
        PollKind::Custom => poll.setup.options.iter().map(ToString::to_string).collect(),
        kind => words::option_labels(kind, Lang::En)
            .iter()
            .map(|label| (*label).to_owned())
            .collect(),
    }
}

fn poll_minutes(room: &Room, poll: &Poll) -> PollMinutes {
    // A ROTI opens anonymous whatever was asked; said again here so that
    // no export could ever name a rater.
    let anonymous = poll.setup.secrecy == Secrecy::Anonymous || poll.setup.kind == PollKind::Roti;
    let labels = poll_labels(poll);
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
            Lang::En,
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
                        by: Some(name_of(room, voter)),
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
                        name: name_of(room, ballot.voter?),
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
        question: poll.setup.question.to_string(),
        kind: poll.setup.kind,
        anonymous,
        status: poll.status,
        results,
    }
}

impl Minutes {
    /// The minutes of `room` as of `now`.
    pub fn of(room: &Room, now: Timestamp) -> Minutes {
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
                            by: name_of(room, note.author),
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
                            owner: name_of(room, item.owner),
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
                name: name_of(room, who),
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
                .map(|poll| poll_minutes(room, poll))
                .collect(),
            airtime,
            agenda: agenda_minutes(room, until),
            feedback: feedback_minutes(room),
        }
    }

    /// The minutes in Markdown; times shown at `utc_offset_minutes` from UTC
    /// (the reader's time zone, as the browser reports it).
    pub fn to_markdown(&self, utc_offset_minutes: i32) -> String {
        let mut out = String::new();
        let when = |at: Timestamp| local_time(at, utc_offset_minutes);
        // Writing to a String cannot fail, so the results are ignored below.
        let _ = writeln!(out, "# {}\n", escape(&self.title));
        let (opened_date, opened_clock) = when(self.opened_at);
        let ended = self
            .ended_at
            .map_or_else(|| "still running".to_owned(), |at| when(at).1);
        let _ = writeln!(
            out,
            "{opened_date}, {opened_clock}–{ended} ({}) · join code {}\n",
            zone(utc_offset_minutes),
            self.join_code
        );
        if let Some(follows) = &self.follows {
            let _ = writeln!(out, "Follows {}.\n", escape(follows));
        }

        section(&mut out, "Who took part");
        for person in &self.participants {
            let mut notes = Vec::new();
            match person.role {
                Role::Facilitator => notes.push("facilitator"),
                Role::CoFacilitator => notes.push("co-facilitator"),
                Role::Participant => {}
            }
            match person.membership {
                Membership::Active => {}
                Membership::Left => notes.push("left"),
                Membership::Removed => notes.push("removed"),
            }
            let suffix = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            };
            let _ = writeln!(out, "- {}{suffix}", escape(&person.name));
        }

        if !self.review.is_empty() {
            section(&mut out, "Review of carried action items");
            for item in &self.review {
                let outcome = match item.outcome {
                    Some(ReviewOutcome::Done) => "done",
                    Some(ReviewOutcome::Kept) => "kept",
                    Some(ReviewOutcome::Dropped) => "dropped",
                    None => "not reviewed",
                };
                let _ = writeln!(
                    out,
                    "- {} — {}{}: **{outcome}**",
                    escape(&item.text),
                    escape(&item.owner),
                    due(&item.due)
                );
            }
        }

        section(&mut out, "Topics");
        if self.topics.is_empty() {
            let _ = writeln!(out, "No topics.");
        }
        for (number, topic) in self.topics.iter().enumerate() {
            let state = match topic.column {
                Column::Discussed => "discussed",
                Column::Discussing => "being discussed",
                Column::ToDiscuss => "not discussed",
                Column::Parked => "parked",
            };
            let mut facts = vec![state.to_owned()];
            if topic.time_spent_ms > 0 {
                facts.push(duration(topic.time_spent_ms));
            }
            if let Some(dots) = topic.dots {
                facts.push(format!("{dots} {}", if dots == 1 { "dot" } else { "dots" }));
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
                let _ = writeln!(out, "Merged: {}.\n", merged.join("; "));
            }
            for (heading, lines) in [("Notes", &topic.notes), ("Takeaways", &topic.takeaways)] {
                if !lines.is_empty() {
                    let _ = writeln!(out, "**{heading}**\n");
                    for line in lines {
                        let _ = writeln!(out, "- {} ({})", escape(&line.text), escape(&line.by));
                    }
                    out.push('\n');
                }
            }
            if !topic.action_items.is_empty() {
                let _ = writeln!(out, "**Action items**\n");
                for item in &topic.action_items {
                    let _ = writeln!(
                        out,
                        "- [ ] {} — {}{}",
                        escape(&item.text),
                        escape(&item.owner),
                        due(&item.due)
                    );
                }
                out.push('\n');
            }
        }

        if !self.polls.is_empty() {
            section(&mut out, "Polls");
        }
        for poll in &self.polls {
            let mut kind = words::kind_name(poll.kind, Lang::En).to_owned();
            if poll.anonymous {
                kind.push_str(", anonymous");
            }
            let _ = writeln!(out, "### {} ({kind})\n", escape(&poll.question));
            let Some(results) = &poll.results else {
                let _ = writeln!(out, "Not revealed.\n");
                continue;
            };
            let _ = writeln!(out, "| Option | Votes |\n| --- | ---: |");
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
                let _ = writeln!(out, "Votes: {}.\n", votes.join("; "));
            }
            if !results.reasons.is_empty() {
                let _ = writeln!(out, "Reasons:\n");
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
            feedback_markdown(&mut out, feedback);
        }

        if let Some(agenda) = &self.agenda {
            section(&mut out, "Agenda");
            let _ = writeln!(out, "Format: {}.\n", format_name(agenda.format));
            for phase in &agenda.phases {
                let planned = match phase.planned_secs {
                    0 => "untimed".to_owned(),
                    secs => format!("planned {}", duration(u64::from(secs) * 1000)),
                };
                let happened = match phase.state {
                    PhaseState::Done => format!("took {}", duration(phase.spent_secs * 1000)),
                    PhaseState::Current => {
                        format!("running, {} so far", duration(phase.spent_secs * 1000))
                    }
                    PhaseState::Skipped => "skipped".to_owned(),
                    PhaseState::Upcoming => "not reached".to_owned(),
                };
                let _ = writeln!(out, "- {}: {planned}, {happened}", escape(&phase.title));
            }
            if !agenda.roles.is_empty() {
                let roles: Vec<String> = agenda
                    .roles
                    .iter()
                    .map(|held| format!("{}: {}", role_name(held.role), escape(&held.name)))
                    .collect();
                let _ = writeln!(out, "\nRoles: {}.", roles.join("; "));
            }
            if let Some(question) = &agenda.key_question {
                let _ = writeln!(out, "\nKey question: {}", escape(question));
            }
            out.push('\n');
        }

        if !self.airtime.is_empty() {
            section(&mut out, "Airtime");
            let _ = writeln!(
                out,
                "| Person | Turns | Airtime | Share |\n| --- | ---: | ---: | ---: |"
            );
            for line in &self.airtime {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {}% |",
                    escape(&line.name),
                    line.turns,
                    duration(line.airtime_ms),
                    line.share_percent
                );
            }
        }
        let (date, clock) = when(self.exported_at);
        let _ = writeln!(
            out,
            "\n---\nExported {date} {clock} ({}) by moot.",
            zone(utc_offset_minutes)
        );
        out
    }
}

/// One participant's action items, as Markdown.
pub fn action_items_markdown(room: &Room, participant: ParticipantId) -> String {
    let name = name_of(room, participant);
    let mut out = format!(
        "# Action items for {} — {}\n\n",
        escape(&name),
        escape(room.title.as_str())
    );
    let mine: Vec<_> = room
        .board
        .action_items
        .iter()
        .filter(|item| item.owner == participant)
        .collect();
    if mine.is_empty() {
        out.push_str("None.\n");
    }
    for item in mine {
        let topic = room
            .board
            .topics
            .iter()
            .find(|topic| topic.id == item.topic);
        let topic = topic.map_or_else(String::new, |topic| {
            format!(" (topic: {})", escape(topic.title.as_str()))
        });
        let due_date = item.due.as_ref().map(|due| due.as_str().to_owned());
        let _ = writeln!(
            out,
            "- [ ] {}{}{topic}",
            escape(item.text.as_str()),
            due(&due_date)
        );
    }
    out
}

/// Starts a `##` section with exactly one blank line before it.
/// The agenda as the minutes record it.
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

fn feedback_markdown(out: &mut String, feedback: &FeedbackMinutes) {
    use crate::room::roti::tenths_text;
    section(out, "Feedback");
    match feedback.mean_tenths {
        Some(mean) => {
            let _ = writeln!(
                out,
                "Return on time invested: **{} of 5** from {} {} (anonymous).\n",
                tenths_text(mean),
                feedback.voters,
                if feedback.voters == 1 {
                    "vote"
                } else {
                    "votes"
                }
            );
            let _ = writeln!(out, "| Score | Votes |\n| --- | ---: |");
            let labels = words::option_labels(PollKind::Roti, Lang::En);
            for (label, count) in labels.iter().zip(&feedback.counts) {
                let _ = writeln!(out, "| {label} | {count} |");
            }
            out.push('\n');
        }
        None => {
            let _ = writeln!(out, "This meetup was not rated.\n");
        }
    }
    if !feedback.suggestions.is_empty() {
        let _ = writeln!(out, "What to change:\n");
        for suggestion in &feedback.suggestions {
            let _ = writeln!(out, "- {}", escape(suggestion));
        }
        out.push('\n');
    }
    if !feedback.earlier.is_empty() {
        let _ = writeln!(
            out,
            "Earlier meetups of the series:\n\n| Meetup | Votes | Mean |\n| --- | ---: | ---: |"
        );
        for point in &feedback.earlier {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                escape(point.title.as_str()),
                point.voters,
                tenths_text(point.mean_tenths)
            );
        }
        out.push('\n');
    }
}

fn agenda_minutes(room: &Room, until: Timestamp) -> Option<AgendaMinutes> {
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
                title: phase.spec.title.to_string(),
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
            name: name_of(room, holder.participant),
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

/// A format's name as people call it.
fn format_name(format: crate::room::agenda::Format) -> &'static str {
    use crate::room::agenda::Format;
    match format {
        Format::LeanCoffee => "Lean Coffee",
        Format::OpenRound => "open round",
        Format::OneOnOne => "1:1 or work-buddy check-in",
        Format::ReverseMentoring => "reverse mentoring",
        Format::CaseConsultation => "case consultation",
        Format::PeerLearning => "peer learning meetup",
        Format::Custom => "custom",
    }
}

/// A role's name as people call it.
fn role_name(role: crate::room::agenda::AgendaRole) -> &'static str {
    use crate::room::agenda::AgendaRole;
    match role {
        AgendaRole::CaseGiver => "Case giver",
        AgendaRole::Moderator => "Moderator",
        AgendaRole::Scribe => "Scribe",
    }
}

fn section(out: &mut String, title: &str) {
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "## {title}\n");
}

fn due(due: &Option<String>) -> String {
    due.as_ref()
        .map_or_else(String::new, |date| format!(", due {date}"))
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
    // Rounded to the nearest second; saturating, since a browser formats
    // whatever its snapshot says.
    let seconds = millis.saturating_add(500) / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    match (hours, minutes, seconds) {
        (0, 0, seconds) => format!("{seconds} s"),
        (0, minutes, 0) => format!("{minutes} min"),
        (0, minutes, seconds) => format!("{minutes} min {seconds} s"),
        (hours, minutes, _) => format!("{hours} h {minutes} min"),
    }
}

fn zone(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", offset / 60, offset % 60)
}

/// The calendar date (`YYYY-MM-DD`) and clock time (`HH:MM`) of `at`,
/// shifted by `offset_minutes`.
pub fn local_time(at: Timestamp, offset_minutes: i32) -> (String, String) {
    let shifted = i64::try_from(at.0 / 1000).unwrap_or(i64::MAX) + i64::from(offset_minutes) * 60;
    let days = shifted.div_euclid(86_400);
    let second_of_day = shifted.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}",
            second_of_day / 3600,
            (second_of_day % 3600) / 60
        ),
    )
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
