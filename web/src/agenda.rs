//! Where the meetup is: the agenda's current phase on every screen, and
//! the facilitator's plan with Next and Back.
//!
//! - [`PhaseStrip`]: "Phase 3 of 6 · Vote · 2:10 left", the prompt, "I'm
//!   done" where a phase asks for quiet work, and the plan as a list (on
//!   phones and the facilitator's laptop);
//! - [`ScreenAgenda`]: the rail for the shared screen, with the current
//!   phase large and how many are done;
//! - [`AgendaControls`]: picking a format, Next and Back, and the plan
//!   ahead edited (full app only).
//!
//! A phase's planned end is passive: the strip counts down to it and cues
//! once at zero; nothing moves on by itself.

use std::time::Duration;

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::ids::ParticipantId;
use moot_shared::json::Variants;
use moot_shared::room::Membership;
use moot_shared::room::agenda::{
    Agenda, AgendaRole, Format, Phase, PhaseId, PhaseKind, PhaseState,
};
use moot_shared::room::queue::Direction;
use moot_shared::text::PhasePrompt;

use crate::app::Symbol;
use crate::connection::Connection;
use crate::i18n::{agenda_texts, facilitation_texts, lang};
use crate::timer::{clock_text, ticking};

/// How often the time left is redrawn.
const REDRAW: Duration = Duration::from_millis(500);

/// The agenda when there is a plan to show. A copy (for views that hand
/// it on); [`with_agenda`] reads it in place.
fn agenda(connection: Connection) -> Option<Agenda> {
    with_agenda(connection, Agenda::clone)
}

/// Reads the agenda in place when there is a plan to show (tracked).
fn with_agenda<T>(connection: Connection, read: impl FnOnce(&Agenda) -> T) -> Option<T> {
    connection.room.with(|room| {
        room.as_ref()
            .map(|room| &room.agenda)
            .filter(|agenda| !agenda.phases.is_empty())
            .map(read)
    })
}

/// Milliseconds left until the current phase's planned end.
fn left_ms(connection: Connection, phase: &Phase) -> Option<u64> {
    let end = phase.planned_end()?;
    Some(end.millis_since(connection.server_now()))
}

/// "Phase 3 of 6 · Vote · 2:10 left".
fn strip_text(connection: Connection, agenda: &Agenda, phase: &Phase) -> String {
    let texts = agenda_texts();
    let (number, of) = agenda.position(phase.id).unwrap_or((0, 0));
    let mut line = format!(
        "{} · {}",
        (texts.phase_of)(number, of),
        phase.spec.title_in(lang())
    );
    match left_ms(connection, phase) {
        Some(0) => line.push_str(&format!(" · {}", texts.time_up)),
        Some(left) => line.push_str(&format!(" · {}", (texts.left)(&clock_text(left)))),
        None => {}
    }
    line
}

/// Minutes, planned and (once entered) spent: "5 min", "5 min · 6 min".
fn minutes(phase: &Phase) -> String {
    let texts = agenda_texts();
    let planned = phase.spec.planned_secs.div_ceil(60);
    let planned = if planned == 0 {
        texts.untimed.to_owned()
    } else {
        (texts.minutes)(planned)
    };
    match phase.state {
        PhaseState::Done => format!(
            "{planned} · {}",
            (texts.spent)(u32::try_from((phase.spent_ms + 30_000) / 60_000).unwrap_or(u32::MAX))
        ),
        PhaseState::Skipped => format!("{planned} · {}", texts.skipped),
        _ => planned,
    }
}

/// Text made safe to put inside HTML.
pub(crate) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The plan as a list (done, current, to come), as markup. Written in one
/// go rather than a view per item: a list nobody taps needs no reactive
/// pieces, and on a phone each one costs download.
fn plan_html(agenda: &Agenda, testid: &str) -> String {
    let mut html = format!("<ol class=\"phase-list\" data-testid=\"{testid}\">");
    for phase in &agenda.phases {
        let state = match phase.state {
            PhaseState::Upcoming => "upcoming",
            PhaseState::Current => "current",
            PhaseState::Done => "done",
            PhaseState::Skipped => "skipped",
        };
        let current = if phase.state == PhaseState::Current {
            " aria-current=\"step\""
        } else {
            ""
        };
        html.push_str(&format!(
            "<li class=\"phase phase-{state}\" data-state=\"{state}\" data-phase=\"{}\"{current}>\
             <span class=\"phase-title\">{}</span><span class=\"phase-minutes\">{}</span></li>",
            phase.id.0,
            escaped(phase.spec.title_in(lang())),
            escaped(&minutes(phase)),
        ));
    }
    html.push_str("</ol>");
    html
}

