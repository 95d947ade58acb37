//! Breakouts on every screen: a phone's group (who is in it, the step and
//! one's role in it, the countdown, the group's private notes, "we're
//! done"), the shared screen's map of the groups, and the facilitator's
//! controls (move someone with one choice, next step, more time, bring
//! everyone back, the video call link).
//!
//! Which notes a phone holds is the server's business: a group's notes
//! reach only the people who are or were in it (`breakout` in the shared
//! crate), so these views show whatever notes the room holds.

use leptos::prelude::*;
use moot_shared::room::breakout::{
    Breakout, BreakoutScript, Breakouts, Group, GroupRole, GroupRule,
};
use moot_shared::{Command, ParticipantId, text};

use crate::agenda::escaped;
use crate::connection::Connection;
use crate::i18n::{
    BreakoutControlTexts, BreakoutTexts, breakout_control_texts, breakout_texts, fill, lang,
};
use crate::timer::{clock_text, ticking};

/// How often a breakout's countdown is redrawn.
const REDRAW: std::time::Duration = std::time::Duration::from_millis(500);

/// The last breakout, if it runs (closing included).
fn running(breakouts: &Option<Breakouts>) -> Option<&Breakout> {
    breakouts.as_ref()?.current()
}

/// "Ada and Bo", "Ada, Bo and Chen".
fn names_list(texts: &BreakoutTexts, names: &[String]) -> String {
    let mut out = String::new();
    for (index, name) in names.iter().enumerate() {
        if index + 1 == names.len() && index > 0 {
            out.push(' ');
            out.push_str(texts.and);
            out.push(' ');
        } else if index > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
    }
    out
}

/// The names of a group's members, `except` one.
fn member_names(
    connection: Connection,
    group: &Group,
    except: Option<ParticipantId>,
) -> Vec<String> {
    group
        .members
        .iter()
        .filter(|member| Some(**member) != except)
        .map(|member| connection.parts.name_of(*member))
        .collect()
}

/// What the current step is called, if the script names its steps.
fn step_name(texts: &BreakoutTexts, breakout: &Breakout) -> Option<&'static str> {
    let step = usize::from(breakout.step.step);
    match breakout.script {
        BreakoutScript::Troika => texts.troika_steps.get(step).copied(),
        BreakoutScript::BuddyTime => texts.buddy_steps.get(step).copied(),
        _ => None,
    }
}

/// "Round 2 of 3 · Clarifying questions", for a script with rounds or
/// named steps.
fn step_line(texts: &BreakoutTexts, breakout: &Breakout) -> Option<String> {
    let round = (breakout.script.rounds() > 1).then(|| {
        fill(
            texts.round_of,
            &[
                &(breakout.step.round + 1).to_string(),
                &breakout.script.rounds().to_string(),
            ],
        )
    });
    match (round, step_name(texts, breakout)) {
        (Some(round), Some(name)) => Some([round.as_str(), name].join(" · ")),
        (round, name) => round.or(name.map(str::to_owned)),
    }
}

/// The step line, or the phase's own title: the heading of the screen's
/// map and the facilitator's controls.
fn heading_line(connection: Connection, texts: &BreakoutTexts, breakout: &Breakout) -> String {
    step_line(texts, breakout).unwrap_or_else(|| {
        connection
            .room
            .with_untracked(|room| {
                room.as_ref()?
                    .agenda
                    .phase(breakout.phase)
                    .map(|phase| phase.spec.title_in(lang()).to_owned())
            })
            .unwrap_or_default()
    })
}

/// What someone of `role` does in the current step.
fn role_cue(texts: &BreakoutTexts, breakout: &Breakout, role: GroupRole) -> &'static str {
    let step = usize::from(breakout.step.step).min(3);
    match role {
        GroupRole::Client => texts.client_cues[step],
        GroupRole::Consultant => texts.consultant_cues[step],
        GroupRole::Mentor => texts.mentor_cue,
        GroupRole::Mentee => texts.mentee_cue,
    }
}

