//! HTTP routes: open a meetup, the join QR code, the WebSocket endpoint, the
//! health check and the embedded web app. One error type, [`ApiError`], turns
//! a rejection into a JSON answer that tells the client only what it may know.
//!
//! Around every route: security headers ([`headers`]), a time limit for the
//! whole request, and a check that the request's `Host` is one of this
//! server's names ([`crate::site`]), except for `/healthz`, which load
//! balancers call by whatever name they know.

use std::net::{IpAddr, SocketAddr};

use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use moot_shared::limits::MAX_MESSAGE_BYTES;
use moot_shared::minutes::{Minutes, action_items_markdown};
use moot_shared::protocol::parse_display_name;
use moot_shared::room::ScreenKey;
use moot_shared::room::lifecycle::carry_over;
use moot_shared::{Credential, JoinCode, Lang, MeetupTitle, ParticipantId, Rejection, Room};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use tokio::time::Instant;
use tower_http::timeout::TimeoutLayer;

use crate::room_task::{Query as RoomQuery, ToRoom};
use crate::site::{self, RequestHost, WebScheme};
use crate::throttle::refuse_throttled_after;
use crate::{AppState, assets, headers, socket};

/// The app's routes.
pub fn app(state: AppState) -> Router {
    let request_timeout = state.config().http_request_timeout;
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/meetups", post(open_meetup))
        .route("/api/meetups/{code}/qr.svg", get(join_qr_code))
        .route("/api/meetups/{code}", delete(delete_meetup))
        .route("/api/meetups/{code}/minutes.md", get(minutes_markdown))
        .route("/api/meetups/{code}/minutes.json", get(minutes_json))
        .route("/api/meetups/{code}/actions.md", get(my_action_items))
        .route("/api/meetups/{code}/screen", get(screen_link))
        .route("/ws", get(websocket))
        .fallback(get(static_file))
        .layer(DefaultBodyLimit::max(MAX_MESSAGE_BYTES))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            require_known_host,
        ))
        // The handler's future includes reading the body, so this bounds a
        // body trickled in byte by byte as well as a slow answer. Headers
        // have their own timeout in `serve`.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        // Outermost, so that refusals and timeouts carry the headers too.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .with_state(state)
}

/// Shown for a page requested by a name this server does not answer to.
const UNKNOWN_HOST_PAGE: &str = "<!doctype html><meta charset=utf-8><title>moot</title>\
<h1>moot does not answer to this name</h1>\
<p>Open moot by its address, or start it with <code>--public-url</code> (or \
<code>--allowed-origin</code>) naming the address people use.</p>";

/// Refuses requests whose `Host` is not one of this server's names (see
/// [`crate::site`]): a page on a name that an attacker pointed at this
/// server's address (DNS rebinding) gets nothing, not even the app.
async fn require_known_host(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path() == "/healthz" || request_host(&state, request.headers()).is_some() {
        return next.run(request).await;
    }
    tracing::debug!(
        host = ?request.headers().get(header::HOST),
        "refused a request for a name this server does not answer to"
    );
    if assets::is_app_route(request.uri().path()) {
        let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
        return (StatusCode::MISDIRECTED_REQUEST, html, UNKNOWN_HOST_PAGE).into_response();
    }
    ApiError::new(StatusCode::MISDIRECTED_REQUEST, Rejection::OriginNotAllowed).into_response()
}

/// The request's `Host`, when it is one of this server's names.
fn request_host(state: &AppState, headers: &HeaderMap) -> Option<RequestHost> {
    site::request_host(headers).filter(|host| state.site().knows_host(host))
}

/// The scheme the client used as moot sees it: `https` only when a trusted
/// proxy says so (moot itself serves plain HTTP).
fn request_scheme(state: &AppState, headers: &HeaderMap) -> WebScheme {
    let behind_tls = state.config().trust_forwarded_for
        && headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            == Some("https");
    if behind_tls {
        WebScheme::Https
    } else {
        WebScheme::Http
    }
}