/// Whether a phase asks people to work quietly and say when they are done.
fn asks_done(kind: PhaseKind) -> bool {
    matches!(kind, PhaseKind::Silent | PhaseKind::Collect)
}

/// Where the group is, at the top of a phone and the facilitator's page.
/// One view redrawn whole on every tick and change: on a phone every
/// separately reactive piece costs download, and this one is small.
#[component]
pub fn PhaseStrip(connection: Connection) -> impl IntoView {
    let texts = agenda_texts();
    let tick = ticking(REDRAW);
    // Cue once when the planned end passes while watching.
    let was_left = StoredValue::new(None::<(PhaseId, u64)>);
    move || {
        tick.track();
        let me = connection.me.get();
        // Everything the strip shows, read in place (no copy of the plan).
        let (line, prompt, asked, ready, number, plan, role) = with_agenda(connection, |agenda| {
            let current = agenda.current();
            let line = match current {
                Some(phase) => strip_text(connection, agenda, phase),
                None if agenda.ended => texts.ended.to_owned(),
                None => texts.not_started.to_owned(),
            };
            if let Some(phase) = current
                && let Some(left) = left_ms(connection, phase)
            {
                let before = was_left.get_value();
                was_left.set_value(Some((phase.id, left)));
                if left == 0 && before.is_some_and(|(id, before)| id == phase.id && before > 0) {
                    crate::cue::cue();
                }
            }
            let prompt = current
                .and_then(|phase| phase.spec.prompt_in(lang()))
                .map(ToString::to_string);
            // "You: case giver", and whether the phase asks them to listen.
            let role = me.and_then(|me| {
                let role = agenda.role_of(me)?;
                Some((texts.your_role)(
                    (texts.role)(role),
                    agenda.listening(me).is_some(),
                ))
            });
            let asks = current.filter(|phase| asks_done(phase.spec.kind));
            let ready = asks.is_some_and(|phase| me.is_some_and(|me| phase.ready.contains(&me)));
            let asked = asks.map(|phase| phase.id);
            let plan = format!(
                "<details><summary>{}</summary>{}</details>",
                texts.whole_plan,
                plan_html(agenda, "phase-list")
            );
            (
                line,
                prompt,
                asked,
                ready,
                current.map_or(0, |phase| phase.id.0),
                plan,
                role,
            )
        })?;
        let toggle = move |_| {
            if let Some(phase) = asked {
                connection.send(Command::SetReady {
                    phase,
                    ready: !ready,
                });
            }
        };
        let mut html = format!(
            "<p class=\"phase-line\" data-testid=\"phase-line\">{}</p>",
            escaped(&line)
        );
        for (class, text) in [("phase-prompt", prompt), ("phase-role", role)] {
            if let Some(text) = text {
                html.push_str(&format!(
                    "<p class=\"{class}\" data-testid=\"{class}\">{}</p>",
                    escaped(&text)
                ));
            }
        }
        Some(view! {
            <section class="card phase-strip" data-testid="phase-strip"
                data-phase=number>
                <div inner_html=html></div>
                <button type="button" data-testid="phase-done" hidden=asked.is_none()
                    aria-pressed=ready.to_string() on:click=toggle>
                    {if ready { texts.not_done } else { texts.done }}
                </button>
                <div inner_html=plan></div>
            </section>
        })
    }
}