/// The countdown of the step, or of the way back, at `now`: "3:10 left",
/// "Back to the group in 0:25"; none for an untimed step.
fn countdown_text(
    texts: &BreakoutTexts,
    closing: Option<moot_shared::Timestamp>,
    ends: Option<moot_shared::Timestamp>,
    now: moot_shared::Timestamp,
) -> Option<String> {
    let (template, at) = match (closing, ends) {
        (Some(closing), _) => (texts.closing, closing),
        (None, Some(ends)) => (texts.left, ends),
        (None, None) => return None,
    };
    Some(fill(template, &[&clock_text(at.millis_since(now))]))
}

/// [`countdown_text`] redrawn as it runs, for the screen's map and the
/// facilitator's controls.
fn countdown(
    connection: Connection,
    texts: &'static BreakoutTexts,
    breakout: &Breakout,
) -> impl IntoView + use<> {
    let redraw = ticking(REDRAW);
    let (closing, ends) = (breakout.closing_at, breakout.step.ends_at);
    let class = if closing.is_some() {
        "breakout-closing"
    } else {
        "breakout-left"
    };
    move || {
        redraw.track();
        countdown_text(texts, closing, ends, connection.server_now())
            .map(|text| view! { <p class=class data-testid=class>{text}</p> })
    }
}

/// What a phone's group card shows, as markup (see [`GroupCard`]).
#[derive(Clone, Debug, Default, PartialEq)]
struct CardMarkup {
    /// The heading, the step, the role, the call link, groups to join,
    /// "we're done" and the notes; or after the breakout the offer to share
    /// them. (The phase's title and prompt are on the phase strip above.)
    html: String,
    /// What a screen reader announces when it changes: the step and one's
    /// part in it (the phone vibrates with it).
    cue: String,
    /// In a group of the running breakout: the note field shows.
    in_group: bool,
    /// When the step ends, and when everyone is back (closing).
    ends_at: Option<moot_shared::Timestamp>,
    closing_at: Option<moot_shared::Timestamp>,
}

/// Markup written piece by piece: tags as they are, text escaped. Plain
/// pushes rather than `format!`, which costs a phone more download.
#[derive(Default)]
struct Markup(String);

impl Markup {
    fn tag(&mut self, tag: &str) -> &mut Self {
        self.0.push_str(tag);
        self
    }

    fn text(&mut self, text: &str) -> &mut Self {
        self.0.push_str(&escaped(text));
        self
    }

    /// `<p class="…">text</p>`, the most common piece.
    fn para(&mut self, class: &str, text: &str) -> &mut Self {
        self.tag("<p class=\"")
            .tag(class)
            .tag("\">")
            .text(text)
            .tag("</p>")
    }

    /// A button whose click the card handles from `data-act` and
    /// `data-arg` (see [`GroupCard`]); `attributes` are added as written.
    fn button(
        &mut self,
        act: &str,
        arg: &str,
        testid: &str,
        attributes: &str,
        label: &str,
    ) -> &mut Self {
        self.tag("<button type=\"button\" data-act=\"")
            .tag(act)
            .tag("\" data-arg=\"")
            .tag(arg)
            .tag("\" data-testid=\"")
            .tag(testid)
            .tag("\"")
            .tag(attributes)
            .tag(">")
            .text(label)
            .tag("</button>")
    }

    /// A group's notes as a list; `remove` labels a button on each that
    /// takes it off.
    fn notes(&mut self, group: &Group, remove: Option<&str>) -> &mut Self {
        self.tag("<ul class=\"plain-list\">");
        for note in &group.notes {
            self.tag("<li class=\"group-note\" data-testid=\"group-note\"><span>")
                .text(note.text.as_str())
                .tag("</span>");
            if let Some(label) = remove {
                let attributes = ["class=\"small\" aria-label=\"", &escaped(label), "\""].concat();
                self.button(
                    "remove",
                    &note.id.0.to_string(),
                    "group-note-remove",
                    &[" ", &attributes].concat(),
                    "✕",
                );
            }
            self.tag("</li>");
        }
        self.tag("</ul>")
    }
}