/// A refused HTTP request: a status and the typed reason.
pub struct ApiError {
    status: StatusCode,
    reason: Rejection,
}

impl ApiError {
    fn new(status: StatusCode, reason: Rejection) -> ApiError {
        ApiError { status, reason }
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: Rejection,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            message: self.reason.to_string(),
            error: self.reason,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// The client's address: the socket peer, or behind a trusted proxy the last
/// address the proxy appended to `X-Forwarded-For`.
fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if state.config().trust_forwarded_for {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok());
        if let Some(address) = forwarded
            .and_then(|list| list.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok())
        {
            return address;
        }
    }
    peer.ip()
}

/// Where people reach this server: the configured public URL, or the scheme
/// and host this request came in on.
fn public_base(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    if let Some(url) = &state.config().public_url {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                Rejection::MalformedMessage {
                    detail: "the Host header is missing".into(),
                },
            )
        })?;
    let scheme = match request_scheme(state, headers) {
        WebScheme::Https => "https",
        WebScheme::Http => "http",
    };
    Ok(format!("{scheme}://{host}"))
}

#[derive(Deserialize)]
struct OpenMeetupRequest {
    title: String,
    facilitator_name: String,
    /// The meetup this one continues, with a facilitator's token of it.
    #[serde(default)]
    follows: Option<Follows>,
}

#[derive(Deserialize)]
struct Follows {
    join_code: String,
    token: String,
}

/// What `POST /api/meetups` answers.
#[derive(Serialize, Deserialize, Debug)]
pub struct OpenedMeetupResponse {
    /// The join code.
    pub join_code: JoinCode,
    /// The link participants open.
    pub join_url: String,
    /// The facilitator's link; its fragment holds the facilitator's token.
    pub facilitator_url: String,
    /// The shared screen's link: view-only, with a key of its own (never
    /// the facilitator's token).
    pub screen_url: String,
    /// The facilitator's participant id.
    pub participant: ParticipantId,
    /// The facilitator's token (also in the links).
    pub token: String,
}

/// Whether the request's body is declared as JSON (`application/json`,
/// parameters allowed). Browsers send `text/plain` and form encodings
/// cross-site without asking; JSON they send only after a CORS preflight,
/// which moot never grants.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

async fn open_meetup(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    // A page of another site must not open meetups through its visitors'
    // browsers (and spend their address's quota). Scripts and curl send no
    // Origin and are welcome.
    if !origin_allowed(&state, &headers) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            Rejection::OriginNotAllowed,
        ));
    }
    if !is_json(&headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Rejection::MalformedMessage {
                detail: "the body must be JSON, sent as Content-Type: application/json".into(),
            },
        ));
    }
    let address = client_address(&state, peer, &headers);
    if let Err(retry_after) = state.openings().check(address) {
        let retry_after_ms = u64::try_from(retry_after.as_millis()).unwrap_or(u64::MAX);
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            Rejection::TooManyAttempts { retry_after_ms },
        ));
    }
    let bad_request = |reason| ApiError::new(StatusCode::BAD_REQUEST, reason);
    let request: OpenMeetupRequest = serde_json::from_slice(&body).map_err(|error| {
        bad_request(Rejection::MalformedMessage {
            detail: error.to_string(),
        })
    })?;
    let title = MeetupTitle::parse(&request.title).map_err(|problem| {
        bad_request(Rejection::InvalidField {
            field: "title".into(),
            problem,
        })
    })?;
    let name = parse_display_name(&request.facilitator_name).map_err(|reason| match reason {
        Rejection::InvalidField { problem, .. } => bad_request(Rejection::InvalidField {
            field: "facilitator_name".into(),
            problem,
        }),
        other => bad_request(other),
    })?;
    let base = public_base(&state, &headers)?;
    let carried = match &request.follows {
        Some(follows) => {
            let earlier = ask_room(
                &state,
                address,
                &follows.join_code,
                &follows.token,
                RoomQuery::CarryOver,
            )
            .await?;
            Some(carry_over(&earlier))
        }
        None => None,
    };
    let opened = state
        .registry()
        .open(state.config(), state.store(), title, name, carried)
        .await
        .map_err(|reason| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, reason))?;
    state.openings().record(address);
    // The earlier meetup's phones and shared screen may follow the group here.
    let earlier = request.follows.as_ref().and_then(|follows| {
        let code = JoinCode::parse(&follows.join_code).ok()?;
        state.registry().get(&code)
    });
    if let Some(earlier) = earlier {
        let _ = earlier
            .send(ToRoom::NextMeetup {
                code: opened.code.clone(),
                screen_key: opened.screen_key.clone(),
            })
            .await;
    }
    let token = opened.facilitator.token();
    let code = &opened.code;
    Ok((
        StatusCode::CREATED,
        // The answer holds the facilitator's token: no cache may keep it.
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(OpenedMeetupResponse {
            join_url: format!("{base}/j/{code}"),
            // `?facilitate` has the page load the full app (with the
            // facilitator's controls) rather than the participant bundle.
            facilitator_url: format!("{base}/m/{code}?facilitate#k={token}"),
            screen_url: screen_url(&base, code, &opened.screen_key),
            join_code: opened.code.clone(),
            participant: opened.facilitator.participant,
            token,
        }),
    )
        .into_response())
}

