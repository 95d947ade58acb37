//! The facilitator's control surface (issue 15): the meetup page of whoever
//! runs it, laid out in regions on a laptop rather than as a phone's
//! column. A bar on top holds the meetup's name, the menus (invite, a new
//! poll, rounds, agenda, settings) and the primary action; below it, the
//! people on the left, what happens now in the centre (phase, timer, open
//! poll beside the speaking queue) and the board on the right. Per-person actions
//! sit in a menu on each person ([`crate::facilitator::ParticipantActions`]),
//! settings and destructive actions in the settings panel. Under 1024 px
//! wide the regions stack into a column; the menus stay menus.
//!
//! The primary action is the one next step of the meetup, always in the same
//! place and on the `N` key (outside text fields): reveal the open poll,
//! call the next speaker, start the next topic, or move to the next phase.
//!
//! Only the full app has this module's views (see the crate docs, "Two
//! bundles").

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::room::Room;
use moot_shared::room::agenda::PhaseKind;
use moot_shared::room::board::Column;
use wasm_bindgen::JsCast;

use crate::app::later;
use crate::connection::Connection;
use crate::facilitator::{FacilitatorPanel, Invite, screen_url};
use crate::i18n::{facilitation_texts, lang, t};
use crate::people::{MeSection, ParticipantList, RoomHeader, StandInNotice};

/// The key that performs the primary action.
const SHORTCUT: &str = "n";

