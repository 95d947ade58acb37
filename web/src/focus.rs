//! Where keyboard and screen-reader focus goes when the control it was on
//! goes away. Many actions replace the control that did them: Raise hand
//! becomes the hand's own entry, the last dot disables every "+", a vote
//! turns into the vote cast, Done hands the floor on. The browser then drops
//! focus to `<body>`, and someone on a keyboard or a screen reader starts
//! again from the top of the page. Instead, focus moves to the heading of
//! the card the control was in (or, when the card went too, to the page's
//! main region), without scrolling: predictable, and announced as where
//! they are.
//!
//! It watches the page rather than each action: every view that replaces
//! its own controls is covered without code of its own.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::document;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event, FocusOptions, HtmlElement, MutationObserver, MutationObserverInit};

/// Where focus was put last: the control last activated, then the heading
/// focus was moved to (a card may be rebuilt more than once as the events
/// of one action arrive), with the id of its card's heading (what the
/// card's `aria-labelledby` names), read at the time: a removed control has
/// no ancestors left to ask, and a rebuilt card has a new element with the
/// same heading id.
struct Activated {
    holder: Element,
    heading_id: Option<String>,
}

/// What counts as a control someone activates.
const CONTROLS: &str = "button, input, select, textarea, a[href], [tabindex]";

/// The element matching `selector` that an event happened on or inside
/// (the control a click or submission activated).
pub(crate) fn control_of(event: &Event, selector: &str) -> Option<Element> {
    event
        .target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .and_then(|target| target.closest(selector).ok().flatten())
}

/// Installs the watcher for the life of the page.
pub fn keep_focus_when_controls_go() {
    let activated: Rc<RefCell<Option<Activated>>> = Rc::new(RefCell::new(None));

    // Clicks (and Enter or Space on a button, which click it) and form
    // submissions name the control that may be about to go.
    let remember = {
        let activated = Rc::clone(&activated);
        Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let Some(control) = control_of(&event, CONTROLS) else {
                return;
            };
            let heading_id = control
                .closest("[aria-labelledby]")
                .ok()
                .flatten()
                .and_then(|card| card.get_attribute("aria-labelledby"));
            *activated.borrow_mut() = Some(Activated {
                holder: control,
                heading_id,
            });
        })
    };
    let document = document();
    for kind in ["click", "submit"] {
        let _ = document.add_event_listener_with_callback_and_bool(
            kind,
            remember.as_ref().unchecked_ref(),
            true,
        );
    }
    remember.forget();

    let watch = Closure::<dyn FnMut()>::new(move || {
        let document = leptos::prelude::document();
        let mut activated = activated.borrow_mut();
        let Some(activated) = activated.as_mut() else {
            return;
        };
        // Focus on `<body>` while what held it is still there and enabled is
        // the person's own doing (a tap on empty space): left alone.
        let holder = &activated.holder;
        if holder.is_connected() && !holder.has_attribute("disabled") {
            return;
        }
        // Lost, or about to be: on `<body>`, or still on the removed or
        // disabled control (browsers move focus off it only when they next
        // render, without an event to say so).
        let lost = document.active_element().is_none_or(|active| {
            !active.is_connected()
                || active == *holder
                || Some(active) == document.body().map(Into::into)
        });
        if !lost {
            return;
        }
        let target = activated
            .heading_id
            .as_deref()
            .and_then(|id| document.get_element_by_id(id))
            .or_else(|| document.get_element_by_id("main"));
        if let Some(target) = target.and_then(|target| target.dyn_into::<HtmlElement>().ok()) {
            if !target.has_attribute("tabindex") {
                let _ = target.set_attribute("tabindex", "-1");
            }
            let options = FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = target.focus_with_options(&options);
            activated.holder = target.into();
        }
    });
    if let (Ok(observer), Some(body)) = (
        MutationObserver::new(watch.as_ref().unchecked_ref()),
        document.body(),
    ) {
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        options.set_attributes(true);
        options.set_attribute_filter(&js_sys::Array::of1(&"disabled".into()));
        let _ = observer.observe_with_options(&body, &options);
    }
    watch.forget();
}

/// Moves focus to the page's main region (the skip link's target), scrolled
/// into view.
pub fn focus_main() {
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|main| main.dyn_into::<HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}
