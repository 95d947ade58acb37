//! `/m/{code}`: the meetup as a participant sees it, one column of cards in
//! sections (what to do now first, then the queue, the topics and one's
//! own), with the section bar of [`crate::phone_nav`] at the bottom while
//! the meetup runs (the people in it from [`crate::people`]). Whoever runs
//! the meetup gets the control surface of [`crate::surface`] instead, in the
//! full app.

use leptos::prelude::*;
use moot_shared::JoinCode;
use moot_shared::Rejection;
use moot_shared::protocol::parse_display_name;

use crate::announce::announcement;
use crate::app::{Route, app_context, facilitation_only, keep_facilitation_loaded, later};
use crate::connection::{Auth, Connection, Ended};
use crate::i18n::t;
use crate::people::{MeSection, ParticipantList, RoomHeader, StandInNotice};
use crate::phone_nav::{PageSection, PhoneNav, Section};
use crate::storage::{store_token, stored_token, take_fragment_token};

/// The room route: connects with the stored token, or sends a newcomer to
/// the join page. A facilitator link brings its token in the fragment.
#[component]
pub fn RoomPage(code: JoinCode) -> impl IntoView {
    let app = app_context();
    if let Some(token) = take_fragment_token() {
        store_token(&code, &token);
    }
    let Some(token) = stored_token(&code) else {
        let route = Route::Join(code);
        set_timeout(move || app.navigate(route, true), std::time::Duration::ZERO);
        return ().into_any();
    };
    let connection = Connection::start(app, code.clone(), Auth::Rejoin(token), announcement);
    on_cleanup(move || connection.shutdown());

    // A token the server does not know is dropped; the person joins afresh.
    Effect::new(move || {
        if connection.ended.get() == Some(Ended::BadCredential) {
            app.navigate(Route::Join(connection.code.get_value()), true);
        }
    });
    // The connection opens now; the page is built by the next task.
    crate::app::later! { <RoomView connection=connection /> }.into_any()
}

/// The room for a connected participant (also shown by the join page once
/// the join succeeded).
#[component]
pub fn RoomView(connection: Connection) -> impl IntoView {
    let texts = t();
    let room = connection.room;
    // A memo: it changes on a hand-over or a co-facilitator change, not on
    // every event. The room's own rule decides it.
    let runs_meetup: Signal<bool> = Memo::new(move |_| connection.runs_meetup()).into();
    // A memo, so the view below is rebuilt when the room first arrives, not
    // on every event (which would reset inputs and the queue's cues).
    let loading = Memo::new(move |_| room.with(Option::is_none));
    // Once the meetup has ended, what runs it live (the timer, polls, the
    // speaking queue, the board's proposing and voting) leaves the page: nobody is "next"
    // any more, and the review, exports and outcomes stay.
    let live = Memo::new(move |_| {
        room.with(|room| room.as_ref().is_some_and(|room| room.ended_at.is_none()))
    });
    Effect::new(move || {
        if runs_meetup.get() {
            keep_facilitation_loaded();
        }
    });
    // While the group reviews its goals, each phone's goals are what to do now.
    let reviewing = Memo::new(move |_| {
        room.with(|room| {
            room.as_ref()
                .and_then(|room| room.agenda.current())
                .is_some_and(|phase| {
                    phase.spec.kind == moot_shared::room::agenda::PhaseKind::GoalReview
                })
        })
    });

    move || {
        if let Some(ended) = connection.ended.get() {
            return view! { <EndedNotice connection=connection ended=ended /> }.into_any();
        }
        if loading.get() {
            return view! {
                <section class="card">
                    <h1>{texts.loading_room}</h1>
                    <p class="hint">{move || texts.connection_state(connection.state.get())}</p>
                </section>
            }
            .into_any();
        }
        // Read here, so the page is built once more when the meetup ends
        // (a memo: it changes once).
        let live = live.get();
        // Whoever runs the meetup gets the control surface (full app only).
        if runs_meetup.get()
            && let Some(surface) = facilitation_only(move || {
                view! { <crate::surface::FacilitatorSurface connection=connection live=live /> }
                    .into_any()
            })
        {
            return surface;
        }
        view! {
            <div class="stack">
                // Each card is built by a task of its own, in page order (see
                // `Later`): the first screen first.
                {later! { <RoomHeader connection=connection /> }}
                // Who runs the meetup while its facilitator is away: before
                // anything else, so nobody wonders why the controls moved.
                <StandInNotice connection=connection />
                // While a timer exists its countdown stays at the top of the
                // phone: outside the sections, so it sticks over all of them.
                {live.then(|| later! { <crate::timer::TimerCard connection=connection /> })}
                // What to do now first: where the group is, the quiet
                // phase's jot pad, the end and the next meetup, the review of
                // carried items, the poll on stage.
                <PageSection section=Section::Now>
                    {live.then(|| view! { <crate::queue::TurnCue connection=connection /> })}
                    {later! { <crate::agenda::PhaseStrip connection=connection /> }}
                    // In a breakout, one's group is what to do now. Empty
                    // otherwise, so built with the section, not a task of its own.
                    {live.then(|| view! { <crate::breakout::GroupCard connection=connection /> })}
                    {later! { <crate::agenda::JotPad connection=connection /> }}
                    // The end, the next meetup of the series, one's downloads.
                    {later! { <crate::lifecycle::MyExports connection=connection /> }}
                    // After the end, one's own action items are what is left to do.
                    {(!live).then(|| later! { <crate::board::MyActionItems connection=connection /> })}
                    {later! { <crate::lifecycle::ReviewCard connection=connection runs_meetup=runs_meetup /> }}
                    {live.then(|| later! { <crate::poll::PollCard connection=connection runs_meetup=runs_meetup /> })}
                    {move || (live && reviewing.get()).then(|| later! { <crate::goals::GoalsCard connection=connection /> })}
                </PageSection>
                {live.then(|| view! {
                    <PageSection section=Section::Queue>
                        {later! { <crate::queue::QueueCard connection=connection runs_meetup=runs_meetup /> }}
                        {later! { <crate::queue::AirtimeTable connection=connection runs_meetup=runs_meetup /> }}
                    </PageSection>
                    <PageSection section=Section::Topics>
                        {later! { <crate::board::BoardCard connection=connection runs_meetup=runs_meetup /> }}
                        {later! { <crate::board::OutcomesCard connection=connection /> }}
                        {later! { <crate::board::FinishedTopics connection=connection /> }}
                    </PageSection>
                })}
                <PageSection section=Section::Mine>
                    // After the end, the airtime stays (it is in the minutes too).
                    {(!live).then(|| later! { <crate::queue::AirtimeTable connection=connection runs_meetup=runs_meetup /> })}
                    {live.then(|| later! { <crate::board::MyActionItems connection=connection /> })}
                    {move || (live && !reviewing.get()).then(|| later! { <crate::goals::GoalsCard connection=connection /> })}
                    {later! { <section class="card" aria-labelledby="people-heading">
                        <h2 id="people-heading">{texts.people_heading}</h2>
                        <p class="hint">{move || room.with(|room| room.as_ref().map(|room| {
                            (texts.people_count)(room.active_participants().count(), room.seat_cap)
                        }))}</p>
                        <ParticipantList connection=connection with_actions=runs_meetup />
                    </section> }}
                    {later! { <MeSection connection=connection /> }}
                </PageSection>
                // Nothing live after the end: no jumps, no hand to raise.
                {live.then(|| view! { <PhoneNav connection=connection /> })}
            </div>
        }
        .into_any()
    }
}

