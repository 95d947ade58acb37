//! `/`: start a meetup (title and your name, then `POST /api/meetups`) or
//! join one by typing its code.

use leptos::prelude::*;
use leptos::task::spawn_local;
use moot_shared::json::{self, DecodeError, FromJson, Json, ObjectWriter, ToJson};
use moot_shared::{DisplayName, JoinCode, MeetupTitle, Rejection};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::app::{Route, app_context};
use crate::i18n::{facilitation_texts, t};
use crate::storage::store_token;

/// The body of `POST /api/meetups`.
struct CreateMeetup<'a> {
    title: &'a str,
    facilitator_name: &'a str,
    /// The earlier meetup of the series, when this one continues it.
    follows: Option<Follows<'a>>,
}

impl ToJson for CreateMeetup<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("title", self.title)
            .field("facilitator_name", self.facilitator_name)
            .optional("follows", &self.follows)
            .finish();
    }
}

/// `follows` in the request: the earlier meetup and a facilitator's token of it.
pub(crate) struct Follows<'a> {
    pub join_code: &'a str,
    pub token: &'a str,
}

impl ToJson for Follows<'_> {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .field("join_code", self.join_code)
            .field("token", self.token)
            .finish();
    }
}

/// The answer to a successful `POST /api/meetups` (the fields this page uses).
pub(crate) struct Created {
    pub join_code: JoinCode,
    pub token: String,
}

impl FromJson for Created {
    fn from_json(value: &Json) -> Result<Created, DecodeError> {
        let fields = value.fields()?;
        Ok(Created {
            join_code: fields.field("join_code")?,
            token: fields.field("token")?,
        })
    }
}

/// The body of an HTTP error answer: a rejection and the server's sentence.
fn api_error(text: &str) -> Result<(Rejection, String), DecodeError> {
    let body = Json::parse(text)?;
    let fields = body.fields()?;
    Ok((fields.field("error")?, fields.field("message")?))
}

/// Posts a new meetup (continuing `follows`, if given) and returns it, or
/// the sentence to show.
pub(crate) async fn create_meetup(
    title: &str,
    name: &str,
    follows: Option<Follows<'_>>,
) -> Result<Created, String> {
    let failed = || facilitation_texts().start_failed.to_owned();
    let body = json::to_string(&CreateMeetup {
        title,
        facilitator_name: name,
        follows,
    });
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    let headers = web_sys::Headers::new().map_err(|_| failed())?;
    headers
        .set("content-type", "application/json")
        .map_err(|_| failed())?;
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init("/api/meetups", &init).map_err(|_| failed())?;
    let response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(|_| failed())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed())?;
    let text = JsFuture::from(response.text().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        json::from_str(&text).map_err(|_| failed())
    } else {
        let (reason, message) = api_error(&text).map_err(|_| failed())?;
        Err(t().rejection(&reason, &message))
    }
}

/// The landing page.
#[component]
pub fn Landing() -> impl IntoView {
    let app = app_context();
    let texts = t();
    let title = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let start_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let code_error = RwSignal::new(None::<String>);

    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // Check here for a quick answer; the server checks again.
        let checked_title = MeetupTitle::parse(&title.get_untracked());
        let checked_name = DisplayName::parse(&name.get_untracked());
        let problem = match (&checked_title, &checked_name) {
            (Err(problem), _) => Some(format!(
                "{} {}.",
                facilitation_texts().start_title_label,
                texts.text_problem(*problem)
            )),
            (_, Err(problem)) => Some(format!(
                "{} {}.",
                facilitation_texts().start_name_label,
                texts.text_problem(*problem)
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            start_error.set(Some(problem));
            return;
        }
        let (Ok(checked_title), Ok(checked_name)) = (checked_title, checked_name) else {
            return;
        };
        start_error.set(None);
        busy.set(true);
        spawn_local(async move {
            match create_meetup(checked_title.as_str(), checked_name.as_str(), None).await {
                Ok(created) => {
                    store_token(&created.join_code, &created.token);
                    app.navigate(Route::Room(created.join_code), false);
                }
                Err(message) => start_error.set(Some(message)),
            }
            busy.set(false);
        });
    };

    let join = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match JoinCode::parse(&code.get_untracked()) {
            Ok(parsed) => app.navigate(Route::Join(parsed), false),
            Err(_) => code_error.set(Some(facilitation_texts().join_code_invalid.to_owned())),
        }
    };

    view! {
        <div class="stack">
            <section class="card intro">
                <h1>{facilitation_texts().landing_heading}</h1>
                <p>{facilitation_texts().landing_intro}</p>
            </section>
            <section class="card" aria-labelledby="join-heading">
                <h2 id="join-heading">{facilitation_texts().join_code_heading}</h2>
                <form class="form" on:submit=join novalidate>
                    <label for="join-code">{facilitation_texts().join_code_label}</label>
                    <input id="join-code" data-testid="join-code" class="code-input" type="text"
                        autocomplete="off" autocapitalize="characters" spellcheck="false"
                        inputmode="text" aria-describedby="join-code-hint join-code-error"
                        prop:value=move || code.get()
                        on:input=move |event| { code.set(event_target_value(&event)); code_error.set(None); } />
                    <p id="join-code-hint" class="hint">{facilitation_texts().join_code_hint}</p>
                    <p id="join-code-error" class="error" role="alert">{move || code_error.get()}</p>
                    <button type="submit" class="primary" data-testid="join-code-submit">{facilitation_texts().join_code_submit}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="start-heading">
                <h2 id="start-heading">{facilitation_texts().start_heading}</h2>
                <form class="form" on:submit=start novalidate>
                    <label for="start-title">{facilitation_texts().start_title_label}</label>
                    <input id="start-title" data-testid="start-title" type="text" autocomplete="off"
                        maxlength=MeetupTitle::MAX_CHARS.to_string()
                        prop:value=move || title.get()
                        on:input=move |event| title.set(event_target_value(&event)) />
                    <label for="start-name">{facilitation_texts().start_name_label}</label>
                    <input id="start-name" data-testid="start-name" type="text" autocomplete="nickname"
                        maxlength=DisplayName::MAX_CHARS.to_string()
                        prop:value=move || name.get()
                        on:input=move |event| name.set(event_target_value(&event)) />
                    <p class="error" role="alert">{move || start_error.get()}</p>
                    <button type="submit" class="primary" data-testid="start-submit" disabled=move || busy.get()
                        aria-busy=move || busy.get().then_some("true")>
                        {move || if busy.get() { facilitation_texts().start_busy } else { facilitation_texts().start_submit }}
                    </button>
                </form>
            </section>
        </div>
    }
}
