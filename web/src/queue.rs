//! The speaking queue in the browser, mirroring `moot_shared::room::queue`.
//!
//! - [`QueueCard`]: on every phone: who speaks now (with the turn clock, and
//!   "Done" for the speaker), your place in line with a "You're next" cue, a
//!   big raise-hand button plus one tap per entry type, your own entries to
//!   edit or withdraw, and the queue itself. Facilitators also get "Next
//!   speaker" and per-entry controls.
//! - [`QueueControls`]: facilitators only: rounds, settings, airtime table.
//! - [`ScreenQueue`]: the shared screen: current speaker, turn clock, next three.
//!
//! The order is the reducer's ([`Queue::ordered`]), so every screen agrees.
//! Turn clocks run here from the turn's `started_at` and the connection's
//! estimate of the server clock; the soft limits are cues, not cut-offs.

use std::time::Duration;

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::ParticipantId;
use moot_shared::limits::{MAX_TURN_SECS, MIN_TURN_SECS};
use moot_shared::room::Room;
use moot_shared::room::queue::{Direction, Entry, EntryKind, Queue, QueueSettings, RoundKind};
use moot_shared::text::{self, RoundPrompt};

use crate::app::{Symbol, app_context, facilitation_only};
use crate::connection::Connection;
use crate::cue::cue;
use crate::i18n::queue_texts;

/// The server's clock in milliseconds, refreshed twice a second while the
/// calling component lives.
pub(crate) fn server_clock(connection: Connection) -> ReadSignal<u64> {
    let (now, set_now) = signal(connection.server_now().0);
    let handle = set_interval_with_handle(
        move || set_now.set(connection.server_now().0),
        Duration::from_millis(500),
    );
    on_cleanup(move || {
        if let Ok(handle) = handle {
            handle.clear();
        }
    });
    now
}

/// `m:ss`.
fn clock_text(millis: u64) -> String {
    let seconds = millis / 1_000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

fn name_of(room: &Room, id: ParticipantId) -> String {
    room.participant(id)
        .map(|participant| participant.name.to_string())
        .unwrap_or_default()
}

fn kind_key(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Process => "process",
        EntryKind::Clarifying => "clarifying",
        EntryKind::BuildOn => "build_on",
        EntryKind::NewPoint => "new_point",
    }
}

fn kind_from_key(key: &str) -> EntryKind {
    EntryKind::ALL
        .into_iter()
        .find(|kind| kind_key(*kind) == key)
        .unwrap_or_default()
}

/// Reads the queue through its own memo: a closure that does re-runs when
/// the queue changes, not on every event in the room.
fn with_queue<T>(connection: Connection, read: impl FnOnce(&Queue) -> T) -> Option<T> {
    connection
        .parts
        .queue
        .with(|queue| queue.as_ref().map(read))
}

/// Whether `me` speaks after whoever has the floor (and does not have it).
fn is_next(room: &Room, me: ParticipantId) -> bool {
    room.queue.next_in_line(room) == Some(me)
        && room.queue.speaker.as_ref().map(|s| s.participant) != Some(me)
}

/// Where `me`'s first hand is in the speaking order, from 1; none during a
/// round, which visits everyone in its own order.
pub(crate) fn place_of(queue: &Queue, me: ParticipantId) -> Option<usize> {
    if queue.round.is_some() {
        return None;
    }
    queue
        .ordered()
        .iter()
        .position(|entry| entry.participant == me)
        .map(|place| place + 1)
}

