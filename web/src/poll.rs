//! Consensus polls in the browser, mirroring `moot_shared::room::poll`.
//!
//! - [`PollCard`]: the phone's view of the poll on stage: big answer
//!   buttons, a reason field, your own vote, how many voted and who has not;
//!   at the reveal, the histogram, the reading and the reasons. Facilitators
//!   get reveal, close and "ask again" on the same card.
//! - [`PollLauncher`]: the facilitator's presets (one tap opens a poll) and
//!   a form for a custom one.
//! - [`ScreenPoll`]: the shared screen: live count, then the histogram.
//!
//! Nothing here hides a vote: the server never sends one a viewer may not
//! see, so the page shows what the room holds.

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::room::Room;
use moot_shared::room::builtin::BuiltinText;
use moot_shared::room::poll::{Poll, PollId, PollKind, PollSetup, PollStatus, Secrecy, awaiting};
use moot_shared::room::roti::ROTI_ANONYMOUS_FROM;
use moot_shared::text;
use moot_shared::{ParticipantId, Rejection};

use crate::app::facilitation_if;
use crate::connection::Connection;
use crate::i18n::{lang, poll_texts};

/// The labels of a poll's options, in option order.
pub fn option_labels(poll: &Poll) -> Vec<String> {
    match poll.setup.kind {
        PollKind::Custom => poll.setup.options.iter().map(ToString::to_string).collect(),
        kind => (poll_texts().option_labels)(kind)
            .iter()
            .map(|label| (*label).to_owned())
            .collect(),
    }
}

/// The reading of a revealed poll in words.
pub fn reading_text(poll: &Poll) -> Option<String> {
    poll.reading()
        .map(|reading| (poll_texts().reading)(&reading, &option_labels(poll)))
}

/// The poll on stage, from the polls' own memo (views that read it re-run
/// when a poll changes, not on every event in the room).
fn current_poll(connection: Connection) -> Option<Poll> {
    connection
        .parts
        .polls
        .with(|polls| polls.as_ref()?.current().cloned())
}

/// [`progress`] of the poll on stage, read from the whole room (who is
/// present matters), for a text that follows it.
fn current_progress(connection: Connection, me: Option<ParticipantId>) -> (String, String) {
    connection
        .room
        .with(|room| {
            let room = room.as_ref()?;
            Some(progress(room, room.polls.current()?, me))
        })
        .unwrap_or_default()
}

/// Whether a ROTI is answered by so few that its counts give each score
/// away: fewer than three voting, or (while open) expected to vote.
fn too_few_for_anonymity(connection: Connection) -> bool {
    connection
        .room
        .with(|room| {
            let room = room.as_ref()?;
            let poll = room.polls.current()?;
            let voters = match &poll.results {
                Some(results) => usize::try_from(results.total()).unwrap_or(usize::MAX),
                None => moot_shared::room::poll::expected_voters(room)
                    .count()
                    .max(poll.ballots.len()),
            };
            Some(poll.setup.kind == PollKind::Roti && voters < ROTI_ANONYMOUS_FROM)
        })
        .unwrap_or(false)
}

/// "3 of 5 voted" and who the poll still waits for.
fn progress(room: &Room, poll: &Poll, me: Option<ParticipantId>) -> (String, String) {
    let texts = poll_texts();
    let waiting = awaiting(room, poll, me);
    let voted = poll.ballots.len();
    let count = (texts.voted_count)(voted, voted + waiting.len());
    let names: Vec<String> = waiting
        .iter()
        .filter_map(|id| room.participant(*id).map(|p| p.name.to_string()))
        .collect();
    let waiting = if names.is_empty() {
        texts.everyone_voted.to_owned()
    } else {
        (texts.waiting_for)(&names.join(", "))
    };
    (count, waiting)
}

/// What the reason field holds for `poll`: nothing if it was typed for
/// another one.
fn typed_for((typed_for, typed): &(Option<PollId>, String), poll: PollId) -> String {
    if *typed_for == Some(poll) {
        typed.clone()
    } else {
        String::new()
    }
}

