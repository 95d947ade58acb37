//! `/j/{code}`: pick a name and join. Someone who already has a token for the
//! meetup goes straight to the room; a refused join (name taken, locked, full)
//! is explained beside the field and the typed name stays.

use leptos::prelude::*;
use moot_shared::JoinCode;
use moot_shared::protocol::parse_display_name;

use crate::announce::announcement;
use crate::app::{Route, app_context, set_address};
use crate::connection::{Auth, Connection, Ended};
use crate::i18n::t;
use crate::room::{EndedNotice, RoomView};
use crate::storage::stored_token;

/// The join page.
#[component]
pub fn JoinPage(code: JoinCode) -> impl IntoView {
    let app = app_context();
    if stored_token(&code).is_some() {
        let route = Route::Room(code.clone());
        set_timeout(move || app.navigate(route, true), std::time::Duration::ZERO);
    }
    let texts = t();
    let owner = Owner::current();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let connection = RwSignal::new(None::<Connection>);
    on_cleanup(move || {
        if let Some(connection) = connection.try_get_untracked().flatten() {
            connection.shutdown();
        }
    });

    let code_for_submit = code.clone();
    let join_now = move || {
        if let Err(reason) = parse_display_name(&name.get_untracked()) {
            error.set(Some(texts.rejection(&reason, "")));
            return;
        }
        error.set(None);
        if let Some(old) = connection.get_untracked() {
            old.shutdown();
        }
        let start = || {
            Connection::start(
                app,
                code_for_submit.clone(),
                Auth::Join(name.get_untracked()),
                announcement,
            )
        };
        // Event handlers run outside the component's owner; connect under it
        // so the connection's signals are disposed with this page.
        let started = match &owner {
            Some(owner) => owner.with(start),
            None => start(),
        };
        connection.set(Some(started));
    };
    let submit = {
        let join_now = join_now.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            join_now();
        }
    };
    // Following the group from the previous meetup of its series: join at
    // once under the name it came with (a refused name shows the form).
    if stored_token(&code).is_none()
        && let Some(arriving_as) = name_in_address()
    {
        name.set(arriving_as);
        join_now();
    }

    // Once welcomed, the address becomes the room's, so a reload rejoins.
    let code_for_address = code.clone();
    Effect::new(move || {
        if let Some(connection) = connection.get() {
            if connection.me.get().is_some() {
                set_address(&Route::Room(code_for_address.clone()).path(), true);
            }
            if let Some(Ended::JoinRefused(reason, message)) = connection.ended.get() {
                error.set(Some(texts.rejection(&reason, &message)));
            }
        }
    });

    let joining = move || {
        connection.get().is_some_and(|connection| {
            connection.ended.get().is_none() && connection.me.get().is_none()
        })
    };
    let grouped = code.display_grouped();

    move || {
        let active = connection
            .get()
            .filter(|connection| connection.me.get().is_some());
        if let Some(connection) = active {
            return view! { <RoomView connection=connection /> }.into_any();
        }
        if let Some(connection) = connection.get()
            && let Some(ended) = connection.ended.get()
            && !matches!(ended, Ended::JoinRefused(..))
        {
            return view! { <EndedNotice connection=connection ended=ended /> }.into_any();
        }
        view! {
            <section class="card">
                <h1>{texts.join_heading}</h1>
                <p>{(texts.join_intro)(&grouped)}</p>
                <form class="form" on:submit=submit.clone() novalidate>
                    <label for="join-name">{texts.join_name_label}</label>
                    <input id="join-name" data-testid="join-name" type="text" autocomplete="nickname"
                        maxlength=moot_shared::DisplayName::MAX_CHARS.to_string()
                        aria-describedby="join-error" aria-invalid=move || error.with(Option::is_some).to_string()
                        prop:value=move || name.get()
                        on:input=move |event| name.set(event_target_value(&event)) />
                    <p id="join-error" class="error" data-testid="join-error" role="alert">{move || error.get()}</p>
                    <button type="submit" class="primary" data-testid="join-submit" disabled=joining
                        aria-busy=move || joining().then_some("true")>
                        {move || if joining() { texts.join_busy } else { texts.join_submit }}
                    </button>
                </form>
            </section>
        }
        .into_any()
    }
}

/// The name in the address's `?as=` (the link that follows a group to its
/// next meetup), if any.
fn name_in_address() -> Option<String> {
    let search = window().location().search().ok()?;
    let raw = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("as="))?;
    let decoded = js_sys::decode_uri_component(&raw.replace('+', " ")).ok()?;
    Some(String::from(decoded)).filter(|name| !name.trim().is_empty())
}
