//! The people of a meetup, on every page that shows them: the header (title,
//! code, who I am), who stands in for an absent facilitator, the list of
//! participants with their presence (and, for whoever runs the meetup, each
//! person's actions), and renaming or leaving. Used by the participant's
//! column ([`crate::room`]), the facilitator's surface and the shared screen.

use leptos::prelude::*;
use moot_shared::protocol::parse_display_name;
use moot_shared::room::{Membership, Participant, Role};
use moot_shared::{Command, JoinCode};

use crate::app::{app_context, facilitation_only};
use crate::connection::Connection;
use crate::facilitator::ParticipantActions;
use crate::i18n::t;

/// Title, code and who I am.
#[component]
pub fn RoomHeader(connection: Connection) -> impl IntoView {
    let texts = t();
    let room = connection.room;
    let title = move || room.with(|room| room.as_ref().map(|room| room.title.to_string()));
    let code = connection.code.with_value(JoinCode::display_grouped);
    let locked = move || room.with(|room| room.as_ref().is_some_and(|room| room.locked));
    let my_name = move || {
        let id = connection.me.get()?;
        room.with(|room| Some(room.as_ref()?.participant(id)?.name.to_string()))
    };
    view! {
        <section class="card room-header">
            <h1 data-testid="room-title">{title}</h1>
            <p class="meta">
                <span>{texts.code_label}" "<strong class="code" data-testid="join-code-display">{code}</strong></span>
                <Show when=locked><span class="badge badge-locked">{texts.locked_badge}</span></Show>
            </p>
            <p class="meta">{texts.you_are}" "<strong data-testid="me-name">{my_name}</strong></p>
        </section>
    }
}

/// Who stands in for the facilitator, while the meetup falls back (on
/// every phone, the facilitator's laptop and the shared screen); nothing
/// otherwise.
#[component]
pub fn StandInNotice(connection: Connection) -> impl IntoView {
    let texts = t();
    let notice = move || {
        connection.room.with(|room| {
            let room = room.as_ref()?;
            let stand_in = room.fallback.stand_in.as_ref()?;
            let name = |id| room.participant(id).map(|person| person.name.to_string());
            let owner = name(stand_in.owner)?;
            let me = connection.me.get();
            Some(if stand_in.reclaim_at.is_some() {
                if me == Some(stand_in.owner) {
                    texts.you_return.to_owned()
                } else {
                    (texts.owner_returning)(&owner)
                }
            } else if me == Some(stand_in.by) {
                (texts.you_stand_in)(&owner)
            } else {
                (texts.stands_in)(&name(stand_in.by)?, &owner)
            })
        })
    };
    move || {
        notice().map(|text| {
            view! { <p class="stand-in" role="status" data-testid="stand-in">{text}</p> }
        })
    }
}

/// The participant list: everyone active, with presence in words and a role
/// badge. With `with_actions` (whether the viewer runs the meetup), they get
/// per-person controls.
#[component]
pub fn ParticipantList(
    connection: Connection,
    #[prop(optional, into)] with_actions: Option<Signal<bool>>,
) -> impl IntoView {
    let texts = t();
    let runs_meetup = move || with_actions.is_some_and(|runs| runs.get());
    let rows = move || {
        let me = connection.me.get();
        let runs = runs_meetup();
        connection.parts.people.with(|people| {
            people
                .iter()
                .filter(|person| person.membership == Membership::Active)
                .map(|participant| (participant.clone(), me == Some(participant.id), runs))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ul class="people" data-testid="participant-list">
            <For
                each=rows
                // Everything a row shows is in its key, so a changed row is redrawn.
                key=|(participant, is_me, viewer)| (
                    participant.id,
                    participant.name.to_string(),
                    (participant.role, participant.presence, *is_me, *viewer),
                )
                children=move |(participant, is_me, runs)| {
                    let actions = (runs && !is_me)
                        .then(|| facilitation_only(|| view! {
                            <ParticipantActions connection=connection target=participant.clone() />
                        }.into_any()))
                        .flatten();
                    view! { <ParticipantRow participant=participant is_me=is_me texts=texts>{actions}</ParticipantRow> }
                }
            />
        </ul>
    }
}

/// One person in the list.
#[component]
fn ParticipantRow(
    participant: Participant,
    is_me: bool,
    texts: &'static crate::i18n::Texts,
    children: Children,
) -> impl IntoView {
    let presence = texts.presence(participant.presence);
    let role = match participant.role {
        Role::Facilitator => "facilitator",
        Role::CoFacilitator => "co_facilitator",
        Role::Participant => "participant",
    };
    let presence_key = presence_key(participant.presence);
    view! {
        <li data-testid="participant" class="person"
            data-participant-id=participant.id.0.hyphenated().to_string()
            data-presence=presence_key data-role=role>
            <span class="person-main">
                <span class=format!("presence presence-{presence_key}") aria-hidden="true"></span>
                <span class="person-name" data-testid="participant-name">{participant.name.to_string()}</span>
                {is_me.then_some(texts.you_marker).map(|marker| view! { <span class="you">{marker}</span> })}
                {texts.role(participant.role).map(|badge| view! { <span class="badge">{badge}</span> })}
                <span class=format!("presence-label presence-label-{presence_key}")>{presence}</span>
            </span>
            {children()}
        </li>
    }
}

fn presence_key(presence: moot_shared::room::Presence) -> &'static str {
    match presence {
        moot_shared::room::Presence::Here => "here",
        moot_shared::room::Presence::Away => "away",
        moot_shared::room::Presence::Gone => "gone",
    }
}

/// Rename myself; leave.
#[component]
pub fn MeSection(connection: Connection) -> impl IntoView {
    let texts = t();
    let app = app_context();
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let rename = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = new_name.get_untracked();
        match parse_display_name(&typed) {
            Ok(name) => {
                error.set(None);
                connection.send(Command::Rename { name });
                new_name.set(String::new());
            }
            Err(reason) => error.set(Some(texts.rejection(&reason, ""))),
        }
    };
    let is_facilitator = move || {
        let id = connection.me.get();
        connection.room.with(|room| {
            room.as_ref()
                .and_then(|room| room.participant(id?))
                .is_some_and(|me| me.role == Role::Facilitator)
        })
    };
    let leave = move |_| {
        if window()
            .confirm_with_message(texts.leave_confirm)
            .unwrap_or(false)
        {
            connection.send(Command::Leave);
        }
    };
    let _ = app;
    view! {
        <section class="card" aria-labelledby="me-heading">
            <h2 id="me-heading">{texts.rename_label}</h2>
            <form class="form inline" on:submit=rename novalidate>
                <label for="rename-input" class="visually-hidden">{texts.rename_label}</label>
                <input id="rename-input" data-testid="rename-input" type="text" autocomplete="nickname"
                    maxlength=moot_shared::DisplayName::MAX_CHARS.to_string()
                    prop:value=move || new_name.get()
                    on:input=move |event| new_name.set(event_target_value(&event)) />
                <button type="submit" data-testid="rename-submit">{texts.rename_submit}</button>
            </form>
            <p class="error" role="alert">{move || error.get()}</p>
            // The facilitator hands over first; the button says so by being absent.
            <Show when=move || !is_facilitator()>
                <button type="button" class="danger" data-testid="leave-button" on:click=leave>{texts.leave}</button>
            </Show>
        </section>
    }
}