/// The poll on stage as a participant (or facilitator) sees it.
#[component]
pub fn PollCard(connection: Connection, #[prop(into)] runs_meetup: Signal<bool>) -> impl IntoView {
    let texts = poll_texts();
    // The reason typed, with the poll it was typed for: it only ever goes
    // out with a vote in that poll (an anonymous poll's reason sent again
    // with a named vote would say who wrote it; the reducer refuses that
    // too, see `reason_from_other_poll`).
    let reason = RwSignal::new((None::<PollId>, String::new()));
    let pending = RwSignal::new(None::<u8>);
    let problem = RwSignal::new(None::<&'static str>);
    // A new poll starts with an empty reason field.
    let poll_id = Memo::new(move |_| current_poll(connection).map(|poll| poll.id));
    Effect::new(move || {
        poll_id.track();
        reason.set((None, String::new()));
        pending.set(None);
        problem.set(None);
    });

    move || {
        let poll = current_poll(connection)?;
        let me = connection.me.get();
        let labels = option_labels(&poll);
        let id = poll.id;
        let kind = poll.setup.kind;
        let open = poll.is_open();
        let mine = me
            .and_then(|me| poll.my_ballot(me))
            .and_then(|ballot| ballot.choice);
        let closes_at = poll.closes_at.filter(|_| open);
        let now = crate::queue::server_clock(connection);
        let count = move || with_time_left(current_progress(connection, me).0, closes_at, now);
        let roti = kind == PollKind::Roti;
        let waiting = move || current_progress(connection, me).1;
        // What the reducer would say to a vote without a reason: a block or
        // an objection needs one (the button asks for it rather than fail).
        let refusal = move |choice: u8| {
            connection.refusal(Command::CastVote {
                poll: id,
                choice,
                reason: None,
            })
        };
        let needs_reason_for = move |choice: u8| refusal(choice) == Some(Rejection::ReasonRequired);

        let send = move |choice: u8| {
            let typed = reason.with_untracked(|field| typed_for(field, id));
            if needs_reason_for(choice) && typed.trim().is_empty() {
                pending.set(Some(choice));
                problem.set(Some(texts.reason_needed));
                return;
            }
            problem.set(None);
            pending.set(None);
            let command = text::optional_field("reason", &typed).map(|reason| Command::CastVote {
                poll: id,
                choice,
                reason,
            });
            connection.submit(command);
        };
        let buttons = labels
            .iter()
            .enumerate()
            .filter_map(|(index, label)| Some((u8::try_from(index).ok()?, label.clone())))
            .map(|(choice, label)| {
                let chosen = mine == Some(choice);
                view! {
                    <li>
                        <button type="button" class="poll-option" class:chosen=chosen
                            data-testid="poll-option" data-choice=choice.to_string()
                            aria-pressed=chosen.to_string()
                            disabled=move || refusal(choice).is_some_and(|why| why != Rejection::ReasonRequired)
                            on:click=move |_| send(choice)>{label}</button>
                    </li>
                }
            })
            .collect_view();
        let needs_reason = move || pending.get().is_some_and(needs_reason_for);
        let your_vote = mine
            .and_then(|choice| labels.get(usize::from(choice)).cloned())
            // Voting ends at the reveal, so only an open poll invites a change.
            .map(|label| {
                if open {
                    (texts.your_vote)(&label)
                } else {
                    (texts.your_final_vote)(&label)
                }
            });
        let results = (!open).then(|| view! { <PollResultsView poll=poll.clone() /> });
        let controls = move || {
            facilitation_if(runs_meetup.get(), || {
                let reveal = open.then(|| view! {
                    <button type="button" class="primary" data-testid="poll-reveal"
                        on:click=move |_| connection.send(Command::RevealPoll { poll: id })>{texts.reveal}</button>
                });
                let again = (!open).then(|| view! {
                    <button type="button" data-testid="poll-reopen"
                        on:click=move |_| connection.send(Command::ReopenPoll { poll: id })>{texts.reopen}</button>
                });
                view! {
                    <p class="actions">
                        {reveal}
                        <button type="button" data-testid="poll-close"
                            on:click=move |_| connection.send(Command::ClosePoll { poll: id })>{texts.close}</button>
                        {again}
                    </p>
                }
                .into_any()
            })
        };
        Some(view! {
            <section class="card poll" aria-labelledby="poll-heading" data-testid="poll-card"
                data-poll=id.0.to_string() data-status=status_key(poll.status)>
                <p class="hint">{texts.heading}" · "{(texts.kind_name)(kind)}</p>
                <h2 id="poll-heading" data-testid="poll-question">{poll.setup.question_in(lang()).to_owned()}</h2>
                // Once shown, "votes stay hidden" is no longer true; anonymity still is.
                {(open || poll.setup.secrecy == Secrecy::Anonymous).then(|| view! {
                    <p class="hint" data-testid="poll-secrecy">{(texts.secrecy_note)(poll.setup.secrecy)}</p>
                })}
                <Show when=move || too_few_for_anonymity(connection)>
                    <p class="warning" role="note" data-testid="roti-few-voters">{texts.roti_few_voters}</p>
                </Show>
                <p class="poll-count" data-testid="poll-count">{count}</p>
                <p class="hint" data-testid="poll-waiting">{waiting}</p>
                <ul class=format!("poll-options poll-options-{}", labels.len()) role="list">{buttons}</ul>
                {your_vote.map(|text| view! { <p class="poll-mine" data-testid="poll-mine">{text}</p> })}
                <Show when=move || open>
                    <label for="poll-reason">{move || if needs_reason() {
                        texts.reason_required_label
                    } else if roti {
                        texts.roti_change_label
                    } else {
                        texts.reason_label
                    }}</label>
                    <input id="poll-reason" data-testid="poll-reason" type="text"
                        maxlength=moot_shared::limits::POLL_REASON_MAX_CHARS.to_string()
                        aria-invalid=move || problem.get().is_some().to_string()
                        prop:value=move || reason.with(|field| typed_for(field, id))
                        on:input=move |event| reason.set((Some(id), event_target_value(&event))) />
                    <p class="error" role="alert">{move || problem.get()}</p>
                    <Show when=needs_reason>
                        <button type="button" class="primary" data-testid="poll-send-reason"
                            on:click=move |_| { if let Some(choice) = pending.get_untracked() { send(choice) } }>
                            {texts.send_with_reason}</button>
                    </Show>
                </Show>
                {results}
                {controls}
            </section>
        })
    }
}

fn status_key(status: PollStatus) -> &'static str {
    match status {
        PollStatus::Open => "open",
        PollStatus::Revealed => "revealed",
        PollStatus::Closed => "closed",
    }
}