/// The page of whoever runs the meetup. `live`: the meetup has not ended.
#[component]
pub fn FacilitatorSurface(connection: Connection, live: bool) -> impl IntoView {
    let texts = facilitation_texts();
    let room = connection.room;
    let runs_meetup = Signal::derive(|| true);
    let screen_url = screen_url(connection);
    // Until someone else has joined, the invitation is what the page is
    // for; afterwards it is one click away in the bar.
    let alone = Memo::new(move |_| {
        room.with(|room| {
            room.as_ref()
                .is_none_or(|room| room.active_participants().count() <= 1)
        })
    });
    let next =
        Memo::new(move |_| room.with(|room| room.as_ref().map(|room| next_step(connection, room))));
    let perform = move || {
        if let Some(Some(step)) = next.get_untracked() {
            connection.send(step.command);
        }
    };
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" {
            close_menus(None, true);
        } else if event.key().eq_ignore_ascii_case(SHORTCUT)
            && !(event.ctrl_key() || event.meta_key() || event.alt_key())
            && !typing(event.target())
        {
            event.prevent_default();
            perform();
        }
    });
    // A click outside an open menu closes it, as menus do.
    let clicks = window_event_listener(leptos::ev::click, move |event| {
        close_menus(event.target(), false);
    });
    on_cleanup(move || {
        keys.remove();
        clicks.remove();
    });

    let primary_action = move || match next.get().flatten() {
        Some(step) => step.action,
        None => texts.primary_nothing,
    };
    let primary_subject = move || next.get().flatten().and_then(|step| step.subject);
    // The whole label in one line, for the tooltip of a subject cut short.
    let primary_title = move || match primary_subject() {
        Some(subject) => format!("{}: {subject}", primary_action()),
        None => primary_action().to_owned(),
    };
    let people_count = move || {
        room.with(|room| {
            room.as_ref()
                .map(|room| (t().people_count)(room.active_participants().count(), room.seat_cap))
        })
    };

    view! {
        <div class="fac" data-testid="facilitator-surface" data-alone=move || alone.get().to_string()>
            <div class="fac-top">
                <RoomHeader connection=connection />
                <nav class="fac-menus" aria-label=texts.menus_label>
                    <Show when=move || !alone.get()>
                        <Menu label=texts.invite_heading testid="invite-menu">
                            <Invite connection=connection screen_url=screen_url />
                        </Menu>
                    </Show>
                    {live.then(|| view! {
                        <Menu label=texts.poll_menu testid="poll-menu">
                            <crate::poll::PollLauncher connection=connection />
                        </Menu>
                        <Menu label=texts.rounds_menu testid="rounds-menu">
                            <crate::queue::QueueControls connection=connection />
                        </Menu>
                    })}
                    <Menu label=texts.agenda_heading testid="agenda-menu">
                        <crate::agenda::AgendaControls connection=connection />
                    </Menu>
                    <Menu label=texts.settings_menu testid="settings">
                        <FacilitatorPanel connection=connection />
                        <crate::lifecycle::LifecyclePanel connection=connection />
                        <MeSection connection=connection />
                    </Menu>
                </nav>
                <button type="button" class="primary fac-primary" data-testid="primary-action"
                    aria-keyshortcuts="n" disabled=move || next.get().flatten().is_none()
                    title=primary_title
                    on:click=move |_| perform()>
                    // Two lines, the verb over what it acts on, so a long
                    // German verb or topic is cut only in its own line.
                    <span class="fac-primary-label">
                        <span class="fac-primary-action">{primary_action}</span>
                        {move || primary_subject().map(|subject| view! {
                            <span class="visually-hidden">": "</span>
                            <span class="fac-primary-subject" data-testid="primary-subject">{subject}</span>
                        })}
                    </span>
                    <kbd aria-hidden="true">"N"</kbd>
                </button>
            </div>
            <Show when=move || alone.get()>
                <section class="card fac-invite" aria-labelledby="invite-heading" data-testid="invite-panel">
                    <h2 id="invite-heading">{texts.invite_heading}</h2>
                    <Invite connection=connection screen_url=screen_url />
                </section>
            </Show>
            <StandInNotice connection=connection />
            <div class="fac-regions">
            // Each card is built by a task of its own (see `Later`), the bar
            // above at once.
            <section class="card fac-people" aria-labelledby="people-heading" data-testid="people-region">
                <h2 id="people-heading">{t().people_heading}" "<span class="hint">{people_count}</span></h2>
                {later! { <ParticipantList connection=connection with_actions=runs_meetup /> }}
            </section>
            // Now: where the group is, the timer and the open poll beside the
            // speaking queue.
            <div class="fac-now" data-testid="now-region">
                {if live {
                    view! {
                        // During a breakout its groups span the region.
                        {later! { <crate::breakout::BreakoutControls connection=connection /> }}
                        <div class="fac-col">
                            {later! { <crate::agenda::PhaseStrip connection=connection /> }}
                            // A facilitator in a group sees it as a phone does.
                            {later! { <crate::breakout::GroupCard connection=connection /> }}
                            {later! { <crate::timer::TimerCard connection=connection /> }}
                            {later! { <crate::timer::TimerControls connection=connection /> }}
                            {later! { <crate::poll::PollCard connection=connection runs_meetup=runs_meetup /> }}
                        </div>
                        <div class="fac-col">
                            {later! { <crate::queue::QueueCard connection=connection runs_meetup=runs_meetup /> }}
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div class="fac-col">
                            {later! { <crate::agenda::PhaseStrip connection=connection /> }}
                            {later! { <crate::lifecycle::MyExports connection=connection /> }}
                            {later! { <crate::lifecycle::ReviewCard connection=connection runs_meetup=runs_meetup /> }}
                        </div>
                    }.into_any()
                }}
            </div>
            <div class="fac-side" data-testid="side-region">
                // What the last meetup handed over, to review first (it shows
                // only while there is something to review).
                {live.then(|| later! {
                    <crate::lifecycle::ReviewCard connection=connection runs_meetup=runs_meetup />
                })}
                {live.then(|| later! {
                    <crate::board::BoardCard connection=connection runs_meetup=runs_meetup />
                })}
                {live.then(|| later! {
                    <crate::board::OutcomesCard connection=connection />
                    <crate::board::FinishedTopics connection=connection />
                })}
                {later! { <crate::queue::AirtimeTable connection=connection runs_meetup=runs_meetup /> }}
                {later! { <crate::roti::RotiTrendCard connection=connection place=crate::roti::Place::Facilitator /> }}
                {later! { <crate::board::MyActionItems connection=connection /> }}
                {live.then(|| later! { <crate::goals::GoalsCard connection=connection /> })}
                {later! { <crate::agenda::JotPad connection=connection /> }}
            </div>
            </div>
        </div>
    }
}

/// A disclosure in the bar: its summary opens a panel below it. Escape or
/// a click elsewhere closes it (see [`close_menus`]). Its panel, closed at
/// first, is built after every card on the surface (`Later` with `last`).
#[component]
fn Menu(label: &'static str, testid: &'static str, children: ChildrenFn) -> impl IntoView {
    view! {
        <details class="fac-menu" data-testid=testid>
            <summary class="button" data-testid=format!("{testid}-toggle")>{label}</summary>
            <div class="fac-pop"><crate::app::Later last=true>{children()}</crate::app::Later></div>
        </details>
    }
}

