//! The facilitator's controls: the invitation (code, join link, QR code and
//! the shared screen), the settings panel's lock, seat cap, fallback and
//! screen link, and the menu of per-person actions in the participant list.
//! Shown to facilitators and co-facilitators (laid out by
//! [`crate::surface`]); the reducer decides what each may do, and these
//! controls only offer what it would accept.

use leptos::prelude::*;
use moot_shared::limits::MAX_SEAT_CAP;
use moot_shared::room::{FallbackMode, Membership, Participant};
use moot_shared::{Command, ParticipantId};

use crate::app::{Symbol, app_context};
use crate::connection::Connection;
use crate::i18n::{facilitation_texts, t};

/// The settings panel's meetup settings: lock, seat cap, who stands in,
/// and the shared screen's link (a new one, or none).
#[component]
pub fn FacilitatorPanel(connection: Connection) -> impl IntoView {
    let texts = t();
    let room = connection.room;
    let locked = move || room.with(|room| room.as_ref().is_some_and(|room| room.locked));
    let seat_cap = move || room.with(|room| room.as_ref().map_or(0, |room| room.seat_cap));
    let cap_input = RwSignal::new(String::new());
    let cap_error = RwSignal::new(None::<String>);

    let toggle_lock = move |_| {
        connection.send(if locked() {
            Command::Unlock
        } else {
            Command::Lock
        });
    };
    let set_cap = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match cap_input.get_untracked().trim().parse::<u16>() {
            Ok(seat_cap) => {
                cap_error.set(None);
                connection.send(Command::SetSeatCap { seat_cap });
                cap_input.set(String::new());
            }
            Err(_) => cap_error.set(Some(facilitation_texts().seat_cap_invalid.to_owned())),
        }
    };
    let screen_active = move || screen_active(connection);
    let new_screen_link = move |_| connection.send(Command::NewScreenLink { key: None });
    let stop_screen_link = move |_| {
        if window()
            .confirm_with_message(facilitation_texts().stop_screen_confirm)
            .unwrap_or(false)
        {
            connection.send(Command::StopScreenLink);
        }
    };

    view! {
        <section class="card" aria-labelledby="controls-heading">
            <h2 id="controls-heading">{texts.controls_heading}</h2>
            <p class="hint">{move || (facilitation_texts().lock_state)(locked())}</p>
            <button type="button" data-testid="lock-toggle" data-locked=move || locked().to_string()
                aria-pressed=move || locked().to_string() on:click=toggle_lock>
                {move || if locked() { facilitation_texts().unlock } else { facilitation_texts().lock }}
            </button>
            <form class="form inline" on:submit=set_cap novalidate>
                <label for="seat-cap-input">{facilitation_texts().seat_cap_label}</label>
                <input id="seat-cap-input" data-testid="seat-cap-input" type="number" inputmode="numeric"
                    min="1" max=MAX_SEAT_CAP.to_string() aria-describedby="seat-cap-now"
                    placeholder=move || seat_cap().to_string()
                    prop:value=move || cap_input.get()
                    on:input=move |event| cap_input.set(event_target_value(&event)) />
                <button type="submit" data-testid="seat-cap-submit">{facilitation_texts().seat_cap_submit}</button>
            </form>
            <p id="seat-cap-now" class="hint">{move || (facilitation_texts().seat_cap_now)(seat_cap())}</p>
            <p class="error" role="alert">{move || cap_error.get()}</p>
            <FallbackSetting connection=connection />

            <h3>{facilitation_texts().screen_heading}</h3>
            <p class="hint" data-testid="screen-link-state">
                {move || if screen_active() { facilitation_texts().screen_link_hint } else { facilitation_texts().screen_link_stopped }}
            </p>
            <p class="actions">
                <button type="button" data-testid="new-screen-link" on:click=new_screen_link
                    disabled=move || !connection.allows(Command::NewScreenLink { key: None })>
                    {move || if screen_active() { facilitation_texts().new_screen_link } else { facilitation_texts().make_screen_link }}
                </button>
                <Show when=screen_active>
                    <button type="button" class="danger" data-testid="stop-screen-link" on:click=stop_screen_link>
                        {facilitation_texts().stop_screen_link}
                    </button>
                </Show>
            </p>
        </section>
    }
}

/// Whether the meetup has a shared screen link.
fn screen_active(connection: Connection) -> bool {
    connection
        .room
        .with(|room| room.as_ref().is_some_and(|room| room.screen.active))
}

/// The shared screen's address, for its "Open" link. The screen has a link
/// of its own (never this page's login): read from the server, and again
/// whenever it is replaced or stopped.
pub fn screen_url(connection: Connection) -> RwSignal<Option<String>> {
    let room = connection.room;
    let code = connection.code.get_value();
    let screen_url = RwSignal::new(None::<String>);
    let screen_changes =
        Memo::new(move |_| room.with(|room| room.as_ref().map(|room| room.screen.changes)));
    let screen_path = format!("/api/meetups/{code}/screen");
    Effect::new(move || {
        if screen_changes.get().is_none() {
            return;
        }
        let Some(token) = connection.token() else {
            return;
        };
        let path = screen_path.clone();
        leptos::task::spawn_local(async move {
            let answer = crate::lifecycle::authorised("GET", &path, &token).await;
            screen_url.set(answer.as_deref().and_then(screen_url_in));
        });
    });
    screen_url
}