/// The agenda on the shared screen: the current phase large, the rail.
#[component]
pub fn ScreenAgenda(connection: Connection) -> impl IntoView {
    let texts = agenda_texts();
    let tick = ticking(REDRAW);
    move || {
        let agenda = agenda(connection)?;
        let current = agenda.current().cloned();
        let done = agenda
            .phases
            .iter()
            .filter(|phase| phase.state == PhaseState::Done)
            .count();
        let of = agenda.phases.len();
        let line = {
            let agenda = agenda.clone();
            let current = current.clone();
            move || {
                tick.track();
                current
                    .as_ref()
                    .map(|phase| strip_text(connection, &agenda, phase))
                    .unwrap_or_default()
            }
        };
        let ready = current
            .as_ref()
            .filter(|phase| asks_done(phase.spec.kind))
            .map(|phase| {
                let present = connection.parts.people.with(|people| {
                    people
                        .iter()
                        .filter(|person| person.membership == moot_shared::room::Membership::Active)
                        .count()
                });
                (texts.ready_count)(phase.ready.len(), present)
            });
        let question = agenda.key_question.as_ref().map(ToString::to_string);
        let mut held = agenda.roles.clone();
        held.sort_by_key(|holder| holder.role);
        let roles = connection.parts.people.with(|people| {
            held.iter()
                .filter_map(|holder| {
                    let person = people
                        .iter()
                        .find(|person| person.id == holder.participant)?;
                    Some(format!(
                        "{}: {}",
                        capitalised((texts.role)(holder.role)),
                        person.name
                    ))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        });
        Some(view! {
            <section class="screen-agenda" data-testid="screen-agenda">
                <p class="screen-phase-line" data-testid="screen-phase-line">{line}</p>
                {current.as_ref().and_then(|phase| phase.spec.prompt_in(lang())).map(|prompt| view! {
                    <p class="screen-phase-prompt">{prompt.to_owned()}</p>
                })}
                {question.map(|question| view! {
                    <p class="screen-key-question" data-testid="screen-key-question">
                        <span class="screen-label">{texts.key_question}</span>" "{question}
                    </p>
                })}
                {(!roles.is_empty()).then(|| view! { <p class="hint" data-testid="screen-roles">{roles}</p> })}
                {ready.map(|ready| view! { <p class="hint" data-testid="screen-ready">{ready}</p> })}
                <p class="hint">{(texts.done_count)(done, of)}</p>
                <div inner_html=plan_html(&agenda, "screen-phase-list")></div>
            </section>
        })
    }
}

/// The formats offered, with their names.
fn formats() -> [(Format, &'static str); 11] {
    let texts = facilitation_texts();
    [
        (Format::LeanCoffee, texts.agenda_lean_coffee),
        (Format::OpenRound, texts.agenda_open_round),
        (Format::OneOnOne, texts.agenda_one_on_one),
        (Format::WorkBuddies, texts.agenda_work_buddies),
        (Format::ReverseMentoring, texts.agenda_reverse_mentoring),
        (Format::CaseConsultation, texts.agenda_case_consultation),
        (Format::Troika, texts.agenda_troika),
        (Format::OneTwoFourAll, texts.agenda_one_two_four_all),
        (
            Format::ImpromptuNetworking,
            texts.agenda_impromptu_networking,
        ),
        (Format::PeerLearning, texts.agenda_peer_learning),
        (Format::Custom, texts.agenda_custom),
    ]
}

/// The facilitator's agenda: a format to start from, Next and Back, and
/// the plan ahead reordered, shortened or lengthened.
#[component]
pub fn AgendaControls(connection: Connection) -> impl IntoView {
    let texts = facilitation_texts();
    let chosen = RwSignal::new(0usize);
    let set = move |_| {
        let formats = formats();
        let (format, _) = formats[chosen.get_untracked().min(formats.len() - 1)];
        connection.send(Command::SetAgenda { format });
    };
    let reusable = move || {
        connection.room.with(|room| {
            room.as_ref()
                .and_then(|room| room.series.last_agenda.as_ref())
                .map(|plan| plan.phases.len())
        })
    };
    let few_for_fours = Memo::new(move |_| {
        connection.room.with(|room| {
            room.as_ref().is_some_and(|room| {
                room.active_participants()
                    .filter(|person| person.presence != moot_shared::room::Presence::Gone)
                    .count()
                    < moot_shared::room::agenda::MERGE_MIN_PEOPLE
            })
        })
    });
    let picker = move || {
        let reuse = reusable().map(|phases| {
            let press = move |_| connection.send(Command::ReuseAgenda);
            view! {
                <button type="button" data-testid="agenda-reuse" on:click=press>
                    {(texts.agenda_reuse)(phases)}
                </button>
            }
        });
        // Each option's value is the format's wire name, which stays put
        // when formats are added or reordered.
        // With fewer than eight present, Next skips 1-2-4-All's fours.
        let few = few_for_fours.get();
        let options = formats()
            .iter()
            .map(|(format, name)| {
                let name = if *format == Format::OneTwoFourAll && few {
                    texts.agenda_one_two_all
                } else {
                    *name
                };
                view! { <option value=format.variant_name()>{name}</option> }
            })
            .collect_view();
        view! {
            <div class="form inline">
                <label for="agenda-format">{texts.agenda_format_label}</label>
                <select id="agenda-format" data-testid="agenda-format"
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        chosen.set(formats().iter().position(|(format, _)| format.variant_name() == value).unwrap_or(0));
                    }>
                    {options}
                </select>
                <button type="button" data-testid="agenda-set" on:click=set>{texts.agenda_use_format}</button>
                {reuse}
            </div>
        }
    };
    let plan = move || {
        let agenda = agenda(connection)?;
        let current = agenda.current().map(|phase| phase.id);
        let next = agenda.next().cloned();
        let previous = agenda.previous().map(|phase| phase.id);
        let next_button = next.map(|phase| {
            let label = (texts.agenda_next)(phase.spec.title_in(lang()), &minutes(&phase));
            let press = move |_| connection.send(Command::NextPhase { from: current, seed: 0 });
            view! {
                <button type="button" class="primary" data-testid="agenda-next" on:click=press>{label}</button>
            }
        });
        let back = previous.map(|phase| {
            let press = move |_| connection.send(Command::GoToPhase { phase, seed: 0 });
            view! { <button type="button" data-testid="agenda-back" on:click=press>{texts.agenda_back}</button> }
        });
        let end = (!agenda.ended).then(|| {
            let press = move |_| connection.send(Command::EndAgenda);
            view! { <button type="button" class="danger" data-testid="agenda-end" on:click=press>{texts.agenda_end}</button> }
        });
        // The current phase's length can change too (its timer follows);
        // only phases still to come move or go.
        let ahead = agenda
            .phases
            .iter()
            .filter(|phase| matches!(phase.state, PhaseState::Upcoming | PhaseState::Current))
            .map(|phase| {
                let upcoming = phase.state == PhaseState::Upcoming;
                let id = phase.id;
                let title = phase.spec.title.clone();
                let prompt = phase.spec.prompt.clone();
                let secs = phase.spec.planned_secs;
                let send = move |command: Command| move |_| connection.send(command.clone());
                let edit = move |delta: i64| {
                    let title = title.clone();
                    let prompt = prompt.clone();
                    let planned_secs = u32::try_from((i64::from(secs) + delta).max(0)).unwrap_or(0);
                    move |_| {
                        connection.send(Command::EditPhase {
                            phase: id,
                            title: title.clone(),
                            prompt: prompt.clone(),
                            planned_secs,
                        })
                    }
                };
                view! {
                    <li class="phase-edit" data-phase=id.0 data-state=if upcoming { "upcoming" } else { "current" }>
                        <span class="phase-title">{phase.spec.title_in(lang()).to_owned()}</span>
                        <span class="phase-minutes">{minutes(phase)}</span>
                        <span class="actions">
                            <button type="button" on:click=edit(-60)><Symbol symbol="−1" name=texts.agenda_shorter /></button>
                            <button type="button" on:click=edit(60)><Symbol symbol="+1" name=texts.agenda_longer /></button>
                            {upcoming.then(|| view! {
                                <button type="button" 
                                    on:click=send(Command::MovePhase { phase: id, direction: Direction::Up })><Symbol symbol="↑" name=texts.agenda_earlier /></button>
                                <button type="button" 
                                    on:click=send(Command::MovePhase { phase: id, direction: Direction::Down })><Symbol symbol="↓" name=texts.agenda_later /></button>
                                <button type="button" class="danger" 
                                    on:click=send(Command::RemovePhase { phase: id })><Symbol symbol="✕" name=texts.agenda_remove /></button>
                            })}
                        </span>
                    </li>
                }
            })
            .collect_view();
        let roles = agenda
            .current()
            .is_some_and(|phase| phase.spec.kind == PhaseKind::Roles)
            .then(|| view! { <RolePicker connection=connection /> });
        let has_case = agenda.phases.iter().any(|phase| {
            phase.spec.kind == PhaseKind::Roles
                || matches!(phase.spec.kind, PhaseKind::OpenTalk { listening: Some(_) })
        });
        let question = has_case.then(|| view! {
            <KeyQuestionForm connection=connection current=agenda.key_question.as_ref().map(ToString::to_string) />
        });
        Some(view! {
            <p class="actions">{next_button}{back}{end}</p>
            {roles}
            {question}
            <div inner_html=plan_html(&agenda, "agenda-rail")></div>
            <h3>{texts.agenda_ahead_heading}</h3>
            <ul class="plain-list" data-testid="agenda-ahead">{ahead}</ul>
        })
    };
    // Once a plan is set (a custom one starts empty), phases can be added
    // at its end.
    // A memo: the form is rebuilt when where it adds changes, not on every
    // event (which would clear what is being typed).
    let insert_after = Memo::new(move |_| {
        connection.room.with(|room| {
            let agenda = &room.as_ref()?.agenda;
            agenda.format?;
            Some(
                agenda
                    .phases
                    .last()
                    .filter(|phase| {
                        matches!(phase.state, PhaseState::Upcoming | PhaseState::Current)
                    })
                    .map(|phase| phase.id),
            )
        })
    });
    let insert = move || {
        let after = insert_after.get()?;
        Some(view! { <InsertPhaseForm connection=connection after=after /> })
    };
    view! {
        <section class="card" aria-labelledby="agenda-heading" data-testid="agenda-controls">
            <h2 id="agenda-heading">{texts.agenda_heading}</h2>
            {plan}
            {insert}
            {picker}
        </section>
    }
}

/// Who holds each role, picked while a roles phase is current: one choice
/// per role among the people present.
#[component]
fn RolePicker(connection: Connection) -> impl IntoView {
    let texts = facilitation_texts();
    let words = agenda_texts();
    let rows = [AgendaRole::CaseGiver, AgendaRole::Moderator, AgendaRole::Scribe]
        .into_iter()
        .map(|role| {
            let holder = with_agenda(connection, |agenda| agenda.holder(role)).flatten();
            let people = connection.parts.people.with(|people| {
                people
                    .iter()
                    .filter(|person| person.membership == Membership::Active)
                    .map(|person| (person.id, person.name.to_string()))
                    .collect::<Vec<_>>()
            });
            let choose = move |event: leptos::ev::Event| {
                let value = event_target_value(&event);
                let participant = value.parse::<uuid::Uuid>().ok().map(ParticipantId);
                connection.send(Command::AssignRole { role, participant });
            };
            let id = format!("role-{}", role.variant_name());
            let options = people
                .into_iter()
                .map(|(person, name)| {
                    let value = person.0.hyphenated().to_string();
                    view! { <option value=value selected=holder == Some(person)>{name}</option> }
                })
                .collect_view();
            view! {
                <div class="form inline">
                    <label for=id.clone()>{capitalised((words.role)(role))}</label>
                    <select id=id data-testid=format!("assign-{}", role.variant_name()) on:change=choose>
                        <option value="" selected=holder.is_none()>{texts.agenda_nobody}</option>
                        {options}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        <h3>{texts.agenda_roles_heading}</h3>
        <div data-testid="role-picker">{rows}</div>
    }
}

/// The case's key question, typed by whoever runs the meetup as the case
/// giver says it; the shared screen shows it large.
#[component]
fn KeyQuestionForm(connection: Connection, current: Option<String>) -> impl IntoView {
    let texts = facilitation_texts();
    let typed = RwSignal::new(current.unwrap_or_default());
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = typed.get_untracked();
        let question = if text.trim().is_empty() {
            None
        } else {
            match PhasePrompt::parse(&text) {
                Ok(question) => Some(question),
                Err(_) => return,
            }
        };
        connection.send(Command::SetKeyQuestion { question });
    };
    view! {
        <form class="form" on:submit=save novalidate>
            <label for="key-question">{texts.agenda_key_question_label}</label>
            <input id="key-question" data-testid="key-question" type="text"
                maxlength=moot_shared::limits::PHASE_PROMPT_MAX_CHARS.to_string()
                prop:value=move || typed.get()
                on:input=move |event| typed.set(event_target_value(&event)) />
            <button type="submit" data-testid="key-question-save">{texts.agenda_key_question_save}</button>
        </form>
    }
}

/// "Case giver" from "case giver".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A private jot pad while a silent phase is current: what is typed stays
/// in this browser (`localStorage`), never sent, so nobody else can read it;
/// it is still there after a reload and when the group comes back to the
/// phase.
#[component]
pub fn JotPad(connection: Connection) -> impl IntoView {
    let texts = agenda_texts();
    let silent = Memo::new(move |_| {
        with_agenda(connection, |agenda| {
            agenda
                .current()
                .filter(|phase| phase.spec.kind == PhaseKind::Silent)
                .map(|phase| phase.id.0)
        })
        .flatten()
    });
    move || {
        let phase = silent.get()?;
        let key = connection
            .code
            .with_value(|code| crate::storage::jot_key(code, phase));
        let kept = crate::storage::get_item(&key).unwrap_or_default();
        let keep = move |event: leptos::ev::Event| {
            crate::storage::set_item(&key, &event_target_value(&event));
        };
        Some(view! {
            <section class="card" data-testid="jot-pad">
                <label for="jot">{texts.jot_label}</label>
                <textarea id="jot" data-testid="jot" rows="5" on:input=keep>{kept}</textarea>
                <p class="hint">{texts.jot_private}</p>
            </section>
        })
    }
}

/// The kinds a facilitator can add, with their names.
fn addable_kinds() -> Vec<(PhaseKind, &'static str)> {
    let names = facilitation_texts().agenda_kinds;
    let breakouts = crate::i18n::breakout_control_texts().kinds;
    let mut kinds: Vec<(PhaseKind, &'static str)> = [
        PhaseKind::Round {
            round: moot_shared::room::queue::RoundKind::Custom,
        },
        PhaseKind::Silent,
        PhaseKind::Collect,
        PhaseKind::Vote { dots: 3 },
        PhaseKind::Discuss,
        PhaseKind::OpenTalk { listening: None },
        PhaseKind::Poll {
            poll: moot_shared::room::poll::PollKind::Consent,
        },
        PhaseKind::Roles,
        PhaseKind::Break,
        PhaseKind::Roti,
        PhaseKind::GoalReview,
    ]
    .map(|kind| (kind, names[kind.variant_index()]))
    .into();
    // Breakouts of each size, in groups that meet new people.
    kinds.extend((2..=4).zip(breakouts).map(|(size, name)| {
        (
            PhaseKind::Breakout {
                size,
                forming: moot_shared::room::breakout::Forming::Rotate,
                script: moot_shared::room::breakout::BreakoutScript::Open,
            },
            name,
        )
    }));
    kinds
}

/// Adds a phase at the end of the plan: its kind, title and minutes (a
/// round asks its title).
#[component]
fn InsertPhaseForm(connection: Connection, after: Option<PhaseId>) -> impl IntoView {
    let texts = facilitation_texts();
    let kind = RwSignal::new(0usize);
    let title = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::from("5"));
    let error = RwSignal::new(None::<String>);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let kinds = addable_kinds();
        let (kind, _) = kinds[kind.get_untracked().min(kinds.len() - 1)];
        let typed = title.get_untracked();
        let Ok(phase_title) = moot_shared::text::PhaseTitle::parse(typed.trim()) else {
            error.set(Some(texts.agenda_title_needed.to_owned()));
            return;
        };
        let planned_secs = minutes
            .get_untracked()
            .trim()
            .parse::<u32>()
            .unwrap_or(0)
            .saturating_mul(60);
        // A custom round asks its title as the question.
        let prompt = matches!(kind, PhaseKind::Round { .. })
            .then(|| PhasePrompt::parse(typed.trim()).ok())
            .flatten();
        error.set(None);
        title.set(String::new());
        connection.send(Command::InsertPhase {
            after,
            spec: moot_shared::room::agenda::PhaseSpec {
                kind,
                title: phase_title,
                prompt,
                planned_secs,
                title_key: None,
                prompt_key: None,
            },
        });
    };
    let options = addable_kinds()
        .iter()
        .enumerate()
        .map(|(index, (_, name))| view! { <option value=index.to_string()>{*name}</option> })
        .collect_view();
    view! {
        <form class="form" data-testid="agenda-insert" on:submit=add novalidate>
            <h3>{texts.agenda_add_heading}</h3>
            <label for="insert-kind">{texts.agenda_kind_label}</label>
            <select id="insert-kind" data-testid="insert-kind"
                on:change=move |event| kind.set(event_target_value(&event).parse().unwrap_or(0))>
                {options}
            </select>
            <label for="insert-title">{texts.agenda_title_label}</label>
            <input id="insert-title" data-testid="insert-title" type="text"
                maxlength=moot_shared::limits::PHASE_TITLE_MAX_CHARS.to_string()
                prop:value=move || title.get()
                on:input=move |event| title.set(event_target_value(&event)) />
            <label for="insert-minutes">{texts.agenda_minutes_label}</label>
            <input id="insert-minutes" data-testid="insert-minutes" type="number" min="0" max="240"
                prop:value=move || minutes.get()
                on:input=move |event| minutes.set(event_target_value(&event)) />
            <p class="error" role="alert">{move || error.get()}</p>
            <button type="submit" data-testid="insert-submit">{texts.agenda_add}</button>
        </form>
    }
}
