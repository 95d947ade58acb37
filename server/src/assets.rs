//! The web app, embedded at build time (see `build.rs`). `index.html` is
//! served for every app route and never cached; the other files have content
//! hashes in their names and are cached for a year. Precompressed `.gz`
//! variants are served to browsers that accept them.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One embedded file.
pub struct Asset {
    /// Its path under the site root, without the leading slash.
    pub path: &'static str,
    /// Its media type.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: &'static [u8],
    /// The same bytes gzip-compressed, when the build made them.
    pub gzip: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// Shown when the binary was built before the web app.
const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>moot</title>\
<h1>moot's web app is not built into this binary</h1>\
<p>Build it with <code>cargo xtask serve</code>, which builds the app and then the server.</p>";

/// The embedded file at `path`, if there is one.
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.path == path)
}

/// Whether the binary carries the web app.
pub fn web_app_built() -> bool {
    find("index.html").is_some()
}

/// Whether a path is one of the app's own pages (served `index.html`).
pub fn is_app_route(path: &str) -> bool {
    path == "/" || path.starts_with("/j/") || path.starts_with("/m/")
}

/// Serves `asset`, compressed if the client accepts gzip.
pub fn respond(asset: &Asset, request_headers: &HeaderMap) -> Response {
    let accepts_gzip = request_headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(',')
                .any(|coding| coding.trim().starts_with("gzip"))
        });
    let cache = if asset.path == "index.html" {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    match asset.gzip {
        Some(gzip) if accepts_gzip => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            (headers, gzip).into_response()
        }
        _ => (headers, asset.body).into_response(),
    }
}

/// The app's page, or the "not built" page.
pub fn index(request_headers: &HeaderMap) -> Response {
    match find("index.html") {
        Some(asset) => respond(asset, request_headers),
        None => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            NOT_BUILT,
        )
            .into_response(),
    }
}