/// The invitation: the join code, the join link to copy, its QR code, and
/// the shared screen to open.
#[component]
pub fn Invite(connection: Connection, screen_url: RwSignal<Option<String>>) -> impl IntoView {
    let texts = facilitation_texts();
    let app = app_context();
    let origin = window().location().origin().unwrap_or_default();
    let code = connection.code.get_value();
    let join_url = format!("{origin}/j/{code}");
    let copy_url = join_url.clone();
    let copy = move |_| copy_text(&copy_url, app.notices);
    // The server draws the QR code (the shared screen shows the same one).
    let qr = format!("/api/meetups/{code}/qr.svg");
    view! {
        <div class="fac-invite-body">
            <img class="fac-qr" data-testid="invite-qr" src=qr alt=texts.screen_qr_alt width="160" height="160" />
            <div class="fac-invite-text">
                <p class="fac-invite-code">
                    <span class="hint">{texts.screen_code_label}" "</span>
                    <strong class="code" data-testid="invite-code">{code.display_grouped()}</strong>
                </p>
                <p class="link-line">
                    <span class="hint">{texts.join_link_label}": "</span>
                    <a data-testid="join-link" href=join_url.clone() class="join-link">{join_url.clone()}</a>
                </p>
                <p class="actions">
                    <button type="button" data-testid="copy-join-link" on:click=copy>{texts.copy}</button>
                    <Show when=move || screen_active(connection) && screen_url.with(Option::is_some)
                        fallback=move || view! { <span class="hint">{texts.screen_link_stopped}</span> }>
                        <a class="button primary" data-testid="open-screen-link" href=move || screen_url.get().unwrap_or_default()
                            target="_blank" rel="noopener">
                            {texts.open_screen}
                        </a>
                    </Show>
                </p>
            </div>
        </div>
    }
}

/// Who takes over when the facilitator's laptop drops out: offered to the
/// facilitator (the reducer refuses it from anyone else).
#[component]
fn FallbackSetting(connection: Connection) -> impl IntoView {
    let texts = facilitation_texts();
    let mode = move || {
        connection.room.with(|room| {
            room.as_ref()
                .map(|room| room.fallback.mode)
                .unwrap_or_default()
        })
    };
    let allowed = move || {
        connection.allows(Command::SetFallback {
            mode: FallbackMode::Off,
        })
    };
    let choose = move |event: leptos::ev::Event| {
        let picked = event_target_value(&event);
        if let Some(mode) = FallbackMode::ALL
            .into_iter()
            .find(|mode| fallback_value(*mode) == picked)
        {
            connection.send(Command::SetFallback { mode });
        }
    };
    move || {
        allowed().then(|| {
            view! {
                <p class="form">
                    <label for="fallback-mode">{texts.fallback_label}</label>
                    <select id="fallback-mode" data-testid="fallback-mode" on:change=choose>
                        {FallbackMode::ALL.into_iter().map(|option| view! {
                            <option value=fallback_value(option) selected=move || mode() == option>
                                {(texts.fallback_mode)(option)}
                            </option>
                        }).collect_view()}
                    </select>
                </p>
            }
        })
    }
}

/// The value a fallback mode has in the picker.
fn fallback_value(mode: FallbackMode) -> &'static str {
    match mode {
        FallbackMode::Automatic => "automatic",
        FallbackMode::CoFacilitatorsOnly => "co_facilitators_only",
        FallbackMode::Off => "off",
    }
}

/// The `screen_url` of the server's answer to `GET …/screen`, if there is a
/// link.
fn screen_url_in(answer: &str) -> Option<String> {
    let answer = moot_shared::json::Json::parse(answer).ok()?;
    let fields = answer.fields().ok()?;
    Some(fields.get("screen_url")?.as_str().ok()?.to_owned())
}

/// Copies to the clipboard where the browser allows it (secure contexts only).
fn copy_text(text: &str, notices: crate::app::Notices) {
    let navigator = window().navigator();
    // `navigator.clipboard` is missing on plain-http LAN addresses; check first
    // rather than call a method on `undefined`.
    let available = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|clipboard| !clipboard.is_undefined());
    if !available {
        notices.show_toast(facilitation_texts().copy_failed);
        return;
    }
    let promise = navigator.clipboard().write_text(text);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => notices.announce(t().copied),
            Err(_) => notices.show_toast(facilitation_texts().copy_failed),
        }
    });
}

