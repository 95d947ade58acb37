//! A meetup's end and what follows: the facilitator ends it, downloads the
//! minutes, starts the next meetup of the series or deletes it; everyone can
//! download their own action items; a meetup that continues another shows
//! the review of the action items it carried over.

use leptos::prelude::*;
use leptos::task::spawn_local;
use moot_shared::Command;
use moot_shared::room::Authority;
use moot_shared::room::lifecycle::ReviewOutcome;
use moot_shared::{DisplayName, MeetupTitle};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::app::{AppContext, Route, app_context, facilitation_only};
use crate::connection::Connection;
use crate::i18n::{lang, lifecycle_texts};
use crate::landing::{Follows, create_meetup};
use crate::storage::store_token;

/// Calls the HTTP API with this connection's token as a bearer token and
/// returns the body, or `None` when it failed.
pub(crate) async fn authorised(method: &str, path: &str, token: &str) -> Option<String> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().ok()?;
    headers
        .set("authorization", &format!("Bearer {token}"))
        .ok()?;
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(path, &init).ok()?;
    let response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// Hands `text` to the browser as a file download named `filename`.
fn save(filename: &str, media_type: &str, text: &str) -> Option<()> {
    let href = format!(
        "data:{media_type};charset=utf-8,{}",
        js_sys::encode_uri_component(text)
    );
    let link: web_sys::HtmlElement = document().create_element("a").ok()?.dyn_into().ok()?;
    link.set_attribute("href", &href).ok()?;
    link.set_attribute("download", filename).ok()?;
    link.click();
    Some(())
}

/// Downloads `path` with the connection's token and saves it. The caller
/// passes the app context: inside the task, after an `await`, there is no
/// reactive owner to look it up from.
fn download(
    connection: Connection,
    app: AppContext,
    path: String,
    filename: String,
    media_type: &'static str,
) {
    let Some(token) = connection.token() else {
        return;
    };
    spawn_local(async move {
        let saved = match authorised("GET", &path, &token).await {
            Some(text) => save(&filename, media_type, &text),
            None => None,
        };
        if saved.is_none() {
            app.notices.show_toast(lifecycle_texts().download_failed);
        }
    });
}

/// Downloads the minutes as Markdown, in the reader's language and time
/// zone.
fn download_minutes(connection: Connection, app: AppContext) {
    let code = connection.code.get_value();
    let path = format!(
        "/api/meetups/{code}/minutes.md?tz_offset_minutes={}&lang={}",
        utc_offset_minutes(),
        lang().code()
    );
    download(
        connection,
        app,
        path,
        format!("moot-{code}-minutes.md"),
        "text/markdown",
    );
}

/// The browser's time zone, in minutes east of UTC.
fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Downloads, ending, the next meetup of the series, deleting: for the
/// facilitator (co-facilitators get the downloads and the series).
#[component]
pub fn LifecyclePanel(connection: Connection) -> impl IntoView {
    let texts = lifecycle_texts();
    let app = app_context();
    let room = connection.room;
    let code = connection.code.get_value();
    // The room's rules: ending is the facilitator's (while it is not ended),
    // and so is deleting.
    let can_end = move || connection.allows(Command::EndMeetup);
    let is_facilitator = move || connection.may(Authority::Facilitator);
    let title = room.with_untracked(|room| {
        room.as_ref()
            .map(|room| room.title.to_string())
            .unwrap_or_default()
    });
    let next_title = RwSignal::new((texts.next_title_default)(&title));

    let minutes_markdown = move |_| download_minutes(connection, app);
    let minutes_json = {
        let code = code.clone();
        move |_| {
            download(
                connection,
                app,
                format!("/api/meetups/{code}/minutes.json?lang={}", lang().code()),
                format!("moot-{code}-minutes.json"),
                "application/json",
            )
        }
    };
    let end = move |_| {
        if window()
            .confirm_with_message(texts.end_confirm)
            .unwrap_or(false)
        {
            connection.send(Command::EndMeetup);
        }
    };
    let start_next = {
        let code = code.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let (Some(token), Some(me)) = (connection.token(), connection.me.get_untracked())
            else {
                return;
            };
            let name = room.with_untracked(|room| {
                room.as_ref()
                    .and_then(|room| Some(room.participant(me)?.name.to_string()))
            });
            let Ok(title) = MeetupTitle::parse(&next_title.get_untracked()) else {
                return;
            };
            let Some(name) = name.and_then(|name| DisplayName::parse(&name).ok()) else {
                return;
            };
            let code = code.to_string();
            spawn_local(async move {
                let follows = Follows {
                    join_code: &code,
                    token: &token,
                };
                match create_meetup(title.as_str(), name.as_str(), Some(follows)).await {
                    Ok(created) => {
                        store_token(&created.join_code, &created.token);
                        app.navigate(Route::Room(created.join_code), false);
                    }
                    Err(sentence) => app.notices.show_toast(sentence),
                }
            });
        }
    };
    let delete = {
        let code = code.clone();
        move |_| {
            if !window()
                .confirm_with_message(texts.delete_confirm)
                .unwrap_or(false)
            {
                return;
            }
            let Some(token) = connection.token() else {
                return;
            };
            let path = format!("/api/meetups/{code}");
            spawn_local(async move {
                match authorised("DELETE", &path, &token).await {
                    Some(_) => app.navigate(Route::Landing, false),
                    None => app.notices.show_toast(texts.delete_failed),
                }
            });
        }
    };
    view! {
        <section class="card" aria-labelledby="lifecycle-heading">
            <h2 id="lifecycle-heading">{texts.heading}</h2>
            <div class="actions">
                <button type="button" data-testid="minutes-markdown" on:click=minutes_markdown>{texts.minutes_markdown}</button>
                <button type="button" data-testid="minutes-json" on:click=minutes_json>{texts.minutes_json}</button>
                <Show when=can_end>
                    <button type="button" class="danger" data-testid="end-meetup" on:click=end>{texts.end}</button>
                </Show>
            </div>
            <form class="inline-form" on:submit=start_next>
                <label for="next-title">{texts.next_heading}</label>
                <input id="next-title" data-testid="next-title" aria-label=texts.next_title_label
                    prop:value=move || next_title.get()
                    on:input=move |event| next_title.set(event_target_value(&event)) />
                <button type="submit" data-testid="next-meetup">{texts.next_submit}</button>
            </form>
            <Show when=is_facilitator>
                <button type="button" class="danger" data-testid="delete-meetup" on:click=delete.clone()>{texts.delete}</button>
            </Show>
        </section>
    }
}