/// The histogram, the reading and the reasons of a revealed poll.
#[component]
pub fn PollResultsView(poll: Poll) -> impl IntoView {
    let texts = poll_texts();
    let labels = option_labels(&poll);
    let results = poll
        .results
        .clone()
        .unwrap_or(moot_shared::room::poll::PollResults {
            counts: vec![0; labels.len()],
            reasons: Vec::new(),
        });
    let most = results.counts.iter().copied().max().unwrap_or(0).max(1);
    let bars = labels
        .iter()
        .zip(results.counts.iter().copied())
        .map(|(label, count)| {
            // The bar's length is relative to the largest count, so a small
            // group still fills the width.
            let width = format!("width: {}%", count * 100 / most);
            view! {
                <li class="bar-row" data-testid="poll-bar" data-count=count.to_string()>
                    <span class="bar-label">{label.clone()}</span>
                    <span class="bar-track" aria-hidden="true"><span class="bar-fill" style=width data-empty=(count == 0).to_string()></span></span>
                    <span class="bar-count">{count}</span>
                </li>
            }
        })
        .collect_view();
    let reasons = results
        .reasons
        .iter()
        .map(|given| {
            let label = labels.get(usize::from(given.choice)).cloned().unwrap_or_default();
            view! { <li data-testid="poll-reason-item"><strong>{label}": "</strong>{given.reason.to_string()}</li> }
        })
        .collect_view();
    let has_reasons = !results.reasons.is_empty();
    view! {
        <div class="poll-results" data-testid="poll-results">
            <h3>{texts.results_heading}</h3>
            <p class="poll-reading" data-testid="poll-reading">{reading_text(&poll)}</p>
            <ol class="histogram" data-testid="poll-histogram">{bars}</ol>
            <Show when=move || has_reasons>
                <h3>{texts.reasons_heading}</h3>
            </Show>
            <ul class="reasons">{reasons}</ul>
        </div>
    }
}

