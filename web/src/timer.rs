//! The meetup's timer on every screen: a countdown on phones (kept in view
//! while it runs), a big one on the shared screen, and the facilitator's
//! controls.
//!
//! The countdown never counts down by itself: every redraw computes
//! `deadline - server_now()` from the room's deadline and the connection's
//! measured clock offset, so all screens agree, and a phone that slept, a
//! reload or a reconnect shows the true time at once. Redraws happen every
//! 200 ms; what they show depends only on the deadline.
//!
//! Cues at one minute left and at zero: a vibration and a beep (shared with
//! the speaking queue), an announcement through the live region, and a
//! colour and size change big enough to see across a room (its pulse only
//! without `prefers-reduced-motion`).

use std::time::Duration;

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::room::board::Column;
use moot_shared::room::timer::{self, TimerRun, TimerSettings};

use crate::app::app_context;
use crate::connection::Connection;
use crate::i18n::{t, timer_texts};

/// How often the countdown is redrawn. Each redraw reads the clock afresh,
/// so a late redraw is never behind.
const REDRAW: Duration = Duration::from_millis(200);

/// From here on the countdown warns.
const LAST_MINUTE_MS: u64 = 60_000;

/// What the countdown looks like now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    Running,
    LastMinute,
    Paused,
    Zero,
}

impl Phase {
    fn key(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Running => "running",
            Phase::LastMinute => "last-minute",
            Phase::Paused => "paused",
            Phase::Zero => "zero",
        }
    }
}

/// One reading of the countdown.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Reading {
    phase: Phase,
    remaining_ms: u64,
    /// This device's own clock when the reading was taken, uncorrected:
    /// tests compare `taken_at + remaining_ms` across devices.
    taken_at: f64,
}

/// A signal that changes every `period` while the calling view lives: what
/// makes a countdown redraw.
pub fn ticking(period: Duration) -> RwSignal<u32> {
    let tick = RwSignal::new(0u32);
    let handle = set_interval_with_handle(move || tick.update(|n| *n = n.wrapping_add(1)), period);
    on_cleanup(move || {
        if let Ok(handle) = handle {
            handle.clear();
        }
    });
    tick
}