/// Everyone's own action items as a download, and the note that the meetup
/// has ended.
#[component]
pub fn MyExports(connection: Connection) -> impl IntoView {
    let texts = lifecycle_texts();
    let app = app_context();
    let room = connection.room;
    let code = connection.code.get_value();
    let ended = move || room.with(|room| room.as_ref().is_some_and(|room| room.ended_at.is_some()));
    let mine = move || {
        let Some(me) = connection.me.get() else {
            return false;
        };
        room.with(|room| {
            room.as_ref()
                .is_some_and(|room| room.board.action_items.iter().any(|item| item.owner == me))
        })
    };
    let my_actions = move |_| {
        download(
            connection,
            app,
            format!("/api/meetups/{code}/actions.md?lang={}", lang().code()),
            format!("moot-{code}-my-actions.md"),
            "text/markdown",
        );
    };
    // Say it once, when it happens, for screen readers too.
    Effect::new(move |was_ended: Option<bool>| {
        let now_ended = ended();
        if now_ended && was_ended == Some(false) {
            app.notices.announce(texts.ended_announcement);
        }
        now_ended
    });
    // The next meetup of the series is open: one tap joins it under the
    // same name (the join page joins at once with `?as=`).
    let next = move || {
        let me = connection.me.get()?;
        room.with(|room| {
            let room = room.as_ref()?;
            let next = room.series.next.as_ref()?;
            let name = room.participant(me)?.name.to_string();
            let href = format!(
                "/j/{}?as={}",
                next.code,
                js_sys::encode_uri_component(&name)
            );
            Some((href, (texts.join_next_as)(&name)))
        })
    };
    view! {
        <Show when=ended>
            <p class="banner" role="status" data-testid="ended-banner">{texts.ended_banner}</p>
        </Show>
        {move || next().map(|(href, label)| view! {
            <section class="card next-meetup" role="status" data-testid="next-meetup">
                <p>{texts.next_meetup_open}</p>
                <a class="button primary" data-testid="join-next-meetup" href=href>{label}</a>
            </section>
        })}
        // Once it has ended, the minutes are everyone's (whoever runs the
        // meetup has them in the settings all along).
        <Show when=move || ended() && !connection.runs_meetup()>
            <button type="button" class="secondary" data-testid="phone-minutes-download"
                on:click=move |_| download_minutes(connection, app)>{texts.minutes_markdown}</button>
        </Show>
        <Show when=mine>
            <button type="button" class="secondary" data-testid="my-actions-download" on:click=my_actions.clone()>{texts.my_actions}</button>
        </Show>
    }
}

/// The review of action items carried over from the previous meetup.
#[component]
pub fn ReviewCard(connection: Connection, runs_meetup: Signal<bool>) -> impl IntoView {
    let texts = lifecycle_texts();
    let room = connection.room;
    let has_review = move || {
        room.with(|room| {
            room.as_ref()
                .is_some_and(|room| !room.series.review.is_empty())
        })
    };
    let from = move || {
        room.with(|room| {
            let (code, title) = room.as_ref()?.series.follows.clone()?;
            Some((texts.review_from)(&format!(
                "{title} ({})",
                code.display_grouped()
            )))
        })
    };
    let items = move || {
        room.with(|room| {
            room.as_ref()
                .map(|room| room.series.review.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=has_review>
            <section class="card" aria-labelledby="review-heading" data-testid="review-card">
                <h2 id="review-heading">{texts.review_heading}</h2>
                <p class="hint">{from}</p>
                <ul class="plain-list">
                    <For each=items key=|item| (item.id, item.outcome) let:item>
                        {
                            let id = item.id;
                            let mark = move |outcome| move |_| connection.send(Command::ReviewAction { item: id, outcome });
                            let due = item.action.due.as_ref().map(|due| due.as_str().to_owned());
                            view! {
                                <li data-testid="review-item" data-outcome=match item.outcome {
                                    Some(ReviewOutcome::Done) => "done",
                                    Some(ReviewOutcome::Kept) => "kept",
                                    Some(ReviewOutcome::Dropped) => "dropped",
                                    None => "open",
                                }>
                                    <strong>{item.action.text.to_string()}</strong>
                                    " — "{(texts.review_owner)(item.action.owner.as_str(), due.as_deref())}
                                    " · "<em>{(texts.outcome_label)(item.outcome)}</em>
                                    {facilitation_only(move || view! {
                                        <Show when=move || runs_meetup.get()>
                                            <div class="actions">
                                                <button type="button" data-testid="review-done" on:click=mark(ReviewOutcome::Done)>{texts.mark_done}</button>
                                                <button type="button" data-testid="review-kept" on:click=mark(ReviewOutcome::Kept)>{texts.mark_kept}</button>
                                                <button type="button" data-testid="review-dropped" on:click=mark(ReviewOutcome::Dropped)>{texts.mark_dropped}</button>
                                            </div>
                                        </Show>
                                    }.into_any())}
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