/// The role's name in markup attributes.
fn role_key(role: GroupRole) -> &'static str {
    match role {
        GroupRole::Client => "client",
        GroupRole::Consultant => "consultant",
        GroupRole::Mentor => "mentor",
        GroupRole::Mentee => "mentee",
    }
}

/// The card while the breakout runs, for `me`.
fn running_markup(
    connection: Connection,
    texts: &BreakoutTexts,
    breakout: &Breakout,
    me: ParticipantId,
) -> CardMarkup {
    let group = breakout.group_of(me);
    let number = group.map_or(0, |group| group.number.0).to_string();
    let heading = match group {
        Some(group) => {
            let others = member_names(connection, group, Some(me));
            if others.is_empty() {
                fill(texts.group, &[&number])
            } else {
                fill(texts.with, &[&number, &names_list(texts, &others)])
            }
        }
        None => texts.waiting.to_owned(),
    };
    let mut rest = Markup::default();
    rest.tag("<h2 id=\"group-heading\" data-testid=\"my-group\" data-group=\"")
        .tag(&number)
        .tag("\">")
        .text(&heading)
        .tag("</h2>");
    if let Some(line) = step_line(texts, breakout) {
        rest.tag("<p class=\"breakout-step\" data-testid=\"breakout-step\">")
            .text(&line)
            .tag("</p>");
    }
    if let Some(role) = breakout.role_of(me) {
        let listening = breakout.script.listens(breakout.step.step, Some(role));
        rest.tag("<p class=\"breakout-role")
            .tag(if listening { " listening" } else { "" })
            .tag("\" data-testid=\"my-role\" data-role=\"")
            .tag(role_key(role))
            .tag("\">")
            .text(role_cue(texts, breakout, role))
            .tag("</p>");
    }
    if let Some(link) = group.and_then(|group| breakout.call_link_of(group.number)) {
        rest.tag("<p><a class=\"button\" target=\"_blank\" rel=\"noopener noreferrer\" data-testid=\"call-link\" href=\"")
            .text(&link)
            .tag("\">")
            .text(&fill(texts.call_link, &[&number]))
            .tag("</a></p>");
    }
    // Alone in a group, or in none: the groups one may join.
    if group.is_none_or(|group| group.members.len() < 2) {
        rest.para(
            "hint",
            if group.is_some() {
                texts.alone
            } else {
                texts.no_group
            },
        )
        .tag("<p class=\"actions\">");
        for other in &breakout.groups {
            if other.members.is_empty() || Some(other.number) == group.map(|group| group.number) {
                continue;
            }
            let other_number = other.number.0.to_string();
            let names = names_list(texts, &member_names(connection, other, None));
            rest.button(
                "join",
                &other_number,
                "join-group",
                "",
                &fill(texts.join_group, &[&other_number, &names]),
            );
        }
        rest.tag("</p>");
    }
    if let Some(group) = group {
        rest.tag("<p class=\"actions\">")
            .button(
                "done",
                if group.done { "false" } else { "true" },
                "group-done",
                if group.done {
                    " aria-pressed=\"true\""
                } else {
                    " aria-pressed=\"false\""
                },
                texts.done,
            )
            .tag("</p><h3>")
            .text(texts.notes_heading)
            .tag("</h3>")
            .para("hint", texts.notes_private)
            .notes(group, Some(texts.remove_note));
    }
    let step = step_line(texts, breakout).unwrap_or_default();
    let cue = match breakout.role_of(me) {
        Some(role) => [step.as_str(), role_cue(texts, breakout, role)].join(". "),
        None => step,
    };
    CardMarkup {
        html: rest.0,
        cue,
        in_group: group.is_some(),
        ends_at: breakout.step.ends_at,
        closing_at: breakout.closing_at,
    }
}