/// Closes the open menus (the bar's and each person's) that do not hold
/// `inside`; with `refocus`, focus goes back to a closed menu's summary if
/// it was inside it, so a keyboard user is where they opened it.
pub fn close_menus(inside: Option<web_sys::EventTarget>, refocus: bool) {
    let inside = inside.and_then(|target| target.dyn_into::<web_sys::Node>().ok());
    let Ok(open) =
        document().query_selector_all("details.fac-menu[open], details.fac-person-menu[open]")
    else {
        return;
    };
    let focused = document().active_element();
    for index in 0..open.length() {
        let Some(menu) = open
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if inside
            .as_ref()
            .is_some_and(|node| menu.contains(Some(node)))
        {
            continue;
        }
        let _ = menu.remove_attribute("open");
        let had_focus = focused
            .as_ref()
            .is_some_and(|focused| menu.contains(Some(focused)));
        if refocus
            && had_focus
            && let Ok(Some(summary)) = menu.query_selector("summary")
            && let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = summary.focus();
        }
    }
}

/// Whether a key press lands in a text field (the shortcut types there).
fn typing(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
}

/// The primary action now: what the button says (the action, and what it
/// acts on) and what it sends.
#[derive(Clone, PartialEq)]
struct Step {
    action: &'static str,
    subject: Option<String>,
    command: Command,
}

/// The meetup's one next step, by what it waits for: an open poll's
/// reveal, calling everyone back from a breakout, the next speaker in the
/// queue, the next topic while the group
/// discusses (or when there is no agenda), else the agenda's next phase.
/// Each is offered only when the reducer would take it.
fn next_step(connection: Connection, room: &Room) -> Option<Step> {
    let texts = facilitation_texts();
    let offer = |action: &'static str, subject: Option<String>, command: Command| {
        connection.allows(command.clone()).then_some(Step {
            action,
            subject,
            command,
        })
    };
    let reveal = room
        .polls
        .current()
        .filter(|poll| poll.is_open())
        .and_then(|poll| {
            offer(
                texts.primary_reveal,
                None,
                Command::RevealPoll { poll: poll.id },
            )
        });
    let queue = &room.queue;
    let speaker = || {
        let waiting = queue.ordered().first().map(|entry| entry.participant);
        (waiting.is_some() || queue.round.is_some())
            .then(|| {
                let name = waiting.and_then(|id| Some(room.participant(id)?.name.to_string()));
                offer(
                    texts.primary_next_speaker,
                    name,
                    Command::NextSpeaker {
                        turn: queue.speaker.as_ref().map(|speaker| speaker.turn),
                    },
                )
            })
            .flatten()
    };
    let board = &room.board;
    let topic = || {
        if board.discussing().is_some() {
            return None;
        }
        let id = if board.votes_hidden() {
            board.column(Column::ToDiscuss).next()?.id
        } else {
            *board.sorted_order().first()?
        };
        let title = board.topic(id)?.title.to_string();
        offer(
            texts.primary_start_topic,
            Some(title),
            Command::StartTopic { topic: id },
        )
    };
    let agenda = &room.agenda;
    let phase = || {
        let next = agenda.next()?;
        offer(
            texts.primary_next_phase,
            Some(next.spec.title_in(lang()).to_owned()),
            Command::NextPhase {
                from: agenda.current().map(|phase| phase.id),
                seed: 0,
            },
        )
    };
    // A breakout running ends with its countdown on every phone, not at
    // once by moving on; once everyone is called back, Next moves on.
    let bring_back = || {
        let breakout = room.breakouts.current()?;
        if breakout.closing_at.is_some() {
            return None;
        }
        offer(
            texts.primary_bring_back,
            None,
            Command::EndBreakout {
                countdown_secs: moot_shared::limits::BREAKOUT_COUNTDOWN_SECS,
            },
        )
    };
    let discussing = agenda
        .current()
        .is_none_or(|phase| phase.spec.kind == PhaseKind::Discuss);
    reveal.or_else(bring_back).or_else(speaker).or_else(|| {
        if discussing {
            topic().or_else(phase)
        } else {
            phase().or_else(topic)
        }
    })
}