/// A full page for a connection that has ended: removed, left, unknown code…
#[component]
pub fn EndedNotice(connection: Connection, ended: Ended) -> impl IntoView {
    let texts = t();
    let (heading, body) = match &ended {
        Ended::Removed => (texts.removed_heading, texts.removed_body),
        Ended::Left => (texts.left_heading, texts.left_body),
        Ended::UnknownCode | Ended::BadCredential => {
            (texts.unknown_code_heading, texts.unknown_code_body)
        }
        Ended::Version => (texts.version_heading, texts.version_body),
        Ended::JoinRefused(..) => (texts.rejoin_refused_heading, ""),
    };
    // Why a rejoin was refused, in the server's words.
    let reason = match &ended {
        Ended::JoinRefused(reason, message) => Some(texts.rejection(reason, message)),
        _ => None,
    };
    let testid = if ended == Ended::Removed {
        "removed-notice"
    } else {
        "ended-notice"
    };
    let action = match ended {
        Ended::Left => Some(view! {
            <button type="button" class="primary" data-testid="rejoin-button" on:click=move |_| connection.restart()>{texts.rejoin}</button>
        }.into_any()),
        Ended::Version => Some(view! {
            <button type="button" class="primary" on:click=move |_| { let _ = window().location().reload(); }>{texts.reload}</button>
        }.into_any()),
        // Someone took their name while they were away: come back under another.
        Ended::JoinRefused(Rejection::NameTaken, _) => Some(view! { <RejoinUnderNewName connection=connection /> }.into_any()),
        Ended::JoinRefused(..) => Some(view! {
            <button type="button" class="primary" data-testid="rejoin-retry" on:click=move |_| connection.restart()>{texts.try_again}</button>
        }.into_any()),
        _ => None,
    };
    view! {
        <section class="card notice" data-testid=testid role="alert">
            <h1>{heading}</h1>
            {(!body.is_empty()).then(|| view! { <p>{body}</p> })}
            {reason.map(|reason| view! { <p data-testid="rejoin-refused-reason">{reason}</p> })}
            <p class="actions">{action}<a class="button" href="/">{texts.back_to_start}</a></p>
        </section>
    }
}

/// A name field for coming back after leaving, when the old name was taken.
#[component]
fn RejoinUnderNewName(connection: Connection) -> impl IntoView {
    let texts = t();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match parse_display_name(&name.get_untracked()) {
            Ok(checked) => connection.restart_as(Some(checked.to_string())),
            Err(reason) => error.set(Some(texts.rejection(&reason, ""))),
        }
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <label for="rejoin-name">{texts.rejoin_name_label}</label>
            <input id="rejoin-name" data-testid="rejoin-name" type="text" autocomplete="nickname"
                maxlength=moot_shared::DisplayName::MAX_CHARS.to_string()
                prop:value=move || name.get()
                on:input=move |event| name.set(event_target_value(&event)) />
            <p class="error" role="alert">{move || error.get()}</p>
            <button type="submit" class="primary" data-testid="rejoin-submit">{texts.rejoin}</button>
        </form>
    }
}