/// After a breakout, in its phase or the next: one's group's notes and the
/// offer to share them with everyone.
fn share_markup(
    connection: Connection,
    texts: &BreakoutTexts,
    breakout: &Breakout,
    me: ParticipantId,
) -> Option<CardMarkup> {
    let group = breakout
        .groups
        .iter()
        .find(|group| group.audience.contains(&me) && !group.notes.is_empty())?;
    let recent = connection.room.with_untracked(|room| {
        let agenda = &room.as_ref()?.agenda;
        let current = agenda.current()?.id;
        Some(
            current == breakout.phase
                || agenda.previous().map(|phase| phase.id) == Some(breakout.phase),
        )
    })?;
    recent.then_some(())?;
    let mut rest = Markup::default();
    rest.tag("<h2 id=\"group-heading\" data-testid=\"group-share\">")
        .text(texts.share_heading)
        .tag("</h2>")
        .notes(group, None);
    if group.shared {
        rest.tag("<p class=\"hint\" data-testid=\"group-shared\">")
            .text(texts.shared)
            .tag("</p>");
    } else {
        rest.para("hint", texts.share_hint).button(
            "share",
            &breakout.id.0.to_string(),
            "group-share-button",
            " class=\"primary\"",
            texts.share,
        );
    }
    Some(CardMarkup {
        html: rest.0,
        ..CardMarkup::default()
    })
}

/// A phone's group during a breakout, and afterwards the offer to share
/// its notes. Written as markup redrawn when the group changes, with one
/// click handler for its buttons (`data-act`): on a phone every separately
/// reactive piece of a view costs download. The countdown and the note
/// field are views of their own, so a tick or a new note never takes the
/// text being typed or the focus away.
#[component]
pub fn GroupCard(connection: Connection) -> impl IntoView {
    let texts = breakout_texts();
    let breakouts = connection.parts.breakouts;
    let me = connection.me;
    let card = Memo::new(move |_| {
        let me = me.get()?;
        breakouts.with(|breakouts| {
            let last = breakouts.as_ref()?.runs.last()?;
            if last.is_open() {
                Some(running_markup(connection, texts, last, me))
            } else {
                share_markup(connection, texts, last, me)
            }
        })
    });
    // Cue a step change and the call back, as a turn is cued.
    Effect::new(
        move |seen: Option<
            Option<(
                Option<moot_shared::Timestamp>,
                Option<moot_shared::Timestamp>,
            )>,
        >| {
            let now = card.with(|card| card.as_ref().map(|card| (card.ends_at, card.closing_at)));
            if seen.is_some_and(|seen| seen.is_some() && seen != now) && now.is_some() {
                crate::cue::cue();
            }
            now
        },
    );
    let act = move |event: leptos::ev::MouseEvent| {
        let Some(button) = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
            .and_then(|target| target.closest("[data-act]").ok().flatten())
        else {
            return;
        };
        let arg = button.get_attribute("data-arg").unwrap_or_default();
        let number = arg.parse::<u32>().ok();
        let command = match (button.get_attribute("data-act").as_deref(), number) {
            (Some("join"), Some(number)) => Some(Command::JoinGroup {
                group: moot_shared::room::breakout::GroupNumber(number as u8),
            }),
            (Some("done"), _) => Some(Command::SetGroupDone {
                done: arg == "true",
            }),
            (Some("remove"), Some(number)) => Some(Command::RemoveGroupNote {
                note: moot_shared::room::breakout::GroupNoteId(number),
            }),
            (Some("share"), Some(number)) => Some(Command::ShareGroupNotes {
                breakout: moot_shared::room::breakout::BreakoutId(number as u16),
            }),
            _ => None,
        };
        if let Some(command) = command {
            connection.send(command);
        }
    };
    let redraw = ticking(REDRAW);
    let countdown = move || {
        redraw.track();
        let (closing, ends) =
            card.with(|card| card.as_ref().map(|card| (card.closing_at, card.ends_at)))?;
        countdown_text(texts, closing, ends, connection.server_now())
    };
    // The field is read when the form is sent, not kept in a signal (read
    // as a property: a cast to the input's type would cost the phone a
    // type check it has nowhere else).
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = document().get_element_by_id("group-note-input") else {
            return;
        };
        let value = js_sys::Reflect::get(&input, &"value".into())
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default();
        let command = text::field("text", &value).map(|text| Command::AddGroupNote { text });
        if connection.submit(command) {
            let _ = js_sys::Reflect::set(&input, &"value".into(), &"".into());
        }
    };
    // One view, always there and hidden while there is nothing to show: a
    // view that comes and goes costs a phone more download than one
    // attribute.
    view! {
        <section class="card breakout" aria-labelledby="group-heading" data-testid="group-card"
            hidden=move || card.with(Option::is_none) on:click=act>
            <p class="breakout-left" data-testid="breakout-left">{countdown}</p>
            // Announced as it changes, as the phone vibrates.
            <p class="visually-hidden" role="status">{move || card.with(|card| card.as_ref().map(|card| card.cue.clone()))}</p>
            <div inner_html=move || card.with(|card| card.as_ref().map(|card| card.html.clone()))></div>
            <form class="form inline" on:submit=add novalidate
                hidden=move || card.with(|card| !card.as_ref().is_some_and(|card| card.in_group))>
                <label class="visually-hidden" for="group-note-input">{texts.note_label}</label>
                <input id="group-note-input" data-testid="group-note-input" type="text" placeholder=texts.note_label
                    maxlength=moot_shared::limits::GROUP_NOTE_MAX_CHARS.to_string() />
                <button type="submit" data-testid="group-note-add">{texts.add_note}</button>
            </form>
        </section>
    }
}

