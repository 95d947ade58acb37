//! The participant's section bar (issue 15, item 3): fixed at the bottom of
//! the page while the meetup runs, so what a phone does right now is on top
//! and everything else is one tap away. It jumps to the page's sections
//! ([`Section`]: now, topics, queue, mine), says in small badges what waits
//! there (dots left, one's place in the queue, one's action items), and
//! holds the "raise hand" toggle, so a hand goes up or down in one tap
//! whichever section is in view.
//!
//! The sections stay one page rather than tabs: nothing is hidden from a
//! screen reader's or a search's reach, and a half-typed note survives a
//! jump. `scroll-padding` (see `style.css`) keeps a section that is jumped
//! to clear of the sticky timer above and this bar below.

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::room::queue::EntryKind;
use wasm_bindgen::JsCast;

use crate::connection::Connection;
use crate::i18n::t;

/// A part of the participant's page the bar jumps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Where the group is and what to do now: the phase, the open poll.
    Now,
    /// The speaking queue and the airtime.
    Queue,
    /// The topic board, the topic under discussion and the finished ones.
    Topics,
    /// One's own action items and exports, the people, one's name.
    Mine,
}

impl Section {
    /// The id of the section's element.
    pub fn id(self) -> &'static str {
        match self {
            Section::Now => "section-now",
            Section::Queue => "section-queue",
            Section::Topics => "section-topics",
            Section::Mine => "section-mine",
        }
    }

    /// The section's name, on the bar and for screen readers.
    pub fn name(self) -> &'static str {
        let texts = t();
        match self {
            Section::Now => texts.section_now,
            Section::Queue => texts.section_queue,
            Section::Topics => texts.section_topics,
            Section::Mine => texts.section_mine,
        }
    }
}

/// A section of the participant's page: a named group the bar jumps to
/// and focuses. A group, not a region: its cards are the page's regions,
/// and "Topics" around the "Topics" card would be two landmarks of one name.
#[component]
pub fn PageSection(section: Section, children: Children) -> impl IntoView {
    view! {
        <div id=section.id() class="stack page-section" tabindex="-1" role="group" aria-label=section.name()>
            {children()}
        </div>
    }
}

/// Scrolls to a section and moves focus there, so a keyboard or screen
/// reader continues where the eyes went. "Now" is the top of the page.
fn go_to(section: Section) {
    let Some(element) = document().get_element_by_id(section.id()) else {
        return;
    };
    if section == Section::Now {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    } else {
        element.scroll_into_view();
    }
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = element.focus_with_options(&options);
    }
}

/// The bar itself.
#[component]
pub fn PhoneNav(connection: Connection) -> impl IntoView {
    let texts = t();
    let me = connection.me;
    // One's own "new point" hand, the one the big button raises.
    let my_hand = move || {
        let me = me.get()?;
        connection.parts.queue.with(|queue| {
            queue
                .as_ref()?
                .entries
                .iter()
                .find(|entry| entry.participant == me && entry.kind == EntryKind::NewPoint)
                .map(|entry| entry.id)
        })
    };
    // Built afresh each time: cloning a `Command` would bring the clone of
    // every command into the phone's download.
    let raise = || Command::RaiseHand {
        kind: EntryKind::NewPoint,
        note: None,
    };
    // The reducer says whether a hand can go up (a listening case giver's
    // cannot).
    let cannot_raise = move || my_hand().is_none() && !connection.allows(raise());
    let toggle = move |_| match my_hand() {
        Some(entry) => connection.send(Command::WithdrawEntry { entry }),
        None => connection.send(raise()),
    };
    let dots_left = move || {
        let me = me.get()?;
        connection.parts.board.with(|board| {
            let board = board.as_ref().filter(|board| board.voting_open)?;
            Some(board.dots_left(me)).filter(|left| *left > 0)
        })
    };
    let my_place = move || {
        let me = me.get()?;
        connection
            .parts
            .queue
            .with(|queue| crate::queue::place_of(queue.as_ref()?, me))
    };
    let my_items = move || {
        let me = me.get()?;
        connection.room.with(|room| {
            let count = room
                .as_ref()?
                .board
                .action_items
                .iter()
                .filter(|item| item.owner == me)
                .count();
            (count > 0).then_some(count)
        })
    };
    let link = move |section: Section, badge: Box<dyn Fn() -> Option<String> + Send + Sync>| {
        view! {
            <button type="button" class="nav-link" data-testid=format!("nav-{}", section.id())
                on:click=move |_| go_to(section)>
                <span>{section.name()}</span>" "
                {move || badge().map(|badge| view! { <span class="nav-badge">{badge}</span> })}
            </button>
        }
    };
    view! {
        <nav class="phone-nav" aria-label=texts.sections_label data-testid="phone-nav">
            <button type="button" class="nav-hand" data-testid="nav-raise-hand"
                aria-pressed=move || my_hand().is_some().to_string()
                disabled=cannot_raise
                on:click=toggle>
                {move || if my_hand().is_some() { texts.nav_lower_hand } else { texts.nav_raise_hand }}
            </button>
            {link(Section::Now, Box::new(|| None))}
            {link(Section::Topics, Box::new(move || dots_left().map(|left| left.to_string())))}
            {link(Section::Queue, Box::new(move || my_place().map(|place| format!("#{place}"))))}
            {link(Section::Mine, Box::new(move || my_items().map(|count| count.to_string())))}
        </nav>
    }
}