/// The speaking queue on a phone (and in the facilitator's view).
#[component]
pub fn QueueCard(connection: Connection, #[prop(into)] runs_meetup: Signal<bool>) -> impl IntoView {
    let texts = queue_texts();
    let notices = app_context().notices;
    let room = connection.room;
    let now = server_clock(connection);
    let me = connection.me;

    let speaker = move || with_queue(connection, |queue| queue.speaker.clone()).flatten();
    let speaker_name =
        move || speaker().map(|speaker| connection.parts.name_of(speaker.participant));
    let i_speak =
        Memo::new(move |_| speaker().is_some_and(|speaker| Some(speaker.participant) == me.get()));
    let i_am_next = Memo::new(move |_| {
        let Some(me) = me.get() else { return false };
        room.with(|room| room.as_ref().is_some_and(|room| is_next(room, me)))
    });
    let my_place = move || {
        let me = me.get()?;
        with_queue(connection, |queue| place_of(queue, me)).flatten()
    };
    let elapsed =
        move || speaker().map_or(0, |speaker| now.get().saturating_sub(speaker.started_at.0));
    let limit = move || with_queue(connection, Queue::turn_limit_millis).unwrap_or(u64::MAX);
    let over_limit = Memo::new(move |_| speaker().is_some() && elapsed() >= limit());
    let round = move || with_queue(connection, |queue| queue.round.clone()).flatten();

    // Cues on the way in: "you're next", "your turn", "over the limit". Only
    // on a change, so a reload does not beep at anyone.
    Effect::new(move |before: Option<bool>| {
        let next = i_am_next.get();
        if next && before == Some(false) {
            cue();
            notices.announce(texts.announce_next);
        }
        next
    });
    Effect::new(move |before: Option<bool>| {
        let speaking = i_speak.get();
        if speaking && before == Some(false) {
            cue();
            notices.announce(texts.announce_your_turn);
        }
        speaking
    });
    Effect::new(move |before: Option<bool>| {
        let over = over_limit.get();
        if over && before == Some(false) && (i_speak.get_untracked() || runs_meetup.get_untracked())
        {
            if i_speak.get_untracked() {
                cue();
            }
            notices.announce(texts.announce_over_limit);
        }
        over
    });

    // The reducer says whether a hand of this type can go up (one open
    // entry per type, and only for someone in the meetup).
    let has_kind =
        move |kind: EntryKind| !connection.allows(Command::RaiseHand { kind, note: None });
    let raise = move |kind: EntryKind| connection.send(Command::RaiseHand { kind, note: None });
    let done = move |_| {
        if let Some(speaker) = speaker() {
            connection.send(Command::FinishTurn { turn: speaker.turn });
        }
    };
    let pass = move |_| {
        if let Some(speaker) = speaker() {
            connection.send(Command::PassTurn { turn: speaker.turn });
        }
    };
    let next = move |_| {
        connection.send(Command::NextSpeaker {
            turn: speaker().map(|speaker| speaker.turn),
        });
    };

    let my_entries = move || {
        let me = me.get();
        with_queue(connection, |queue| {
            queue
                .ordered()
                .into_iter()
                .filter(|entry| Some(entry.participant) == me)
                .cloned()
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    // Each raise button is a toggle: a hand of its type that is up is
    // lowered by the same button, no form needed.
    let my_hand = move |kind: EntryKind| {
        my_entries()
            .into_iter()
            .find(|entry| entry.kind == kind)
            .map(|entry| entry.id)
    };
    let toggle = move |kind: EntryKind| match my_hand(kind) {
        Some(entry) => connection.send(Command::WithdrawEntry { entry }),
        None => raise(kind),
    };
    let rows = move || {
        let me = me.get();
        with_queue(connection, |queue| {
            queue
                .ordered()
                .into_iter()
                .enumerate()
                .map(|(place, entry)| {
                    (
                        place + 1,
                        entry.clone(),
                        connection.parts.name_of(entry.participant),
                        Some(entry.participant) == me,
                    )
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let queue_empty =
        move || with_queue(connection, |queue| queue.entries.is_empty()).unwrap_or(true);

    view! {
        <section class="card queue" aria-labelledby="queue-heading" data-testid="queue-card">
            <h2 id="queue-heading">{texts.heading}</h2>
            {move || round().map(|round| view! {
                <div class="queue-round" data-testid="queue-round">
                    <p class="queue-round-title"><strong>{(texts.round_heading)(round.kind)}</strong>
                        {round.prompt.map(|prompt| view! { ": " <span>{prompt.to_string()}</span> })}</p>
                    <p class="hint">{(texts.round_left)(round.remaining.len())}" · "{texts.round_waits}</p>
                </div>
            })}
            <div class="queue-floor" class:over-limit=move || over_limit.get() data-testid="queue-floor">
                {move || match speaker_name() {
                    Some(name) => view! {
                        <p class="queue-label">{move || if i_speak.get() { texts.your_turn } else { texts.now_speaking }}</p>
                        <p class="queue-speaker" data-testid="queue-speaker">{name}</p>
                        <p class="queue-clock" data-testid="queue-clock" role="timer">
                            {move || clock_text(elapsed())}" / "{move || clock_text(limit())}
                        </p>
                        <Show when=move || over_limit.get()>
                            <p class="queue-over" data-testid="queue-over-limit">{texts.over_limit}</p>
                        </Show>
                    }.into_any(),
                    None => view! { <p class="hint" data-testid="queue-speaker-none">{texts.nobody_speaking}</p> }.into_any(),
                }}
                <Show when=move || i_speak.get()>
                    <p class="actions">
                        <button type="button" class="primary" data-testid="turn-done" on:click=done>{texts.done}</button>
                        <Show when=move || round().is_some()>
                            <button type="button" data-testid="turn-pass" on:click=pass>{texts.pass}</button>
                        </Show>
                    </p>
                </Show>
            </div>
            <Show when=move || i_am_next.get()>
                <p class="queue-cue" data-testid="queue-cue">{texts.youre_next}</p>
            </Show>
            {move || my_place().map(|place| view! { <p class="queue-place" data-testid="queue-place">{(texts.your_place)(place)}</p> })}
            <button type="button" class="primary raise-hand" data-testid="raise-hand"
                class:raised=move || my_hand(EntryKind::NewPoint).is_some()
                disabled=move || my_hand(EntryKind::NewPoint).is_none() && has_kind(EntryKind::NewPoint)
                on:click=move |_| toggle(EntryKind::NewPoint)>
                {move || if my_hand(EntryKind::NewPoint).is_some() { texts.hand_raised_lower } else { texts.raise_hand }}
            </button>
            <p class="hint">{texts.raise_as}</p>
            <div class="raise-kinds">
                {[EntryKind::Process, EntryKind::Clarifying, EntryKind::BuildOn].into_iter().map(|kind| view! {
                    <button type="button" data-testid=format!("raise-{}", kind_key(kind))
                        title=(texts.kind_name)(kind)
                        aria-pressed=move || if my_hand(kind).is_some() { "true" } else { "false" }
                        disabled=move || my_hand(kind).is_none() && has_kind(kind)
                        on:click=move |_| toggle(kind)>{(texts.kind_short)(kind)}</button>
                }).collect_view()}
            </div>
            <Show when=move || !my_entries().is_empty()>
                <h3>{texts.your_hands}</h3>
                <ul class="my-entries">
                    <For each=my_entries
                        key=|entry| (entry.id, entry.kind, entry.note.clone())
                        children=move |entry| view! { <MyEntry connection=connection entry=entry /> } />
                </ul>
            </Show>
            <Show when=queue_empty>
                <p class="hint" data-testid="queue-empty">{texts.empty}</p>
            </Show>
            <ol class="queue-list" data-testid="queue-list">
                <For each=rows
                    key=|(place, entry, name, _)| (*place, entry.id, entry.kind, entry.note.clone(), name.clone())
                    children=move |(place, entry, name, mine)| view! {
                        <QueueRow connection=connection place=place entry=entry name=name mine=mine runs_meetup=runs_meetup />
                    } />
            </ol>
            {facilitation_only(move || view! {
                <Show when=move || runs_meetup.get()>
                    <button type="button" class="primary" data-testid="next-speaker" on:click=next>{texts.next_speaker}</button>
                </Show>
            }.into_any())}
        </section>
    }
}

/// One entry in the queue list.
#[component]
fn QueueRow(
    connection: Connection,
    place: usize,
    entry: Entry,
    name: String,
    mine: bool,
    runs_meetup: Signal<bool>,
) -> impl IntoView {
    let texts = queue_texts();
    let id = entry.id;
    let participant = entry.participant;
    let moving = move |direction| {
        connection.send(Command::MoveEntry {
            entry: id,
            direction,
        })
    };
    view! {
        <li class="queue-entry" class:mine=mine data-testid="queue-entry"
            data-kind=kind_key(entry.kind) data-participant-id=participant.0.hyphenated().to_string()>
            <span class="queue-place-number" aria-hidden="true">{place}</span>
            <span class="queue-entry-main">
                <span class="queue-entry-name" data-testid="queue-entry-name">{name.clone()}</span>
                <span class=format!("badge kind-{}", kind_key(entry.kind))>{(texts.kind_short)(entry.kind)}</span>
                {entry.note.map(|note| view! { <span class="queue-note">{note.to_string()}</span> })}
            </span>
            {facilitation_only(move || view! {
                <Show when=move || runs_meetup.get()>
                    <span class="queue-entry-actions" role="group" aria-label=name.clone()>
                        <button type="button" class="icon" data-testid="entry-up"
                            on:click=move |_| moving(Direction::Up)><Symbol symbol="↑" name=texts.move_up /></button>
                        <button type="button" class="icon" data-testid="entry-down"
                            on:click=move |_| moving(Direction::Down)><Symbol symbol="↓" name=texts.move_down /></button>
                        <button type="button" data-testid="entry-give-floor"
                            on:click=move |_| connection.send(Command::GiveFloor { participant })>{texts.give_floor}</button>
                        <button type="button" class="danger" data-testid="entry-remove"
                            on:click=move |_| connection.send(Command::WithdrawEntry { entry: id })>{texts.remove_entry}</button>
                    </span>
                </Show>
            }.into_any())}
        </li>
    }
}

/// One of my own entries: change its type or note, or withdraw it.
#[component]
fn MyEntry(connection: Connection, entry: Entry) -> impl IntoView {
    let texts = queue_texts();
    let id = entry.id;
    let kind = RwSignal::new(entry.kind);
    let note = RwSignal::new(
        entry
            .note
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    let select_id = format!("entry-kind-{}", id.0);
    let note_id = format!("entry-note-{}", id.0);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = note.get_untracked();
        let command = text::optional_field("note", &typed).map(|note| Command::EditEntry {
            entry: id,
            kind: kind.get_untracked(),
            note,
        });
        connection.submit(command);
    };
    view! {
        <li class="my-entry" data-testid="my-entry" data-kind=kind_key(entry.kind)>
            <form class="form" on:submit=save>
                <label for=select_id.clone()>{texts.type_label}</label>
                <select id=select_id data-testid="my-entry-kind"
                    on:change=move |event| kind.set(kind_from_key(&event_target_value(&event)))>
                    {EntryKind::ALL.into_iter().map(|option| view! {
                        <option value=kind_key(option) selected=option == entry.kind>{(texts.kind_name)(option)}</option>
                    }).collect_view()}
                </select>
                <label for=note_id.clone()>{texts.note_label}</label>
                <input id=note_id data-testid="my-entry-note" type="text"
                    maxlength=moot_shared::text::QueueNote::MAX_CHARS.to_string()
                    prop:value=move || note.get()
                    on:input=move |event| note.set(event_target_value(&event)) />
                <p class="actions">
                    <button type="submit" data-testid="my-entry-save">{texts.save}</button>
                    <button type="button" class="danger" data-testid="my-entry-withdraw"
                        on:click=move |_| connection.send(Command::WithdrawEntry { entry: id })>{texts.withdraw}</button>
                </p>
            </form>
        </li>
    }
}

/// The facilitators' queue card: rounds, settings and the airtime table.
#[component]
pub fn QueueControls(connection: Connection) -> impl IntoView {
    let texts = queue_texts();
    let room = connection.room;
    let settings = move || {
        room.with(|room| {
            room.as_ref()
                .map(|room| room.queue.settings)
                .unwrap_or_default()
        })
    };
    let in_round =
        move || room.with(|room| room.as_ref().is_some_and(|room| room.queue.round.is_some()));
    let prompt = RwSignal::new(String::new());
    let start = move |kind: RoundKind, prompt: Option<RoundPrompt>| {
        connection.send(Command::StartRound {
            kind,
            prompt,
            seed: 0,
        });
    };
    let start_custom = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = prompt.get_untracked();
        if !typed.trim().is_empty() {
            let command = text::field("prompt", &typed).map(|typed| Command::StartRound {
                kind: RoundKind::Custom,
                prompt: Some(typed),
                seed: 0,
            });
            if connection.submit(command) {
                prompt.set(String::new());
            }
        }
    };

    // The settings form edits a copy; "Save settings" sends it whole.
    let progressive = RwSignal::new(settings().progressive);
    let airtime_public = RwSignal::new(settings().airtime_public);
    let turn_limit = RwSignal::new(settings().turn_limit_secs.to_string());
    let round_turn = RwSignal::new(settings().round_turn_secs.to_string());
    let save_settings = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let bounded = |text: String, fallback: u32| {
            text.trim()
                .parse::<u32>()
                .map_or(fallback, |secs| secs.clamp(MIN_TURN_SECS, MAX_TURN_SECS))
        };
        let current = settings();
        connection.send(Command::ConfigureQueue {
            settings: QueueSettings {
                progressive: progressive.get_untracked(),
                turn_limit_secs: bounded(turn_limit.get_untracked(), current.turn_limit_secs),
                round_turn_secs: bounded(round_turn.get_untracked(), current.round_turn_secs),
                airtime_public: airtime_public.get_untracked(),
            },
        });
    };

    view! {
        <section class="card queue-controls" aria-labelledby="queue-controls-heading" data-testid="queue-controls">
            <h2 id="queue-controls-heading">{texts.rounds_heading}</h2>
            <Show when=move || !in_round()
                fallback=move || view! {
                    <button type="button" class="danger" data-testid="end-round"
                        on:click=move |_| connection.send(Command::EndRound)>{texts.end_round}</button>
                }>
                <p class="actions">
                    <button type="button" data-testid="start-check-in"
                        on:click=move |_| start(RoundKind::CheckIn, None)>{texts.start_check_in}</button>
                    <button type="button" data-testid="start-check-out"
                        on:click=move |_| start(RoundKind::CheckOut, None)>{texts.start_check_out}</button>
                </p>
                <form class="form inline" on:submit=start_custom>
                    <label for="round-prompt" class="visually-hidden">{texts.custom_prompt_label}</label>
                    <input id="round-prompt" data-testid="round-prompt" type="text"
                        placeholder=texts.custom_prompt_label
                        maxlength=moot_shared::text::RoundPrompt::MAX_CHARS.to_string()
                        prop:value=move || prompt.get()
                        on:input=move |event| prompt.set(event_target_value(&event)) />
                    <button type="submit" data-testid="start-custom-round">{texts.start_custom}</button>
                </form>
            </Show>
            <h2>{texts.settings_heading}</h2>
            <form class="form" on:submit=save_settings data-testid="queue-settings">
                <label class="check">
                    <input type="checkbox" data-testid="setting-progressive"
                        prop:checked=move || progressive.get()
                        on:change=move |event| progressive.set(event_target_checked(&event)) />
                    {texts.progressive_label}
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="setting-airtime-public"
                        prop:checked=move || airtime_public.get()
                        on:change=move |event| airtime_public.set(event_target_checked(&event)) />
                    {texts.airtime_public_label}
                </label>
                <label for="turn-limit">{texts.turn_limit_label}</label>
                <input id="turn-limit" type="number" inputmode="numeric" data-testid="setting-turn-limit"
                    min=MIN_TURN_SECS.to_string() max=MAX_TURN_SECS.to_string()
                    prop:value=move || turn_limit.get()
                    on:input=move |event| turn_limit.set(event_target_value(&event)) />
                <label for="round-turn">{texts.round_turn_label}</label>
                <input id="round-turn" type="number" inputmode="numeric" data-testid="setting-round-turn"
                    min=MIN_TURN_SECS.to_string() max=MAX_TURN_SECS.to_string()
                    prop:value=move || round_turn.get()
                    on:input=move |event| round_turn.set(event_target_value(&event)) />
                <button type="submit" data-testid="save-queue-settings">{texts.save_settings}</button>
            </form>
        </section>
    }
}

/// The top of a phone while its person has the floor or is next: "Your
/// turn" with its Done, or "You're next", so the moment to speak is never
/// below the fold. The queue card below keeps the whole story (and the cues
/// and announcements, said once).
#[component]
pub fn TurnCue(connection: Connection) -> impl IntoView {
    let texts = queue_texts();
    let me = connection.me;
    let room = connection.room;
    let my_turn = Memo::new(move |_| {
        let me = me.get()?;
        with_queue(connection, |queue| {
            queue
                .speaker
                .as_ref()
                .filter(|speaker| speaker.participant == me)
                .map(|speaker| speaker.turn)
        })
        .flatten()
    });
    let next = Memo::new(move |_| {
        let Some(me) = me.get() else { return false };
        room.with(|room| room.as_ref().is_some_and(|room| is_next(room, me)))
    });
    move || {
        match (my_turn.get(), next.get()) {
        (Some(turn), _) => Some(view! {
            <div class="card turn-cue turn-cue-now" data-testid="now-turn">
                <strong>{texts.your_turn}</strong>
                <button type="button" class="primary" data-testid="now-turn-done"
                    on:click=move |_| connection.send(Command::FinishTurn { turn })>{texts.done}</button>
            </div>
        }.into_any()),
        (None, true) => Some(view! {
            <div class="card turn-cue" data-testid="now-next"><strong>{texts.youre_next}</strong></div>
        }.into_any()),
        (None, false) => None,
    }
    }
}

/// Share of voice: per person, airtime, turns and share, most airtime first.
#[component]
pub fn AirtimeTable(
    connection: Connection,
    #[prop(into)] runs_meetup: Signal<bool>,
) -> impl IntoView {
    let texts = queue_texts();
    let visible = move || {
        runs_meetup.get()
            || with_queue(connection, |queue| queue.settings.airtime_public).unwrap_or(false)
    };
    let rows = move || {
        with_queue(connection, |queue| {
            let total: u64 = queue.airtime.iter().map(|airtime| airtime.millis).sum();
            let mut rows: Vec<(String, u64, u32, u64)> = queue
                .airtime
                .iter()
                .map(|airtime| {
                    let share = (airtime.millis * 100).checked_div(total).unwrap_or(0);
                    (
                        connection.parts.name_of(airtime.participant),
                        airtime.millis,
                        airtime.turns,
                        share,
                    )
                })
                .collect();
            rows.sort_by_key(|row| std::cmp::Reverse(row.1));
            rows
        })
        .unwrap_or_default()
    };
    view! {
        <Show when=move || visible() && !rows().is_empty()>
            <section class="card" aria-labelledby="airtime-heading">
                <h2 id="airtime-heading">{texts.airtime_heading}</h2>
                <table class="airtime" data-testid="airtime-table">
                    <thead><tr>
                        <th scope="col">{texts.airtime_person}</th>
                        <th scope="col">{texts.airtime_time}</th>
                        <th scope="col">{texts.airtime_turns}</th>
                        <th scope="col">{texts.airtime_share}</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|row| row.clone() children=move |(name, millis, turns, share)| view! {
                            <tr data-testid="airtime-row">
                                <th scope="row">{name}</th>
                                <td>{clock_text(millis)}</td>
                                <td>{turns}</td>
                                <td>
                                    <span class="share-track" aria-hidden="true"><span class="share-bar" style=format!("width: {share}%")></span></span>
                                    {format!("{share}%")}
                                </td>
                            </tr>
                        } />
                    </tbody>
                </table>
            </section>
        </Show>
    }
}

/// The queue on the shared screen: current speaker, turn clock, next three.
#[component]
pub fn ScreenQueue(connection: Connection) -> impl IntoView {
    let texts = queue_texts();
    let room = connection.room;
    let now = server_clock(connection);
    let speaker = move || with_queue(connection, |queue| queue.speaker.clone()).flatten();
    let speaker_name =
        move || speaker().map(|speaker| connection.parts.name_of(speaker.participant));
    let elapsed =
        move || speaker().map_or(0, |speaker| now.get().saturating_sub(speaker.started_at.0));
    let limit = move || with_queue(connection, Queue::turn_limit_millis).unwrap_or(u64::MAX);
    let next = move || {
        room.with(|room| {
            room.as_ref()
                .map(|room| {
                    let kinds: Vec<(ParticipantId, Option<EntryKind>)> = match room.queue.round {
                        Some(_) => room
                            .queue
                            .up_next(room, 3)
                            .into_iter()
                            .map(|id| (id, None))
                            .collect(),
                        None => room
                            .queue
                            .ordered()
                            .iter()
                            .take(3)
                            .map(|entry| (entry.participant, Some(entry.kind)))
                            .collect(),
                    };
                    kinds
                        .into_iter()
                        .enumerate()
                        .map(|(place, (id, kind))| (place, name_of(room, id), kind))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let over = move || speaker().is_some() && elapsed() >= limit();
    let round = move || with_queue(connection, |queue| queue.round.clone()).flatten();
    let active = move || {
        with_queue(connection, |queue| {
            queue.speaker.is_some() || !queue.entries.is_empty() || queue.round.is_some()
        })
        .unwrap_or(false)
    };
    view! {
        <Show when=active>
            <section class="screen-queue" aria-labelledby="screen-queue-heading" data-testid="screen-queue">
                <h2 id="screen-queue-heading" class="visually-hidden">{texts.heading}</h2>
                {move || round().map(|round| view! {
                    <p class="screen-round" data-testid="screen-round">
                        {(texts.round_heading)(round.kind)}
                        {round.prompt.map(|prompt| format!(": {prompt}"))}
                    </p>
                })}
                <div class="screen-speaker" class:over-limit=over>
                    <p class="screen-label">{texts.now_speaking}</p>
                    <p class="screen-speaker-name" data-testid="screen-speaker">{move || speaker_name().unwrap_or_else(|| "—".to_owned())}</p>
                    <Show when=move || speaker().is_some()>
                        <p class="screen-clock" data-testid="screen-clock" role="timer">{move || clock_text(elapsed())}</p>
                    </Show>
                </div>
                <div class="screen-next">
                    <p class="screen-label">{texts.up_next}</p>
                    <ol class="screen-next-list" data-testid="screen-next">
                        <For each=next key=|row| row.clone() children=move |(_, name, kind)| view! {
                            <li data-testid="screen-next-entry">
                                <span>{name}</span>
                                {kind.map(|kind| view! { <span class=format!("badge kind-{}", kind_key(kind))>{(texts.kind_short)(kind)}</span> })}
                            </li>
                        } />
                    </ol>
                </div>
            </section>
        </Show>
    }
}
