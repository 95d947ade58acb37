//! `/m/{code}/screen`: the shared screen for a projector or a screen share.
//! Big join code and QR code, the join address, and who is here, readable
//! from across a room. It connects with a facilitator's token as a viewer
//! that takes no seat.

use leptos::prelude::*;
use moot_shared::JoinCode;

use crate::announce::announcement;
use crate::app::app_context;
use crate::connection::{Auth, Connection, Ended};
use crate::i18n::{facilitation_texts, t};
use crate::people::ParticipantList;
use crate::room::EndedNotice;
use crate::storage::{store_screen_token, stored_screen_token, take_fragment_screen_key};

/// The shared screen route.
#[component]
pub fn ScreenPage(code: JoinCode) -> impl IntoView {
    let app = app_context();
    let texts = t();
    // A new screen link opened in this tab changes only the fragment, which
    // loads nothing: load the page again so it reads the new key.
    let new_link = window_event_listener_untyped("hashchange", |_| {
        let location = window().location();
        if location.hash().is_ok_and(|hash| hash.contains("k=")) {
            let _ = location.reload();
        }
    });
    on_cleanup(move || new_link.remove());
    if let Some(token) = take_fragment_screen_key() {
        store_screen_token(&code, &token);
    }
    // Only the screen link's own key opens the screen (never a login).
    let Some(token) = stored_screen_token(&code) else {
        return view! {
            <section class="card notice">
                <h1>{facilitation_texts().screen_needs_link}</h1>
                <p><a class="button" href="/">{texts.back_to_start}</a></p>
            </section>
        }
        .into_any();
    };
    let connection = Connection::start(app, code.clone(), Auth::Screen(token), announcement);
    on_cleanup(move || connection.shutdown());
    // The group's next meetup opened: the projector moves there by itself,
    // with the key only a shared screen is given.
    Effect::new(move || {
        let next = connection.room.with(|room| {
            let next = room.as_ref()?.series.next.as_ref()?;
            let key = next.screen_key.as_ref()?;
            Some(format!("/m/{}/screen#k={}", next.code, key.as_str()))
        });
        if let Some(address) = next {
            let _ = window().location().set_href(&address);
        }
    });

    let origin = window().location().origin().unwrap_or_default();
    let join_url = format!("{origin}/j/{code}");
    let join_url_text = join_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned();
    let qr = format!("/api/meetups/{code}/qr.svg");
    let grouped = code.display_grouped();
    let title = move || {
        connection
            .room
            .with(|room| room.as_ref().map(|room| room.title.to_string()))
    };
    // Once the meetup ends, the screen thanks the room and says what came
    // of it instead of inviting anyone to join.
    let ended = Memo::new(move |_| {
        connection
            .room
            .with(|room| room.as_ref().is_some_and(|room| room.ended_at.is_some()))
    });
    let outcomes = move || {
        connection.room.with(|room| {
            let room = room.as_ref()?;
            let discussed = room
                .board
                .topics
                .iter()
                .filter(|topic| topic.was_discussed())
                .count();
            Some((facilitation_texts().screen_outcomes)(
                discussed,
                room.board.action_items.len(),
            ))
        })
    };
    let count = move || {
        connection.room.with(|room| {
            room.as_ref()
                .map(|room| (texts.people_count)(room.active_participants().count(), room.seat_cap))
        })
    };

    // Until the room is known the screen stays empty: drawn with nothing
    // live, it would take the lobby's layout for a moment and then move
    // everything as the live cards came (layout shift on a projector).
    let has_room = Memo::new(move |_| connection.room.with(Option::is_some));

    (move || {
        // The link was replaced or stopped (or never worked): say what to do.
        if connection.ended.get() == Some(Ended::BadCredential) {
            return view! {
                <section class="card notice" data-testid="screen-link-stopped">
                    <h1>{facilitation_texts().screen_stopped_heading}</h1>
                    <p>{facilitation_texts().screen_needs_link}</p>
                </section>
            }
            .into_any();
        }
        if let Some(ended) = connection.ended.get().filter(|ended| *ended != Ended::Left) {
            return view! { <EndedNotice connection=connection ended=ended /> }.into_any();
        }
        if !has_room.get() {
            return view! { <div class="screen" aria-busy="true"></div> }.into_any();
        }
        view! {
            <div class="screen" data-testid="screen-view">
                <h1 class="screen-title">{title}</h1>
                // The live cards, left of the join column; with none of them
                // the stylesheet gives the whole screen to the lobby.
                <div class="screen-live">
                <Show when=move || !ended.get()>
                    <crate::people::StandInNotice connection=connection />
                    <crate::agenda::ScreenAgenda connection=connection />
                    <crate::breakout::ScreenBreakout connection=connection />
                    <crate::timer::ScreenTimer connection=connection />
                    <crate::queue::ScreenQueue connection=connection />
                    <crate::goals::ScreenGoals connection=connection />
                    // The results and, for a ROTI, the trend beside them.
                    <div class="screen-stage">
                        <crate::poll::ScreenPoll connection=connection />
                        <crate::roti::RotiTrendCard connection=connection place=crate::roti::Place::ScreenReveal />
                    </div>
                    <crate::board::ScreenBoard connection=connection />
                </Show>
                </div>
                <div class="screen-grid">
                    {let (grouped, qr, join_url_text) = (grouped.clone(), qr.clone(), join_url_text.clone());
                    move || match ended.get() {
                        true => view! {
                            <section class="screen-join screen-ended" data-testid="screen-ended">
                                <p class="screen-thanks">{facilitation_texts().screen_thanks}</p>
                                <p class="screen-label">{outcomes}</p>
                            </section>
                        }.into_any(),
                        false => view! {
                            <section class="screen-join" aria-label=facilitation_texts().screen_join_at>
                                <p class="screen-label">{facilitation_texts().screen_code_label}</p>
                                <p class="screen-code" data-testid="screen-join-code">{grouped.clone()}</p>
                                <img class="screen-qr" data-testid="screen-qr" src=qr.clone() alt=facilitation_texts().screen_qr_alt
                                    width="320" height="320" />
                                <p class="screen-url">{facilitation_texts().screen_join_at}" "<strong>{join_url_text.clone()}</strong></p>
                            </section>
                        }.into_any(),
                    }}
                    <section class="screen-people" aria-labelledby="screen-people-heading">
                        <h2 id="screen-people-heading">{texts.people_heading}" "<span class="hint">{count}</span></h2>
                        <ParticipantList connection=connection />
                    </section>
                    // Beside the join code and who is here, so the lobby
                    // still fits the screen.
                    <crate::roti::RotiTrendCard connection=connection place=crate::roti::Place::ScreenLobby />
                </div>
            </div>
        }
        .into_any()
    })
    .into_any()
}