/// A QR code of the join link, as SVG. It encodes the link for any
/// well-formed code without looking the meetup up, so it reveals nothing.
async fn join_qr_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let code = JoinCode::parse(&code)
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, Rejection::UnknownJoinCode))?;
    let link = format!("{}/j/{code}", public_base(&state, &headers)?);
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], qr_svg(&link)).into_response())
}

/// Renders `text` as an SVG QR code.
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(256, 256)
            .quiet_zone(true)
            .build(),
        // Only text longer than a QR code holds fails; links are far shorter.
        Err(_) => String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
    }
}

/// Whether the page that sent this request, if a browser page sent it, may
/// use this server (see [`crate::site`]). No `Origin` means no browser page:
/// tests, the load generator, scripts.
fn origin_allowed(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let host = request_host(state, headers);
    state
        .site()
        .allows_origin(origin, host.as_ref(), request_scheme(state, headers))
}

async fn websocket(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    if !origin_allowed(&state, &headers) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            Rejection::OriginNotAllowed,
        ));
    }
    let address = client_address(&state, peer, &headers);
    Ok(upgrade
        // Small buffers: a meetup's messages are small and a server holds
        // thousands of mostly idle connections. Messages up to 64 KiB are
        // read so that anything over 16 KiB gets a typed rejection; larger
        // ones close the connection with 1009 (see `socket`).
        .read_buffer_size(1024)
        .write_buffer_size(0)
        .max_message_size(socket::MAX_READ_BYTES)
        .max_frame_size(socket::MAX_READ_BYTES)
        .on_upgrade(move |socket| socket::run(socket, state, address)))
}