/// The buttons beside one person in the list, for a viewer who runs the meetup.
#[component]
pub fn ParticipantActions(connection: Connection, target: Participant) -> impl IntoView {
    let texts = t();
    let id = target.id;
    let name = target.name.to_string();
    // Each button is offered only when the reducer would take its command
    // from this viewer now (a co-facilitator cannot remove another, nobody
    // removes the facilitator, …).
    let can = move |command: Command| move || connection.allows(command.clone());
    let can_remove = can(Command::Remove { participant: id });
    let can_make_co = can(Command::AddCoFacilitator { participant: id });
    let can_unmake_co = can(Command::RemoveCoFacilitator { participant: id });
    let can_hand_over = can(Command::HandOver { to: id });
    let can_set_buddy = can(Command::SetBuddy {
        participant: id,
        buddy: None,
    });
    let confirm = |question: String| window().confirm_with_message(&question).unwrap_or(false);

    let remove_name = name.clone();
    let remove = move |_| {
        if confirm((facilitation_texts().remove_confirm)(&remove_name)) {
            connection.send(Command::Remove { participant: id });
        }
    };
    let hand_over_name = name.clone();
    let hand_over = move |_| {
        if confirm((facilitation_texts().hand_over_confirm)(&hand_over_name)) {
            connection.send(Command::HandOver { to: id });
        }
    };
    // The menu is there only when it offers something (a co-facilitator
    // has nothing to do to the facilitator).
    // A memo, so the menu is built again only when that changes (an open
    // menu stays open through the meetup's events).
    let any = {
        let can = [
            can_remove.clone(),
            can_make_co.clone(),
            can_unmake_co.clone(),
            can_hand_over.clone(),
            can_set_buddy.clone(),
        ];
        Memo::new(move |_| can.iter().any(|can| can()))
    };
    let label = (facilitation_texts().actions_for)(&name);
    move || {
        any.get().then(|| {
            let (hand_over, remove, label) = (hand_over.clone(), remove.clone(), label.clone());
            let (can_make_co, can_unmake_co) = (can_make_co.clone(), can_unmake_co.clone());
            let (can_hand_over, can_remove) = (can_hand_over.clone(), can_remove.clone());
            let can_set_buddy = can_set_buddy.clone();
            view! {
                <details class="fac-person-menu" data-testid="participant-menu">
                    <summary class="button" data-testid="participant-menu-toggle"
                        title=label.clone()><Symbol symbol="⋯" name=label.clone() /></summary>
                    <div class="person-actions" role="group" aria-label=label.clone()>
                        {move || can_make_co().then(|| view! {
                            <button type="button" data-testid="participant-make-co"
                                on:click=move |_| connection.send(Command::AddCoFacilitator { participant: id })>
                                {facilitation_texts().make_co}
                            </button>
                        })}
                        {move || can_unmake_co().then(|| view! {
                            <button type="button" data-testid="participant-unmake-co"
                                on:click=move |_| connection.send(Command::RemoveCoFacilitator { participant: id })>
                                {facilitation_texts().unmake_co}
                            </button>
                        })}
                        {move || can_hand_over().then(|| view! {
                            <button type="button" data-testid="participant-hand-over" on:click=hand_over.clone()>{facilitation_texts().hand_over}</button>
                        })}
                        {move || can_set_buddy().then(|| view! { <BuddyPicker connection=connection participant=id /> })}
                        {move || can_remove().then(|| view! {
                            <button type="button" class="danger" data-testid="participant-remove" on:click=remove.clone()>{texts.remove}</button>
                        })}
                    </div>
                </details>
            }
        })
    }
}

/// Whom a person is paired with as buddies (who see each other's buddy
/// goals): nobody, or someone else in the meetup.
#[component]
fn BuddyPicker(connection: Connection, participant: ParticipantId) -> impl IntoView {
    let texts = crate::i18n::goal_texts();
    let buddy = Memo::new(move |_| {
        connection
            .parts
            .goals
            .with(|goals| goals.as_ref().and_then(|goals| goals.buddy_of(participant)))
    });
    let others = Memo::new(move |_| {
        connection.parts.people.with(|people| {
            people
                .iter()
                .filter(|person| {
                    person.id != participant && person.membership == Membership::Active
                })
                .map(|person| (person.id, person.name.to_string()))
                .collect::<Vec<_>>()
        })
    });
    let choose = move |event: leptos::ev::Event| {
        let chosen = event_target_value(&event);
        let buddy = others.with_untracked(|others| {
            others
                .iter()
                .find(|(id, _)| id.to_string() == chosen)
                .map(|(id, _)| *id)
        });
        connection.send(Command::SetBuddy { participant, buddy });
    };
    let select_id = format!("buddy-of-{participant}");
    view! {
        <label class="buddy-picker" for=select_id.clone()>{texts.buddy_label}</label>
        <select id=select_id data-testid="participant-buddy" class="small" on:change=choose>
            <option value="" selected=move || buddy.get().is_none()>{texts.no_buddy}</option>
            {move || others.get().into_iter().map(|(id, name)| view! {
                <option value=id.to_string() selected=move || buddy.get() == Some(id)>{name}</option>
            }).collect_view()}
        </select>
    }
}