/// The quick polls, opened in one tap. Their questions are moot's own
/// words, sent as keys: each phone shows them in its reader's language.
const QUICK_POLLS: [(BuiltinText, PollKind); 3] = [
    (BuiltinText::QuickContinue, PollKind::Roman),
    (BuiltinText::QuickLiveWithIt, PollKind::Consent),
    (BuiltinText::QuickSupport, PollKind::FistOfFive),
];

/// The facilitator's way to open a poll: three presets, or a custom one.
#[component]
pub fn PollLauncher(connection: Connection) -> impl IntoView {
    let texts = poll_texts();
    let question = RwSignal::new(String::new());
    let kind = RwSignal::new(PollKind::Proposal);
    let options = RwSignal::new(String::new());
    let anonymous = RwSignal::new(false);
    let auto_reveal = RwSignal::new(true);
    let limit = RwSignal::new(String::new());
    let open_poll = move |question: String,
                          question_key: Option<BuiltinText>,
                          kind: PollKind,
                          options: Vec<String>| {
        let command = (|| {
            let mut parsed = Vec::with_capacity(options.len());
            for option in &options {
                parsed.push(text::field("options", option)?);
            }
            Ok(Command::OpenPoll {
                setup: PollSetup {
                    question: text::field("question", &question)?,
                    kind,
                    options: parsed,
                    secrecy: if anonymous.get_untracked() {
                        Secrecy::Anonymous
                    } else {
                        Secrecy::Secret
                    },
                    auto_reveal: auto_reveal.get_untracked(),
                    time_limit_secs: limit.get_untracked().trim().parse().ok(),
                    question_key,
                },
            })
        })();
        connection.submit(command);
    };
    // Offered only when no poll takes votes: the server would refuse anyway.
    let can_open = move || current_poll(connection).is_none_or(|poll| !poll.is_open());
    // Built inside `Show`'s children: erased views are not `Clone`.
    let presets = move || {
        QUICK_POLLS
        .iter()
        .enumerate()
        .map(|(index, (key, preset_kind))| {
            let key = *key;
            let text = key.text(lang());
            let preset_kind = *preset_kind;
            view! {
                <li><button type="button" data-testid="poll-preset" data-preset=index.to_string()
                    on:click=move |_| open_poll(key.english().to_owned(), Some(key), preset_kind, Vec::new())>
                    <span>{text}</span>" "<span class="hint">{(texts.kind_name)(preset_kind)}</span>
                </button></li>
            }
        })
        .collect_view()
    };
    let kinds = move || {
        PollKind::ALL
        .iter()
        .map(|option| {
            let value = kind_key(*option);
            view! { <option value=value selected=move || kind.get() == *option>{(texts.kind_name)(*option)}</option> }
        })
        .collect_view()
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let lines: Vec<String> = options
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        let chosen = kind.get_untracked();
        let lines = if chosen == PollKind::Custom {
            lines
        } else {
            Vec::new()
        };
        open_poll(question.get_untracked(), None, chosen, lines);
        question.set(String::new());
        options.set(String::new());
    };
    view! {
        <Show when=can_open>
            <section class="card" aria-labelledby="poll-launch-heading" data-testid="poll-launcher">
                <h2 id="poll-launch-heading">{texts.new_poll_heading}</h2>
                <label class="check"><input type="checkbox" data-testid="poll-anonymous"
                    prop:checked=move || anonymous.get()
                    on:change=move |event| anonymous.set(event_target_checked(&event)) />" "{texts.anonymous_label}</label>
                <label class="check"><input type="checkbox" data-testid="poll-auto-reveal"
                    prop:checked=move || auto_reveal.get()
                    on:change=move |event| auto_reveal.set(event_target_checked(&event)) />" "{texts.auto_reveal_label}</label>
                <h3>{texts.presets_label}</h3>
                <ul class="poll-presets" role="list">{presets()}</ul>
                <details>
                    <summary>{texts.custom_heading}</summary>
                    <form class="form" on:submit=submit novalidate>
                        <label for="poll-question-input">{texts.question_label}</label>
                        <input id="poll-question-input" data-testid="poll-question-input" type="text"
                            maxlength=moot_shared::limits::POLL_QUESTION_MAX_CHARS.to_string()
                            prop:value=move || question.get()
                            on:input=move |event| question.set(event_target_value(&event)) />
                        <label for="poll-kind-input">{texts.kind_label}</label>
                        <select id="poll-kind-input" data-testid="poll-kind-input"
                            on:change=move |event| kind.set(kind_from_key(&event_target_value(&event)))>{kinds()}</select>
                        <label for="poll-options-input">{texts.options_label}</label>
                        <textarea id="poll-options-input" data-testid="poll-options-input" rows="4"
                            aria-describedby="poll-options-hint"
                            prop:value=move || options.get()
                            on:input=move |event| options.set(event_target_value(&event))></textarea>
                        <p id="poll-options-hint" class="hint">{texts.options_hint}</p>
                        <label for="poll-limit-input">{texts.time_limit_label}</label>
                        <input id="poll-limit-input" data-testid="poll-limit-input" type="number" min="10" max="3600"
                            inputmode="numeric"
                            prop:value=move || limit.get()
                            on:input=move |event| limit.set(event_target_value(&event)) />
                        <button type="submit" class="primary" data-testid="poll-open-submit">{texts.open_submit}</button>
                    </form>
                </details>
            </section>
        </Show>
    }
}