async fn static_file(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if assets::is_app_route(path) {
        return assets::index(&headers);
    }
    match assets::find(path.trim_start_matches('/')) {
        Some(asset) => assets::respond(asset, &headers),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Asks a room a question with a participant's token. Unknown codes and bad
/// tokens count as failed attempts of the client address, like a guessed
/// code on the WebSocket; while the address is throttled, a valid token
/// still gets its answer and every failure is answered 429 after the same
/// delay (see `socket::handshake` for why).
async fn ask_room(
    state: &AppState,
    address: IpAddr,
    code: &str,
    token: &str,
    query: RoomQuery,
) -> Result<Box<Room>, ApiError> {
    let started = Instant::now();
    let attempts = state.failed_attempts();
    let throttled = attempts.check(address).is_err();
    let failed = async |status, reason| {
        attempts.record(address);
        if !throttled {
            return ApiError::new(status, reason);
        }
        refuse_throttled_after(started).await;
        let retry_after = attempts.check(address).err().unwrap_or_default();
        let retry_after_ms = u64::try_from(retry_after.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            Rejection::TooManyAttempts { retry_after_ms },
        )
    };
    let Ok(code) = JoinCode::parse(code) else {
        return Err(failed(StatusCode::NOT_FOUND, Rejection::UnknownJoinCode).await);
    };
    let room = match state
        .registry()
        .find(&code, state.config(), state.store())
        .await
    {
        Ok(room) => room,
        Err(Rejection::UnknownJoinCode) => {
            return Err(failed(StatusCode::NOT_FOUND, Rejection::UnknownJoinCode).await);
        }
        // Another node serves it (421: ask the one the proxy routes to), or
        // the database could not be read.
        Err(reason @ Rejection::MeetupElsewhere { .. }) => {
            return Err(ApiError::new(StatusCode::MISDIRECTED_REQUEST, reason));
        }
        Err(reason) => return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, reason)),
    };
    let Some(credential) = Credential::parse(token) else {
        return Err(failed(StatusCode::FORBIDDEN, Rejection::BadCredential).await);
    };
    let (reply, answer) = oneshot::channel();
    let gone = || ApiError::new(StatusCode::NOT_FOUND, Rejection::UnknownJoinCode);
    room.send(ToRoom::Query {
        credential: Box::new(credential),
        query,
        reply,
    })
    .await
    .map_err(|_| gone())?;
    match answer.await.map_err(|_| gone())? {
        Ok(room) => Ok(room),
        Err(Rejection::BadCredential) => {
            Err(failed(StatusCode::FORBIDDEN, Rejection::BadCredential).await)
        }
        Err(Rejection::StorageFailed) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            Rejection::StorageFailed,
        )),
        Err(reason) => Err(ApiError::new(StatusCode::FORBIDDEN, reason)),
    }
}

/// The token from `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, Rejection::BadCredential))
}

/// Query parameters of the exports.
#[derive(Deserialize)]
struct ExportOptions {
    /// The reader's time zone, in minutes east of UTC (the browser's
    /// `-new Date().getTimezoneOffset()`); the Markdown minutes only.
    #[serde(default)]
    tz_offset_minutes: i32,
    /// The reader's language as a BCP 47 tag ("de", "de-DE").
    #[serde(default)]
    lang: Option<String>,
}

impl ExportOptions {
    /// The export's language: `?lang=` if moot speaks it, else the
    /// request's `Accept-Language`. A link can so ask for a language
    /// whatever the browser says, and a plain link still reads in the
    /// browser's.
    fn lang(&self, headers: &HeaderMap) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_else(|| accepted_language(headers))
    }
}