/// The role names on the map: "Client: Ada".
fn role_name(texts: &BreakoutControlTexts, role: GroupRole) -> &'static str {
    match role {
        GroupRole::Client => texts.roles[0],
        GroupRole::Consultant => texts.roles[1],
        GroupRole::Mentor => texts.roles[2],
        GroupRole::Mentee => texts.roles[3],
    }
}

/// One group on the map: its number, its members (the roles that stand
/// out named), done.
fn map_group(
    connection: Connection,
    texts: &'static BreakoutTexts,
    breakout: &Breakout,
    group: &Group,
) -> impl IntoView + use<> {
    let controls = breakout_control_texts();
    let members = group
        .members
        .iter()
        .map(|member| {
            let name = connection.parts.name_of(*member);
            match breakout.role_of(*member) {
                Some(role @ (GroupRole::Client | GroupRole::Mentor)) => {
                    format!("{name} ({})", role_name(controls, role))
                }
                _ => name,
            }
        })
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="group-tile" data-testid="map-group" data-group=group.number.0.to_string() data-done=group.done.to_string()>
            <strong>{fill(texts.group, &[&group.number.0.to_string()])}</strong>
            {group.done.then(|| view! { <span class="badge">"✓ "{controls.done_mark}</span> })}
            <span class="group-members">{members}</span>
        </li>
    }
}

/// The shared screen during a breakout: every group with its members and
/// its step, never a group's notes; after it, the notes groups shared.
#[component]
pub fn ScreenBreakout(connection: Connection) -> impl IntoView {
    let texts = breakout_texts();
    let controls = breakout_control_texts();
    let breakouts = connection.parts.breakouts;
    move || {
        breakouts.with(|breakouts| {
            let last = breakouts.as_ref()?.runs.last()?;
            if last.is_open() {
                let groups = last
                    .groups
                    .iter()
                    .filter(|group| !group.members.is_empty())
                    .map(|group| map_group(connection, texts, last, group))
                    .collect_view();
                return Some(view! {
                    <section class="screen-breakout" aria-labelledby="screen-breakout-heading" data-testid="screen-breakout">
                        <h2 id="screen-breakout-heading">{heading_line(connection, texts, last)}</h2>
                        {countdown(connection, texts, last)}
                        <ul class="group-map">{groups}</ul>
                    </section>
                }.into_any());
            }
            let shared: Vec<&Group> = last.groups.iter().filter(|group| group.shared).collect();
            if shared.is_empty() {
                return None;
            }
            let groups = shared
                .into_iter()
                .map(|group| view! {
                    <li class="group-tile" data-testid="screen-shared-notes">
                        <strong>{fill(texts.group, &[&group.number.0.to_string()])}</strong>
                        <ul class="plain-list">
                            {group.notes.iter().map(|note| view! { <li>{note.text.to_string()}</li> }).collect_view()}
                        </ul>
                    </li>
                })
                .collect_view();
            Some(view! {
                <section class="screen-breakout" aria-labelledby="screen-shared-heading">
                    <h2 id="screen-shared-heading">{controls.shared_notes_heading}</h2>
                    <ul class="group-map">{groups}</ul>
                </section>
            }.into_any())
        })
    }
}

