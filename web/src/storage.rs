//! What a browser keeps for moot in `localStorage`, per join code: the
//! participant token (`moot.token.{code}`), the shared screen's token
//! (`moot.screen.{code}`) and the outbox of commands not yet acknowledged
//! (`moot.outbox.{code}`, a JSON array of `{"request_id": …, "command": {…}}`,
//! see [`Pending`]), and what a person jots in a silent phase
//! (`moot.jot.{code}.{phase}`, never sent). Storage that is missing or full (private modes)
//! reads as empty and ignores writes: the app then works for this visit only.

use leptos::prelude::window;
use moot_shared::JoinCode;
use moot_shared::json;
use moot_shared::session::Pending;

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub(crate) fn token_key(code: &JoinCode) -> String {
    format!("moot.token.{code}")
}

pub(crate) fn screen_key(code: &JoinCode) -> String {
    format!("moot.screen.{code}")
}

pub(crate) fn outbox_key(code: &JoinCode) -> String {
    format!("moot.outbox.{code}")
}

/// A silent phase's jottings: `moot.jot.{code}.{phase}`. They stay in this
/// browser; nothing sends them anywhere.
pub(crate) fn jot_key(code: &JoinCode, phase: u16) -> String {
    format!("moot.jot.{code}.{phase}")
}

pub(crate) fn remove_item(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

pub(crate) fn get_item(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub(crate) fn set_item(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

/// The participant token stored for this meetup.
pub fn stored_token(code: &JoinCode) -> Option<String> {
    get_item(&token_key(code)).filter(|token| !token.is_empty())
}

/// Keeps the participant token for this meetup.
pub fn store_token(code: &JoinCode, token: &str) {
    set_item(&token_key(code), token);
}

/// The shared-screen token stored in this browser for the meetup.
pub fn stored_screen_token(code: &JoinCode) -> Option<String> {
    get_item(&screen_key(code)).filter(|token| !token.is_empty())
}

/// Keeps the shared-screen token (kept apart from the participant token, so a
/// projector laptop does not become a participant by opening `/m/{code}`).
pub fn store_screen_token(code: &JoinCode, token: &str) {
    set_item(&screen_key(code), token);
}

pub(crate) fn load_outbox(code: &JoinCode) -> Vec<Pending> {
    get_item(&outbox_key(code))
        .and_then(|text| json::from_str(&text).ok())
        .unwrap_or_default()
}

pub(crate) fn save_outbox(code: &JoinCode, outbox: &[Pending]) {
    if outbox.is_empty() {
        remove_item(&outbox_key(code));
    } else {
        set_item(&outbox_key(code), &json::to_string(outbox));
    }
}

/// Takes a participant's token from the address fragment (`#k=<token>`),
/// then removes the fragment from the address bar so it is not shared by
/// accident.
pub fn take_fragment_token() -> Option<String> {
    take_fragment_key().filter(|token| moot_shared::Credential::parse(token).is_some())
}

/// Takes a screen link's key from the address fragment (`#k=<key>`), and
/// removes the fragment.
pub fn take_fragment_screen_key() -> Option<String> {
    take_fragment_key().filter(|key| moot_shared::room::ScreenKey::parse(key).is_some())
}

/// Whatever `#k=` holds, the fragment removed from the address bar.
fn take_fragment_key() -> Option<String> {
    let location = window().location();
    let hash = location.hash().ok()?;
    let token = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("k="))
        .map(str::to_owned)?;
    let path = location.pathname().unwrap_or_default();
    crate::app::set_address(&path, true);
    Some(token)
}