/// The first language of the request's `Accept-Language` that moot speaks,
/// or English. The tags count in the order given, as browsers list them
/// most wanted first; their q-values are not weighed, except that `q=0`
/// ("not this one") passes a tag over.
fn accepted_language(headers: &HeaderMap) -> Lang {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    Lang::first_spoken(accepted.split(',').filter_map(|range| {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default();
        let refused = parts.any(|parameter| {
            parameter
                .trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        (!refused).then_some(tag)
    }))
}

fn download(content_type: &'static str, filename: String, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    if let Ok(value) = disposition.parse() {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// [`ask_room`] for the export and delete routes: the token comes as
/// `Authorization: Bearer <token>`, the client address from the connection.
async fn ask_room_by_bearer(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    code: &str,
    query: RoomQuery,
) -> Result<Box<Room>, ApiError> {
    let address = client_address(state, peer, headers);
    ask_room(state, address, code, bearer(headers)?, query).await
}

async fn minutes_markdown(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    Query(options): Query<ExportOptions>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let room = ask_room_by_bearer(&state, peer, &headers, &code, RoomQuery::Minutes).await?;
    let offset = options.tz_offset_minutes.clamp(-16 * 60, 16 * 60);
    let lang = options.lang(&headers);
    let minutes = Minutes::of(&room, state.config().clock.now(), lang).to_markdown(offset, lang);
    Ok(download(
        "text/markdown; charset=utf-8",
        format!("moot-{}-minutes.md", room.code),
        minutes,
    ))
}

async fn minutes_json(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    Query(options): Query<ExportOptions>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let room = ask_room_by_bearer(&state, peer, &headers, &code, RoomQuery::Minutes).await?;
    let minutes = Minutes::of(&room, state.config().clock.now(), options.lang(&headers));
    let body = serde_json::to_string_pretty(&minutes).unwrap_or_default();
    Ok(download(
        "application/json",
        format!("moot-{}-minutes.json", room.code),
        body,
    ))
}

/// The shared screen's link for a key.
fn screen_url(base: &str, code: &JoinCode, key: &ScreenKey) -> String {
    format!("{base}/m/{code}/screen#k={}", key.as_str())
}

/// The answer to `GET /api/meetups/{code}/screen`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ScreenLinkResponse {
    /// The link to open on the shared screen; absent while there is none
    /// (stopped, or handed over and not made again).
    pub screen_url: Option<String>,
}

/// The shared screen's current link, for whoever runs the meetup (their
/// page shows it again after a reload, and after `new_screen_link`).
async fn screen_link(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let room = ask_room_by_bearer(&state, peer, &headers, &code, RoomQuery::ScreenLink).await?;
    let base = public_base(&state, &headers)?;
    let screen_url = room
        .screen
        .key
        .as_ref()
        .map(|key| screen_url(&base, &room.code, key));
    Ok((
        // The link opens the screen: no cache may keep it.
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(ScreenLinkResponse { screen_url }),
    )
        .into_response())
}

async fn my_action_items(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    Query(options): Query<ExportOptions>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let room = ask_room_by_bearer(&state, peer, &headers, &code, RoomQuery::MyActions).await?;
    // The token was accepted for this room, so it names the asker.
    let me = Credential::parse(bearer(&headers)?).map(|credential| credential.participant);
    let body = me
        .map(|me| action_items_markdown(&room, me, options.lang(&headers)))
        .unwrap_or_default();
    Ok(download(
        "text/markdown; charset=utf-8",
        format!("moot-{}-my-actions.md", room.code),
        body,
    ))
}

async fn delete_meetup(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let room = ask_room_by_bearer(&state, peer, &headers, &code, RoomQuery::Delete).await?;
    state.registry().remove(&room.code);
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            value.parse().expect("a header value"),
        );
        headers
    }

    fn asking(lang: Option<&str>) -> ExportOptions {
        ExportOptions {
            tz_offset_minutes: 0,
            lang: lang.map(str::to_owned),
        }
    }

    #[test]
    fn the_first_spoken_accepted_language_wins_in_the_order_given() {
        let lang = |value| accepted_language(&accepting(value));
        assert_eq!(lang("de-DE,de;q=0.9,en;q=0.8"), Lang::De);
        assert_eq!(lang("fr-CH, fr;q=0.9, de;q=0.7, *;q=0.5"), Lang::De);
        assert_eq!(lang("en-US,de;q=0.9"), Lang::En);
        // Listed first but with a lower q: the order counts, not the q.
        assert_eq!(lang("de;q=0.5,en;q=1"), Lang::De);
        assert_eq!(lang("de;q=0, en"), Lang::En, "q=0 refuses German");
        assert_eq!(lang("fr, it"), Lang::En);
        assert_eq!(lang(""), Lang::En);
        assert_eq!(accepted_language(&HeaderMap::new()), Lang::En);
    }

    #[test]
    fn the_lang_parameter_comes_before_the_accept_language_header() {
        let german_browser = accepting("de-DE,de;q=0.9");
        assert_eq!(asking(Some("en")).lang(&german_browser), Lang::En);
        assert_eq!(asking(Some("de-AT")).lang(&HeaderMap::new()), Lang::De);
        // A language moot does not speak is passed over, not an error.
        assert_eq!(asking(Some("fr")).lang(&german_browser), Lang::De);
        assert_eq!(asking(None).lang(&german_browser), Lang::De);
        assert_eq!(asking(None).lang(&HeaderMap::new()), Lang::En);
    }
}
