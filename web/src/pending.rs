//! The pending state of a control: the button someone pressed to send a
//! command carries `aria-busy="true"` from the moment the command is sent
//! until the server has acknowledged it, so a tap made in a tunnel is
//! visibly waiting on the control itself, not only in the connection
//! indicator's count. The stylesheet draws it (after a moment, so an answer
//! that comes at once does not flicker it) and assistive technology hears
//! the control is busy.
//!
//! Like [`crate::focus`], it watches the page rather than each view: a
//! capture listener notes the control being activated, and a command sent
//! while that activation runs ([`sent`], from the connection) is tied to it.
//! Every control that sends a command is covered without code of its own.

use std::cell::RefCell;

use leptos::prelude::{document, set_timeout};
use moot_shared::session::Pending;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event};

/// What counts as a control that sends: buttons, and what is styled as one.
const SENDERS: &str = "button, .button";

thread_local! {
    /// The control whose click is being handled now. Set as the click
    /// starts (capture phase, before any view's handler) and cleared on the
    /// next tick, so only a command sent by that click is tied to it.
    static ACTIVATING: RefCell<Option<Element>> = const { RefCell::new(None) };
    /// The controls waiting, each with the request id of its command.
    static WAITING: RefCell<Vec<(String, Element)>> = const { RefCell::new(Vec::new()) };
}

/// Installs the listener for the life of the page. Enter in a form's field
/// and Enter or Space on a button click the button, so a click is every
/// activation there is.
pub fn track_activations() {
    let note = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        let control = crate::focus::control_of(&event, SENDERS);
        if control.is_none() {
            return;
        }
        ACTIVATING.set(control);
        set_timeout(|| ACTIVATING.set(None), Duration::ZERO);
    });
    let _ = document().add_event_listener_with_callback_and_bool(
        "click",
        note.as_ref().unchecked_ref(),
        true,
    );
    note.forget();
}

/// A command went out with `request_id`: the control being activated (if
/// it was a control that sent it, not a timer or the page) waits for it.
pub fn sent(request_id: &str) {
    let Some(control) = ACTIVATING.with_borrow(Clone::clone) else {
        return;
    };
    let _ = control.set_attribute("aria-busy", "true");
    WAITING.with_borrow_mut(|waiting| waiting.push((request_id.to_owned(), control)));
}

/// The commands still unanswered are `outbox`: every control whose
/// commands have all been answered stops waiting.
pub fn settle(outbox: &[Pending]) {
    WAITING.with_borrow_mut(|waiting| {
        let (kept, answered): (Vec<_>, Vec<_>) = waiting
            .drain(..)
            .partition(|(id, _)| outbox.iter().any(|pending| pending.request_id == *id));
        for (_, control) in answered {
            if !kept.iter().any(|(_, waiting)| *waiting == control) {
                let _ = control.remove_attribute("aria-busy");
            }
        }
        *waiting = kept;
    });
}