/// Whoever runs the meetup during a breakout phase: split into groups; the
/// groups with a move for each person; next step, more time, bring
/// everyone back; copy the groups for a video call; the call link.
#[component]
pub fn BreakoutControls(connection: Connection) -> impl IntoView {
    let texts = breakout_texts();
    let controls = breakout_control_texts();
    let breakouts = connection.parts.breakouts;
    // The current phase, while it is a breakout.
    let phase = Memo::new(move |_| {
        connection.room.with(|room| {
            let phase = room.as_ref()?.agenda.current()?;
            matches!(
                phase.spec.kind,
                moot_shared::room::agenda::PhaseKind::Breakout { .. }
            )
            .then_some(phase.id)
        })
    });
    let start = move || {
        let phase = phase.get()?;
        breakouts
            .with(|breakouts| running(breakouts).is_none())
            .then_some(())?;
        let command = Command::StartBreakout { phase, seed: 0 };
        let refusal = connection.refusal(command.clone());
        Some(view! {
            <section class="card breakout" data-testid="breakout-start">
                <h2>{controls.heading}</h2>
                <button type="button" class="primary" data-testid="breakout-start-button"
                    disabled=refusal.is_some() on:click=move |_| connection.send(command.clone())>{controls.start}</button>
                {refusal.map(|reason| view! { <p class="hint">{crate::i18n::t().rejection(&reason, &reason.to_string())}</p> })}
            </section>
        })
    };
    let controls = move || {
        breakouts.with(|breakouts| {
            let run = running(breakouts)?.clone();
            Some(running_controls(connection, texts, run))
        })
    };
    view! { {start} {controls} }
}

