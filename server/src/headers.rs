//! Security headers on every response, and the Content-Security-Policy of
//! the app's page.
//!
//! The page (`index.html`, written by `cargo xtask build-web`) runs one
//! inline module script, the loader, which imports the app's JS and starts
//! its wasm. The policy allows exactly that: scripts from this server and
//! the loader by its SHA-256 hash (computed from the embedded page, so it
//! follows every rebuild), compiling wasm (`'wasm-unsafe-eval'`), styles
//! from this server, images (the join QR code) from this server, and
//! connections to this server over HTTP and WebSocket. Nothing may frame a
//! moot page: a framed facilitator page would act with the facilitator's
//! rights.
//!
//! Two allowances are wider than ideal, and why:
//! - `style-src-attr 'unsafe-inline'`: the app sets bar widths (poll
//!   results, share of voice) as `style="width: …"` attributes. Inline
//!   `<style>` elements stay forbidden; an attribute can style only its own
//!   element and cannot load anything (`img-src` and `font-src` still apply).
//! - `connect-src` names `ws://` and `wss://` of the request's host besides
//!   `'self'`: CSP 3 lets `'self'` cover WebSockets to the same host, but
//!   older Safari does not, and phones keep old browsers.

use std::sync::LazyLock;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::assets;
use crate::site::{self, RequestHost};

/// The policy of everything that is not a page or a script (JSON, SVG, the
/// packed wasm): load nothing, be framed by nothing. An SVG or JSON opened
/// as a document obeys it.
const NOT_A_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The policy of a script. A script the page imports ignores it, but a
/// worker runs under the policy of its own script's answer: the loader's
/// unpacking worker (`web/loader/unlzma.js`) compiles the wasm, and loads
/// nothing.
const SCRIPT_POLICY: &str =
    "default-src 'none'; script-src 'wasm-unsafe-eval'; frame-ancestors 'none'";

/// The page's policy up to `connect-src`, whose hosts depend on the request.
static PAGE_POLICY: LazyLock<String> = LazyLock::new(|| {
    let page = assets::find("index.html").map_or(&[][..], |asset| asset.body);
    page_policy(page)
});

/// The policy for a page whose HTML is `page`: its inline scripts allowed
/// by hash, and nothing else inline.
pub fn page_policy(page: &[u8]) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    for script in inline_scripts(page) {
        scripts.push_str(" 'sha256-");
        scripts.push_str(&base64(&Sha256::digest(script)));
        scripts.push('\'');
    }
    format!(
        "default-src 'none'; script-src {scripts}; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The full policy of the page served to `host`.
pub fn page_policy_for(host: Option<&RequestHost>) -> String {
    let mut connect = String::from("connect-src 'self'");
    if let Some(host) = host {
        connect.push_str(&format!(" ws://{host} wss://{host}"));
    }
    format!("{}; {connect}", *PAGE_POLICY)
}

/// The contents of every `<script>` without a `src`, byte for byte as the
/// browser hashes them.
fn inline_scripts(page: &[u8]) -> Vec<&[u8]> {
    const OPEN: &[u8] = b"<script";
    const CLOSE: &[u8] = b"</script>";
    // Tags are case-insensitive; lowering ASCII keeps every byte's position,
    // so positions found in `lower` slice the original.
    let lower = page.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = find(&lower[at..], OPEN).map(|offset| at + offset) {
        let attributes_start = start + OPEN.len();
        let Some(tag_end) = find(&lower[attributes_start..], b">").map(|o| attributes_start + o)
        else {
            break;
        };
        let body_start = tag_end + 1;
        let Some(body_end) = find(&lower[body_start..], CLOSE).map(|o| body_start + o) else {
            break;
        };
        if find(&lower[attributes_start..tag_end], b"src=").is_none() {
            found.push(&page[body_start..body_end]);
        }
        at = body_end + CLOSE.len();
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Standard base64 with padding, as CSP hashes are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let triple = chunk.iter().enumerate().fold(0u32, |acc, (i, byte)| {
            acc | u32::from(*byte) << (16 - 8 * i)
        });
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (triple >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Adds the security headers to every response: no MIME sniffing, no
/// framing, no referrer, and a Content-Security-Policy (the page's own for
/// HTML, "compile wasm, load nothing" for scripts, "load nothing" for
/// everything else).
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let host = site::request_host(request.headers()).filter(|host| state.site().knows_host(host));
    let mut response = next.run(request).await;
    let is_type = |prefix: &str| {
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with(prefix))
    };
    let (is_page, is_script) = (is_type("text/html"), is_type("text/javascript"));
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let policy = if is_page {
        HeaderValue::from_str(&page_policy_for(host.as_ref()))
            // The host was parsed into plain characters, so this cannot fail;
            // if it ever did, the page without WebSocket hosts still loads.
            .unwrap_or_else(|_| HeaderValue::from_static(NOT_A_PAGE_POLICY))
    } else if is_script {
        HeaderValue::from_static(SCRIPT_POLICY)
    } else {
        HeaderValue::from_static(NOT_A_PAGE_POLICY)
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn inline_scripts_are_allowed_by_hash_and_others_by_origin() {
        let page = b"<html><head><script type=\"module\">\nlet a = 1;\n</script>\
            <script src=\"/app.js\"></script><SCRIPT>b()</SCRIPT></head></html>";
        let scripts = inline_scripts(page);
        assert_eq!(scripts, vec![&b"\nlet a = 1;\n"[..], &b"b()"[..]]);
        let policy = page_policy(page);
        // The hash of "\nlet a = 1;\n" as `openssl dgst -sha256 -binary | base64` prints it.
        assert!(
            policy.contains("'sha256-wCpX6PRaV2tYabHPuD0EVrhGyeiYQpOhQOJ8OhOtDwA='"),
            "{policy}"
        );
        let script_src = policy
            .split("; ")
            .find(|directive| directive.starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        assert!(policy.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn the_page_may_open_websockets_to_its_host() {
        let host = RequestHost::parse("192.0.2.7:8080").unwrap();
        let policy = page_policy_for(Some(&host));
        assert!(
            policy.ends_with("connect-src 'self' ws://192.0.2.7:8080 wss://192.0.2.7:8080"),
            "{policy}"
        );
    }
}