/// `m:ss`, rounding up, so the display reaches 0:00 exactly at the deadline.
pub fn clock_text(millis: u64) -> String {
    let seconds = millis.div_ceil(1_000);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

fn read(connection: Connection) -> Reading {
    let now = connection.server_now();
    let run = connection
        .parts
        .timer
        .with(|timer| timer.as_ref().map_or(TimerRun::Idle, |timer| timer.run));
    let (phase, remaining_ms) = match run {
        TimerRun::Idle => (Phase::Idle, 0),
        TimerRun::Running { deadline } => {
            let left = deadline.millis_since(now);
            let phase = match left {
                0 => Phase::Zero,
                left if left <= LAST_MINUTE_MS => Phase::LastMinute,
                _ => Phase::Running,
            };
            (phase, left)
        }
        TimerRun::Paused { remaining_ms } => (Phase::Paused, remaining_ms),
        TimerRun::Expired { .. } => (Phase::Zero, 0),
    };
    Reading {
        phase,
        remaining_ms,
        taken_at: js_sys::Date::now(),
    }
}

/// The countdown's readings, redrawn every [`REDRAW`] and whenever the room
/// changes, with the cues fired as the phase crosses one minute and zero.
fn readings(connection: Connection) -> Memo<Reading> {
    let redraw = ticking(REDRAW);
    let reading = Memo::new(move |_| {
        redraw.track();
        read(connection)
    });
    let notices = app_context().notices;
    // The first phase seen is where the page came in (a reload at 0:30
    // must not cue); only crossings while watching do.
    let last = StoredValue::new(None::<Phase>);
    Effect::new(move || {
        let phase = reading.get().phase;
        let before = last.get_value();
        last.set_value(Some(phase));
        let was_running = matches!(before, Some(Phase::Running | Phase::LastMinute));
        let texts = timer_texts();
        let cue = match phase {
            Phase::LastMinute if before == Some(Phase::Running) => Some(texts.one_minute_left),
            Phase::Zero if was_running => Some(texts.time_up),
            _ => None,
        };
        if let Some(text) = cue {
            crate::cue::cue();
            notices.announce(text);
        }
    });
    reading
}

/// The countdown itself; `big` for the shared screen.
#[component]
fn Countdown(reading: Memo<Reading>, big: bool) -> impl IntoView {
    let texts = timer_texts();
    let class = move || {
        let size = if big { " countdown-big" } else { "" };
        format!("countdown countdown-{}{size}", reading.get().phase.key())
    };
    let label = move || {
        let reading = reading.get();
        match reading.phase {
            Phase::Zero => texts.time_up.to_owned(),
            Phase::Paused => format!(
                "{} · {}",
                texts.paused,
                (texts.remaining)(&clock_text(reading.remaining_ms))
            ),
            _ => (texts.remaining)(&clock_text(reading.remaining_ms)),
        }
    };
    view! {
        <p class=class role="timer" aria-label=label data-testid="timer-countdown"
            data-state=move || reading.get().phase.key()
            data-remaining-ms=move || reading.get().remaining_ms.to_string()
            // Whole milliseconds as an integer: float formatting is a lot of wasm.
            data-taken-at=move || (reading.get().taken_at.round() as i64).to_string()>
            <span class="countdown-digits">{move || clock_text(reading.get().remaining_ms)}</span>
            <span class="countdown-note">{move || match reading.get().phase {
                Phase::Paused => texts.paused,
                Phase::Zero => texts.time_up,
                _ => "",
            }}</span>
        </p>
    }
}

/// What the timer is for: a topic's title and its extensions.
fn subject(connection: Connection) -> Option<String> {
    let texts = timer_texts();
    connection.room.with(|room| {
        let room = room.as_ref()?;
        let timer = &room.timer;
        let title = room.board.topic(timer.topic?)?.title.to_string();
        let mut line = (texts.timebox_of)(&title);
        if timer.extensions > 0 {
            line.push_str(" · ");
            line.push_str(&(texts.extension_of)(
                timer.extensions,
                timer.settings.max_extensions.max(timer.extensions),
            ));
        }
        Some(line)
    })
}

/// The countdown on a phone or the facilitator's laptop: kept in view at the
/// top while a timer exists, hidden while there is none.
#[component]
pub fn TimerCard(connection: Connection) -> impl IntoView {
    let reading = readings(connection);
    let shown = move || reading.get().phase != Phase::Idle;
    view! {
        <Show when=shown>
            <section class="card timer-card" data-testid="timer-card" aria-label=timer_texts().heading>
                <Countdown reading=reading big=false />
                <p class="hint" data-testid="timer-subject">{move || subject(connection)}</p>
            </section>
        </Show>
    }
}

/// The big countdown on the shared screen.
#[component]
pub fn ScreenTimer(connection: Connection) -> impl IntoView {
    let reading = readings(connection);
    view! {
        <Show when=move || reading.get().phase != Phase::Idle>
            <section class="screen-timer" data-testid="screen-timer" aria-label=timer_texts().heading>
                <Countdown reading=reading big=true />
                <p class="screen-timer-subject">{move || subject(connection)}</p>
            </section>
        </Show>
    }
}

/// Minutes as typed ("7", "0.5", "1,5") into whole seconds within bounds.
fn parse_minutes(raw: &str) -> Option<u32> {
    let seconds = timer::seconds_from_minutes_text(raw)?;
    timer::check_duration(seconds).ok().map(|()| seconds)
}

/// The facilitator's controls: start, pause or resume, a minute more or
/// less, reset; the next topic in one tap; the timebox settings.
#[component]
pub fn TimerControls(connection: Connection) -> impl IntoView {
    let texts = timer_texts();
    let minutes = RwSignal::new("5".to_owned());
    let error = RwSignal::new(None::<&'static str>);
    let run = move || {
        connection
            .parts
            .timer
            .with(|timer| timer.as_ref().map_or(TimerRun::Idle, |timer| timer.run))
    };
    let send = move |command: Command| connection.send(command);

    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match parse_minutes(&minutes.get_untracked()) {
            Some(duration_secs) => {
                error.set(None);
                send(Command::StartTimer { duration_secs });
            }
            None => error.set(Some(texts.invalid_minutes)),
        }
    };
    // Pause or resume, whichever applies; plus and minus only with a timer.
    let running_controls = move || {
        let run = run();
        let toggle = match run {
            TimerRun::Running { .. } => Some(
                view! {
                    <button type="button" data-testid="timer-pause"
                        on:click=move |_| send(Command::PauseTimer)>{texts.pause}</button>
                }
                .into_any(),
            ),
            TimerRun::Paused { .. } => Some(
                view! {
                    <button type="button" class="primary" data-testid="timer-resume"
                        on:click=move |_| send(Command::ResumeTimer)>{texts.resume}</button>
                }
                .into_any(),
            ),
            TimerRun::Idle | TimerRun::Expired { .. } => None,
        };
        // The reducer says which adjustments the timer takes now.
        let refused = move |command: Command| !connection.allows(command);
        view! {
            {toggle}
            <button type="button" data-testid="timer-plus"
                disabled=move || refused(Command::AdjustTimer { delta_secs: 60 })
                on:click=move |_| send(Command::AdjustTimer { delta_secs: 60 })>{texts.plus_minute}</button>
            <button type="button" data-testid="timer-minus"
                disabled=move || refused(Command::AdjustTimer { delta_secs: -60 })
                on:click=move |_| send(Command::AdjustTimer { delta_secs: -60 })>{texts.minus_minute}</button>
            <button type="button" data-testid="timer-reset"
                disabled=move || matches!(run, TimerRun::Idle) || refused(Command::ResetTimer)
                on:click=move |_| send(Command::ResetTimer)>{texts.reset}</button>
        }
    };
    // After a topic ends (by vote or by hand), the next one is a tap away:
    // the top-voted once votes are visible, else the first in board order.
    let next_topic = move || {
        connection.parts.board.with(|board| {
            let board = board.as_ref()?;
            if board.discussing().is_some() {
                return None;
            }
            let id = if board.votes_hidden() {
                board.column(Column::ToDiscuss).next()?.id
            } else {
                *board.sorted_order().first()?
            };
            Some((id, board.topic(id)?.title.to_string()))
        })
        .map(|(topic, title)| view! {
            <button type="button" class="primary" data-testid="timer-next-topic"
                on:click=move |_| send(Command::StartTopic { topic })>{(texts.next_topic)(&title)}</button>
        })
    };

    view! {
        <section class="card timer-controls" aria-labelledby="timer-controls-heading" data-testid="timer-controls">
            <h2 id="timer-controls-heading">{texts.controls_heading}</h2>
            <p class="actions">{next_topic}</p>
            <form class="form inline" on:submit=start novalidate>
                <label for="timer-minutes">{texts.minutes_label}</label>
                <input id="timer-minutes" data-testid="timer-minutes" type="text" inputmode="decimal"
                    prop:value=move || minutes.get()
                    on:input=move |event| minutes.set(event_target_value(&event)) />
                <button type="submit" class="primary" data-testid="timer-start">{texts.start}</button>
            </form>
            <p class="error" role="alert">{move || error.get()}</p>
            <p class="actions">{running_controls}</p>
            <TimerSettingsForm connection=connection />
        </section>
    }
}

/// The timebox settings, folded away until wanted.
#[component]
fn TimerSettingsForm(connection: Connection) -> impl IntoView {
    let texts = timer_texts();
    let current = move || {
        connection.parts.timer.with(|timer| {
            timer
                .as_ref()
                .map(|timer| timer.settings)
                .unwrap_or_default()
        })
    };
    let initial = current();
    let topic = RwSignal::new(timer::minutes_text(initial.topic_secs));
    let extension = RwSignal::new(timer::minutes_text(initial.first_extension_secs));
    let max = RwSignal::new(initial.max_extensions.to_string());
    let error = RwSignal::new(None::<String>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let parsed = (
            parse_minutes(&topic.get_untracked()),
            parse_minutes(&extension.get_untracked()),
            max.get_untracked().trim().parse::<u8>().ok(),
        );
        let (Some(topic_secs), Some(first_extension_secs), Some(max_extensions)) = parsed else {
            error.set(Some(texts.invalid_minutes.to_owned()));
            return;
        };
        let settings = TimerSettings {
            topic_secs,
            first_extension_secs,
            max_extensions,
        };
        match settings.validate() {
            Ok(()) => {
                error.set(None);
                connection.send(Command::ConfigureTimer { settings });
            }
            Err(reason) => error.set(Some(t().rejection(&reason, ""))),
        }
    };
    view! {
        <details class="timer-settings">
            <summary data-testid="timer-settings-toggle">{texts.settings_heading}</summary>
            <form class="form" on:submit=save novalidate>
                <label for="timer-topic-minutes">{texts.topic_minutes_label}</label>
                <input id="timer-topic-minutes" data-testid="timer-topic-minutes" type="text" inputmode="decimal"
                    prop:value=move || topic.get() on:input=move |event| topic.set(event_target_value(&event)) />
                <label for="timer-extension-minutes">{texts.extension_minutes_label}</label>
                <input id="timer-extension-minutes" data-testid="timer-extension-minutes" type="text" inputmode="decimal"
                    prop:value=move || extension.get() on:input=move |event| extension.set(event_target_value(&event)) />
                <label for="timer-max-extensions">{texts.max_extensions_label}</label>
                <input id="timer-max-extensions" data-testid="timer-max-extensions" type="number" inputmode="numeric"
                    min="0" max=moot_shared::limits::MAX_EXTENSIONS.to_string()
                    prop:value=move || max.get() on:input=move |event| max.set(event_target_value(&event)) />
                <button type="submit" data-testid="timer-settings-save">{texts.save}</button>
                <p class="error" role="alert">{move || error.get()}</p>
            </form>
        </details>
    }
}