/// The controls while a breakout runs.
fn running_controls(
    connection: Connection,
    texts: &'static BreakoutTexts,
    run: Breakout,
) -> impl IntoView + use<> {
    let controls = breakout_control_texts();
    let rule = controls.rules[match run.rule {
        GroupRule::RoundRobin => 0,
        GroupRule::FewestRepeats => 1,
        GroupRule::Shuffled => 2,
        GroupRule::Kept => 3,
        GroupRule::Merged => 4,
    }];
    let numbers: Vec<u8> = run.groups.iter().map(|group| group.number.0).collect();
    let next_number = numbers.iter().max().copied().unwrap_or(0).saturating_add(1);
    let groups = run
        .groups
        .iter()
        .filter(|group| !group.members.is_empty())
        .map(|group| {
            let members = group
                .members
                .iter()
                .map(|member| {
                    let member = *member;
                    let name = connection.parts.name_of(member);
                    let role = run.role_of(member).map(|role| role_name(controls, role));
                    let options = numbers
                        .iter()
                        .map(|number| view! {
                            <option value=number.to_string() selected=*number == group.number.0>{fill(texts.group, &[&number.to_string()])}</option>
                        })
                        .collect_view();
                    let choose = move |event: leptos::ev::Event| {
                        let value = event_target_value(&event);
                        let group = match value.as_str() {
                            "none" => None,
                            number => number.parse::<u8>().ok().map(moot_shared::room::breakout::GroupNumber),
                        };
                        connection.send(Command::MoveToGroup { participant: member, group });
                    };
                    let select_id = format!("move-{}", member.0.simple());
                    view! {
                        <li class="group-member">
                            <label for=select_id.clone()>{name.clone()}{role.map(|role| format!(" ({role})"))}</label>
                            <select id=select_id data-testid="move-member" aria-label=fill(controls.move_label, &[&name]) on:change=choose>
                                {options}
                                <option value=next_number.to_string()>{controls.new_group}</option>
                                <option value="none">{controls.out_of_groups}</option>
                            </select>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class="group-tile" data-testid="control-group" data-group=group.number.0.to_string()>
                    <strong>{fill(texts.group, &[&group.number.0.to_string()])}</strong>
                    {group.done.then(|| view! { <span class="badge">"✓ "{controls.done_mark}</span> })}
                    <ul class="plain-list">{members}</ul>
                </li>
            }
        })
        .collect_view();
    let unassigned: Vec<String> = connection.room.with_untracked(|room| {
        room.as_ref()
            .map(|room| {
                room.active_participants()
                    .filter(|person| person.presence != moot_shared::room::Presence::Gone)
                    .filter(|person| run.group_of(person.id).is_none())
                    .map(|person| person.name.to_string())
                    .collect()
            })
            .unwrap_or_default()
    });
    let closing = run.closing_at.is_some();
    let next = run
        .script
        .next(run.step.round, run.step.step)
        .filter(|_| !closing)
        .map(|_| {
            let command = Command::NextBreakoutStep { round: run.step.round, step: run.step.step };
            view! { <button type="button" data-testid="breakout-next-step" on:click=move |_| connection.send(command.clone())>{controls.next_step}</button> }
        });
    let copy_text = run
        .groups
        .iter()
        .filter(|group| !group.members.is_empty())
        .map(|group| {
            format!(
                "{}: {}",
                fill(texts.group, &[&group.number.0.to_string()]),
                member_names(connection, group, None).join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(" / ");
    let copy = move |_| {
        let navigator: wasm_bindgen::JsValue = window().navigator().into();
        if let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into())
            && let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into())
            && let Ok(write) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(write)
        {
            let _ = write.call1(&clipboard, &copy_text.clone().into());
        }
    };
    let link = RwSignal::new(
        run.call_link
            .as_ref()
            .map(|link| link.as_str().to_owned())
            .unwrap_or_default(),
    );
    let save_link = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let command = text::optional_field("link", &link.get_untracked())
            .map(|link| Command::SetCallLink { link });
        connection.submit(command);
    };
    view! {
        <section class="card breakout" aria-labelledby="breakout-controls-heading" data-testid="breakout-controls">
            <h2 id="breakout-controls-heading">{heading_line(connection, texts, &run)}</h2>
            {countdown(connection, texts, &run)}
            <p class="hint" data-testid="breakout-rule">{rule}" · "{fill(controls.seed, &[&run.seed.to_string()])}</p>
            <ul class="group-map">{groups}</ul>
            {(!unassigned.is_empty()).then(|| view! {
                <p class="hint" data-testid="unassigned">{texts.waiting}": "{unassigned.join(", ")}</p>
            })}
            <p class="actions">
                {next}
                <button type="button" data-testid="breakout-more-time" on:click=move |_| connection.send(Command::ExtendBreakout { delta_secs: 120 })>{controls.more_time}</button>
                {if closing {
                    view! { <button type="button" class="primary" data-testid="breakout-back-now" on:click=move |_| connection.send(Command::EndBreakout { countdown_secs: 0 })>{controls.back_now}</button> }.into_any()
                } else {
                    view! { <button type="button" class="primary" data-testid="breakout-bring-back" on:click=move |_| connection.send(Command::EndBreakout { countdown_secs: moot_shared::limits::BREAKOUT_COUNTDOWN_SECS })>{controls.bring_back}</button> }.into_any()
                }}
                <button type="button" data-testid="breakout-copy" on:click=copy>{controls.copy}</button>
            </p>
            <form class="form inline" on:submit=save_link novalidate>
                <label for="call-link">{controls.link_label}</label>
                <input id="call-link" data-testid="call-link-input" type="url"
                    maxlength=moot_shared::limits::CALL_LINK_MAX_CHARS.to_string()
                    prop:value=move || link.get() on:input=move |event| link.set(event_target_value(&event)) />
                <button type="submit" data-testid="call-link-save">{controls.link_save}</button>
            </form>
        </section>
    }
}