fn kind_key(kind: PollKind) -> &'static str {
    match kind {
        PollKind::Roman => "roman",
        PollKind::FistOfFive => "fist_of_five",
        PollKind::Gradients => "gradients",
        PollKind::Consent => "consent",
        PollKind::Proposal => "proposal",
        PollKind::YesNo => "yes_no",
        PollKind::Roti => "roti",
        PollKind::Custom => "custom",
    }
}

fn kind_from_key(key: &str) -> PollKind {
    PollKind::ALL
        .into_iter()
        .find(|kind| kind_key(*kind) == key)
        .unwrap_or(PollKind::Proposal)
}

/// The poll on the shared screen: the question and a live count while it
/// is open, then the histogram and the reading.
#[component]
pub fn ScreenPoll(connection: Connection) -> impl IntoView {
    let texts = poll_texts();
    move || {
        let poll = current_poll(connection)?;
        let open = poll.is_open();
        let closes_at = poll.closes_at.filter(|_| open);
        let now = crate::queue::server_clock(connection);
        let count = move || with_time_left(current_progress(connection, None).0, closes_at, now);
        let waiting = move || current_progress(connection, None).1;
        let results = (!open).then(|| view! { <PollResultsView poll=poll.clone() /> });
        Some(view! {
            <section class="screen-poll" aria-labelledby="screen-poll-heading" data-testid="screen-poll"
                data-poll=poll.id.0.to_string()
                data-status=status_key(poll.status)>
                <p class="screen-label">{texts.heading}" · "{(texts.kind_name)(poll.setup.kind)}</p>
                <h2 id="screen-poll-heading">{poll.setup.question_in(lang()).to_owned()}</h2>
                <p class="screen-poll-count" data-testid="poll-count">{count}</p>
                {open.then(|| view! { <p class="hint" data-testid="poll-waiting">{waiting}</p> })}
                {results}
            </section>
        })
    }
}

/// A poll's count line and, while a time-limited poll is open, how long it
/// has left, ticking with the server's clock (read only then, so an
/// unlimited poll's line is not redrawn twice a second).
fn with_time_left(
    progress: String,
    closes_at: Option<moot_shared::Timestamp>,
    now: ReadSignal<u64>,
) -> String {
    match closes_at {
        Some(at) => {
            let left = crate::timer::clock_text(at.0.saturating_sub(now.get()));
            progress + poll_texts().closes_in + &left
        }
        None => progress,
    }
}
