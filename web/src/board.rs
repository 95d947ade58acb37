//! The topic board in the browser, mirroring `moot_shared::room::board`.
//!
//! - [`BoardCard`]: phones and the facilitator. Propose in one field and one
//!   tap; big "+" / "−" dot buttons with your remaining dots; the current
//!   topic; "to discuss", parked and discussed. Facilitators get reveal,
//!   close, sort, "start next", finish, park, merge and withdraw.
//! - [`OutcomesCard`]: notes, takeaways and action items of the topic being
//!   discussed; anyone adds, authors and facilitators remove.
//! - [`FinishedTopics`]: the same for each topic already discussed, one tap
//!   away, so its outcomes stay readable and a late one can be added.
//! - [`MyActionItems`]: the action items a participant owns, on their phone.
//! - [`ScreenBoard`]: the shared screen: the current topic large, the board
//!   with totals after the reveal.
//!
//! Nothing here hides a dot: while votes are hidden the server sends each
//! viewer only their own, so the page shows what its room holds. Forms live
//! outside the reactive lists, so an event from someone else never resets
//! what a person is typing.

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::ParticipantId;
use moot_shared::room::Membership;
use moot_shared::room::board::{Board, Column, DueDate, NoteKind, Topic, TopicId};
use moot_shared::text;

use crate::app::{Symbol, facilitation_if, facilitation_only};
use crate::connection::Connection;
use crate::i18n::board_texts;

/// The board, from its own memo: views that read it re-render when the
/// board changes, not on every event in the room.
fn board(connection: Connection) -> Option<Board> {
    connection.parts.board.get()
}

fn column_key(column: Column) -> &'static str {
    match column {
        Column::ToDiscuss => "to_discuss",
        Column::Discussing => "discussing",
        Column::Discussed => "discussed",
        Column::Parked => "parked",
    }
}

/// The board for phones and the facilitator.
#[component]
pub fn BoardCard(connection: Connection, #[prop(into)] runs_meetup: Signal<bool>) -> impl IntoView {
    let texts = board_texts();
    let title = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let propose = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = title.get_untracked();
        if typed.trim().is_empty() {
            return;
        }
        let command = (|| {
            Ok(Command::ProposeTopic {
                title: text::field("title", &typed)?,
                details: text::optional_field("details", &details.get_untracked())?,
            })
        })();
        if connection.submit(command) {
            title.set(String::new());
            details.set(String::new());
        }
    };
    let status = move || {
        let me = connection.me.get()?;
        let board = board(connection)?;
        let mut lines = vec![(texts.voters)(board.voters.len())];
        if board.votes_hidden() {
            lines.push(texts.hidden_note.to_owned());
        }
        if !board.voting_open {
            lines.push(texts.voting_closed_note.to_owned());
        }
        Some(view! {
            <p class="dots-left" data-testid="dots-left" data-left=board.dots_left(me).to_string()>
                {(texts.dots_left)(board.dots_left(me), board.settings.dot_budget)}
            </p>
            <p class="hint" data-testid="voters-count" data-count=board.voters.len().to_string()>{lines.join(" · ")}</p>
        })
    };
    view! {
        <section class="card board" aria-labelledby="board-heading" data-testid="board-card">
            <h2 id="board-heading">{texts.heading}</h2>
            {status}
            <CurrentTopic connection=connection runs_meetup=runs_meetup />
            {facilitation_only(move || view! {
                <Show when=move || runs_meetup.get()>
                    <BoardControls connection=connection />
                </Show>
            }.into_any())}
            <TopicList connection=connection runs_meetup=runs_meetup />
            <form class="form propose" on:submit=propose novalidate>
                <h3>{texts.propose_heading}</h3>
                <label for="topic-title-input">{texts.title_label}</label>
                <input id="topic-title-input" data-testid="topic-title-input" type="text"
                    enterkeyhint="send" autocomplete="off"
                    maxlength=moot_shared::limits::TOPIC_TITLE_MAX_CHARS.to_string()
                    prop:value=move || title.get()
                    on:input=move |event| title.set(event_target_value(&event)) />
                <label for="topic-details-input">{texts.details_label}</label>
                <input id="topic-details-input" data-testid="topic-details-input" type="text"
                    autocomplete="off"
                    maxlength=moot_shared::limits::TOPIC_DETAILS_MAX_CHARS.to_string()
                    prop:value=move || details.get()
                    on:input=move |event| details.set(event_target_value(&event)) />
                <button type="submit" class="primary" data-testid="topic-submit">{texts.propose_submit}</button>
            </form>
            <ParkedAndDiscussed connection=connection runs_meetup=runs_meetup />
        </section>
    }
}

/// The topic being discussed, large.
#[component]
fn CurrentTopic(connection: Connection, #[prop(into)] runs_meetup: Signal<bool>) -> impl IntoView {
    let texts = board_texts();
    move || {
        let board = board(connection)?;
        let topic = board.discussing()?.clone();
        let id = topic.id;
        let finish = facilitation_if(runs_meetup.get(), || {
            view! {
            <button type="button" data-testid="finish-topic"
                on:click=move |_| connection.send(Command::FinishTopic { topic: id })>{texts.finish}</button>
        }.into_any()
        });
        Some(view! {
            <div class="current-topic" data-testid="current-topic" data-topic-id=id.0.to_string()>
                <p class="hint">{texts.discussing}</p>
                <p class="current-title" data-testid="current-topic-title">{topic.title.to_string()}</p>
                {topic.details.map(|details| view! { <p class="hint">{details.to_string()}</p> })}
                {finish}
            </div>
        })
    }
}

/// Reveal, close or reopen voting, sort, and start the next topic.
#[component]
fn BoardControls(connection: Connection) -> impl IntoView {
    let texts = board_texts();
    move || {
        let board = board(connection)?;
        let next = board.column(Column::ToDiscuss).next().map(|topic| topic.id);
        let reveal = board.votes_hidden().then(|| {
            view! {
                <button type="button" class="primary" data-testid="reveal-votes"
                    on:click=move |_| connection.send(Command::RevealVotes)>{texts.reveal}</button>
            }
        });
        let voting = if board.voting_open {
            view! { <button type="button" data-testid="close-voting"
            on:click=move |_| connection.send(Command::CloseVoting)>{texts.close_voting}</button> }
            .into_any()
        } else {
            view! { <button type="button" data-testid="reopen-voting"
                on:click=move |_| connection.send(Command::ReopenVoting)>{texts.reopen_voting}</button> }
            .into_any()
        };
        // Sorting before the reveal is refused (it would give the totals
        // away); the reducer says so.
        let sort = connection.allows(Command::SortTopics).then(|| {
            view! {
                <button type="button" data-testid="sort-topics"
                    on:click=move |_| connection.send(Command::SortTopics)>{texts.sort}</button>
            }
        });
        let start = next.map(|topic| view! {
            <button type="button" class="primary" data-testid="start-next"
                on:click=move |_| connection.send(Command::StartTopic { topic })>{texts.start_next}</button>
        });
        Some(
            view! { <p class="actions board-controls" data-testid="board-controls">{reveal}{sort}{start}{voting}</p> },
        )
    }
}

/// "To discuss", with dot buttons and, for facilitators, per-topic actions.
#[component]
fn TopicList(connection: Connection, #[prop(into)] runs_meetup: Signal<bool>) -> impl IntoView {
    let texts = board_texts();
    move || {
        let board = board(connection)?;
        let me = connection.me.get();
        let facilitating = runs_meetup.get();
        let waiting: Vec<Topic> = board.column(Column::ToDiscuss).cloned().collect();
        if waiting.is_empty() && board.topics.is_empty() {
            return Some(
                view! { <p class="hint" data-testid="board-empty">{texts.nothing_yet}</p> }
                    .into_any(),
            );
        }
        let others: Vec<(TopicId, String)> = waiting
            .iter()
            .map(|topic| (topic.id, topic.title.to_string()))
            .collect();
        let rows = waiting
            .into_iter()
            .map(|topic| {
                // A carried topic reads as its author's until they join.
                let author = match &topic.carried_author {
                    Some(name) => name.to_string(),
                    None => connection.parts.name_of(topic.author),
                };
                let mine = me.map_or(0, |me| topic.dots_of(me));
                view! {
                    <TopicRow topic=topic author=author mine=mine show_total=!board.votes_hidden()
                        facilitating=facilitating others=others.clone() connection=connection />
                }
            })
            .collect_view();
        Some(
            view! {
                <h3>{texts.to_discuss}</h3>
                <ol class="topics" data-testid="to-discuss">{rows}</ol>
            }
            .into_any(),
        )
    }
}

/// One waiting topic.
#[component]
fn TopicRow(
    topic: Topic,
    author: String,
    mine: u8,
    show_total: bool,
    facilitating: bool,
    others: Vec<(TopicId, String)>,
    connection: Connection,
) -> impl IntoView {
    let texts = board_texts();
    let id = topic.id;
    let title = topic.title.to_string();
    let total = topic.total();
    let merged = (!topic.merged.is_empty()).then(|| {
        let titles: Vec<String> = topic.merged.iter().map(ToString::to_string).collect();
        view! { <p class="hint">{(texts.merged_from)(&titles.join(", "))}</p> }
    });
    // The reducer decides what this person may do with the topic; the
    // buttons ask it (and follow the room as it changes).
    let withdraw = move || {
        connection
            .allows(Command::WithdrawTopic { topic: id })
            .then(|| {
                view! {
                    <button type="button" class="danger small" data-testid="withdraw-topic"
                        on:click=move |_| {
                            if window().confirm_with_message(texts.withdraw_confirm).unwrap_or(false) {
                                connection.send(Command::WithdrawTopic { topic: id });
                            }
                        }>{texts.withdraw}</button>
                }
            })
    };
    let can_place = move || connection.allows(Command::PlaceDot { topic: id });
    let can_take = move || connection.allows(Command::TakeBackDot { topic: id });
    let from_title = title.clone();
    let merge_options = others
        .iter()
        .filter(|(other, _)| *other != id)
        .map(|(other, other_title)| view! { <option value=other.0.to_string()>{other_title.clone()}</option> })
        .collect_view();
    let facilitator_actions = facilitation_if(facilitating, || {
        view! {
        <span class="topic-actions">
            <button type="button" class="small" data-testid="start-topic"
                on:click=move |_| connection.send(Command::StartTopic { topic: id })>{texts.start}</button>
            <button type="button" class="small" data-testid="park-topic"
                on:click=move |_| connection.send(Command::ParkTopic { topic: id })>{texts.park}</button>
            <label class="visually-hidden" for=format!("merge-{}", id.0)>{texts.merge_into}</label>
            <select id=format!("merge-{}", id.0) class="small" data-testid="merge-topic"
                on:change=move |event| {
                    let value = event_target_value(&event);
                    let Ok(into) = value.parse::<u32>() else { return };
                    let into_title = others
                        .iter()
                        .find(|(other, _)| other.0 == into)
                        .map(|(_, other)| other.clone())
                        .unwrap_or_default();
                    if window().confirm_with_message(&(texts.merge_confirm)(&from_title, &into_title)).unwrap_or(false) {
                        connection.send(Command::MergeTopics { from: id, into: TopicId(into) });
                    }
                }>
                <option value="" selected>{texts.merge_into}</option>
                {merge_options}
            </select>
        </span>
    }.into_any()
    });
    let place_label = (texts.place_dot)(&title);
    let take_label = (texts.take_back_dot)(&title);
    view! {
        <li class="topic" data-testid="topic" data-topic-id=id.0.to_string() data-my-dots=mine.to_string()
            data-votes=show_total.then(|| total.to_string())>
            <div class="topic-main">
                <p class="topic-title" data-testid="topic-title">{title.clone()}</p>
                {topic.details.map(|details| view! { <p class="hint">{details.to_string()}</p> })}
                <p class="hint">{(texts.by)(&author)}</p>
                {merged}
                {show_total.then(|| view! { <p class="topic-votes" data-testid="topic-votes">{(texts.votes)(total)}</p> })}
            </div>
            <div class="dots" role="group" aria-label=title.clone()>
                <button type="button" class="dot-button" data-testid="take-back-dot"
                    disabled=move || !can_take() on:click=move |_| connection.send(Command::TakeBackDot { topic: id })>
                    <Symbol symbol="−" name=take_label />
                </button>
                <span class="my-dots" data-testid="my-dots" aria-live="off">{(texts.my_dots)(mine)}</span>
                <button type="button" class="dot-button" data-testid="place-dot"
                    disabled=move || !can_place() on:click=move |_| connection.send(Command::PlaceDot { topic: id })>
                    <Symbol symbol="+" name=place_label />
                </button>
            </div>
            {facilitator_actions}
            {withdraw}
        </li>
    }
}

/// Parked and discussed topics, each with its time spent.
#[component]
fn ParkedAndDiscussed(
    connection: Connection,
    #[prop(into)] runs_meetup: Signal<bool>,
) -> impl IntoView {
    let texts = board_texts();
    move || {
        let board = board(connection)?;
        let facilitating = runs_meetup.get();
        let list = |column: Column, heading: &'static str| {
            let topics: Vec<Topic> = board.column(column).cloned().collect();
            (!topics.is_empty()).then(|| {
                let rows = topics
                    .into_iter()
                    .map(|topic| {
                        let id = topic.id;
                        let unpark = facilitation_if(facilitating && column == Column::Parked, || view! {
                            <button type="button" class="small" data-testid="unpark-topic"
                                on:click=move |_| connection.send(Command::UnparkTopic { topic: id })>{texts.unpark}</button>
                        }.into_any());
                        let spent = (topic.time_spent_ms > 0).then(|| (texts.time_spent)(topic.time_spent_ms));
                        view! {
                            <li class="topic topic-done" data-testid="topic" data-topic-id=id.0.to_string()
                                data-column=column_key(column)>
                                <span class="topic-title">{topic.title.to_string()}</span>
                                " "<span class="hint">{spent}</span>
                                {unpark}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <h3>{heading}</h3>
                    <ul class="topics" data-testid=format!("column-{}", column_key(column))>{rows}</ul>
                }
            })
        };
        Some(view! {
            {list(Column::Parked, texts.parked)}
            {list(Column::Discussed, texts.discussed)}
        })
    }
}

/// Notes, takeaways and action items of the topic being discussed.
#[component]
pub fn OutcomesCard(connection: Connection) -> impl IntoView {
    let texts = board_texts();
    let current = Memo::new(move |_| {
        board(connection).and_then(|board| board.discussing().map(|topic| topic.id))
    });
    view! {
        <Show when=move || current.get().is_some()>
            <section class="card outcomes" aria-labelledby="outcomes-heading" data-testid="outcomes-card">
                <h2 id="outcomes-heading">{texts.outcomes_heading}</h2>
                {move || current.get().map(|topic| view! { <Outcomes connection=connection topic=topic /> })}
            </section>
        </Show>
    }
}

/// The topics already discussed, each with its outcomes one tap away:
/// still readable once the group has moved on, and open to a late note,
/// takeaway or action item (the reducer takes them for any topic).
#[component]
pub fn FinishedTopics(connection: Connection) -> impl IntoView {
    let texts = board_texts();
    let finished = Memo::new(move |_| {
        board(connection)
            .map(|board| {
                board
                    .column(Column::Discussed)
                    .map(|topic| (topic.id, topic.title.to_string()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        <Show when=move || finished.with(|finished| !finished.is_empty())>
            <section class="card outcomes" aria-labelledby="finished-heading" data-testid="finished-topics">
                <h2 id="finished-heading">{texts.finished_heading}</h2>
                <For each=move || finished.get() key=|entry| entry.clone()
                    children=move |(topic, title)| view! {
                        <details class="finished-topic" data-testid="finished-topic" data-topic-id=topic.0.to_string()>
                            <summary>{title}</summary>
                            <Outcomes connection=connection topic=topic />
                        </details>
                    } />
            </section>
        </Show>
    }
}

/// One topic's notes, takeaways and action items, and the forms that add
/// them (anyone adds; authors and facilitators remove). Its fields' ids
/// carry the topic's, so several topics' forms can share a page.
#[component]
fn Outcomes(connection: Connection, topic: TopicId) -> impl IntoView {
    let texts = board_texts();
    let note = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let field_id = move |field: &str| format!("{field}-{}", topic.0);
    let add_note = move |kind: NoteKind| {
        let text = note.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let command = text::field("text", &text).map(|text| Command::AddNote { topic, kind, text });
        if connection.submit(command) {
            note.set(String::new());
        }
    };
    let add_action = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Ok(owner_id) = owner.get_untracked().parse::<uuid::Uuid>() else {
            return;
        };
        let text = action.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let command = (|| {
            let typed_due = due.get_untracked();
            Ok(Command::AddActionItem {
                topic,
                text: text::field("text", &text)?,
                owner: ParticipantId(owner_id),
                due: match typed_due.trim() {
                    "" => None,
                    date => Some(DueDate::parse(date)?),
                },
            })
        })();
        if connection.submit(command) {
            action.set(String::new());
            due.set(String::new());
        }
    };
    let lists = move || {
        connection.parts.board.with(|board| {
            let board = board.as_ref()?;
            let notes = board
                .notes
                .iter()
                .filter(|note| note.topic == topic)
                .map(|item| {
                    let id = item.id;
                    let takeaway = item.kind == NoteKind::Takeaway;
                    let remove = move || connection.allows(Command::RemoveNote { note: id }).then(|| view! {
                        <button type="button" class="small" data-testid="remove-note"
                            on:click=move |_| connection.send(Command::RemoveNote { note: id })>{texts.remove}</button>
                    });
                    view! {
                        <li data-testid="note" data-kind=if takeaway { "takeaway" } else { "note" }>
                            {takeaway.then(|| view! { <strong>{texts.takeaway_label}": "</strong> })}
                            {item.text.to_string()}" "{remove}
                        </li>
                    }
                })
                .collect_view();
            let items = board
                .action_items
                .iter()
                .filter(|item| item.topic == topic)
                .map(|item| {
                    let id = item.id;
                    let remove = move || connection.allows(Command::RemoveActionItem { item: id }).then(|| view! {
                        <button type="button" class="small" data-testid="remove-action-item"
                            on:click=move |_| connection.send(Command::RemoveActionItem { item: id })>{texts.remove}</button>
                    });
                    let owner = connection.parts.name_of(item.owner);
                    view! {
                        <li data-testid="action-item">
                            {item.text.to_string()}
                            <span class="hint">" — "{(texts.action_line)(&owner, item.due.as_ref().map(|due| due.as_str()))}</span>
                            " "{remove}
                        </li>
                    }
                })
                .collect_view();
            Some(view! {
                <h3>{texts.notes_heading}</h3>
                <ul class="notes" data-testid="notes">{notes}</ul>
                <h3>{texts.actions_heading}</h3>
                <ul class="notes" data-testid="action-items">{items}</ul>
            })
        })
    };
    let owners = move || {
        connection.parts.people.with(|people| {
            people
                .iter()
                .filter(|person| person.membership == Membership::Active)
                .map(|person| {
                    (
                        person.id.0.hyphenated().to_string(),
                        person.name.to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
                {lists}
                <form class="form" on:submit=move |event: leptos::ev::SubmitEvent| { event.prevent_default(); add_note(NoteKind::Note) } novalidate>
                    <label for=field_id("note-input")>{texts.note_label}</label>
                    <input id=field_id("note-input") data-testid="note-input" type="text" autocomplete="off"
                        maxlength=moot_shared::limits::NOTE_TEXT_MAX_CHARS.to_string()
                        prop:value=move || note.get()
                        on:input=move |event| note.set(event_target_value(&event)) />
                    <p class="actions">
                        <button type="submit" data-testid="add-note">{texts.add_note}</button>
                        <button type="button" data-testid="add-takeaway"
                            on:click=move |_| add_note(NoteKind::Takeaway)>{texts.add_takeaway}</button>
                    </p>
                </form>
                <form class="form" on:submit=add_action novalidate>
                    <label for=field_id("action-input")>{texts.action_label}</label>
                    <input id=field_id("action-input") data-testid="action-input" type="text" autocomplete="off"
                        maxlength=moot_shared::limits::ACTION_TEXT_MAX_CHARS.to_string()
                        prop:value=move || action.get()
                        on:input=move |event| action.set(event_target_value(&event)) />
                    <label for=field_id("action-owner")>{texts.owner_label}</label>
                    <select id=field_id("action-owner") data-testid="action-owner"
                        prop:value=move || owner.get()
                        on:change=move |event| owner.set(event_target_value(&event))>
                        <option value="">"—"</option>
                        <For each=owners key=|(id, name)| (id.clone(), name.clone())
                            children=|(id, name)| view! { <option value=id>{name}</option> } />
                    </select>
                    <label for=field_id("action-due")>{texts.due_label}</label>
                    <input id=field_id("action-due") data-testid="action-due" type="date"
                        prop:value=move || due.get()
                        on:input=move |event| due.set(event_target_value(&event)) />
                    <button type="submit" class="primary" data-testid="add-action-item">{texts.add_action}</button>
                </form>
    }
}

/// The action items the viewer owns, across every topic.
#[component]
pub fn MyActionItems(connection: Connection) -> impl IntoView {
    let texts = board_texts();
    move || {
        let me = connection.me.get()?;
        connection.parts.board.with(|board| {
            let board = board.as_ref()?;
            let items: Vec<_> = board
                .action_items_of(me)
                .map(|item| {
                    let topic = board
                        .topic(item.topic)
                        .map(|topic| topic.title.to_string())
                        .unwrap_or_default();
                    let due = item.due.as_ref().map(|due| due.as_str().to_owned());
                    view! {
                        <li data-testid="my-action-item">
                            <strong>{item.text.to_string()}</strong>
                            <span class="hint">" — "{topic}{due.map(|due| format!(" · {due}"))}</span>
                        </li>
                    }
                })
                .collect();
            (!items.is_empty()).then(|| view! {
                <section class="card" aria-labelledby="my-actions-heading" data-testid="my-action-items">
                    <h2 id="my-actions-heading">{texts.my_actions_heading}</h2>
                    <ul class="notes">{items}</ul>
                </section>
            })
        })
    }
}

/// The board on the shared screen.
#[component]
pub fn ScreenBoard(connection: Connection) -> impl IntoView {
    let texts = board_texts();
    move || {
        let board = board(connection)?;
        if board.topics.is_empty() {
            return None;
        }
        let current = board.discussing().map(|topic| view! {
            <div class="screen-current" data-testid="screen-current-topic" data-topic-id=topic.id.0.to_string()>
                <p class="screen-label">{texts.discussing}</p>
                <p class="screen-current-title">{topic.title.to_string()}</p>
            </div>
        });
        let show_totals = !board.votes_hidden();
        let rows = board
            .column(Column::ToDiscuss)
            .map(|topic| {
                let total = topic.total();
                view! {
                    <li data-testid="screen-topic" data-topic-id=topic.id.0.to_string()
                        data-votes=show_totals.then(|| total.to_string())>
                        <span class="screen-topic-title">{topic.title.to_string()}</span>
                        {show_totals.then(|| view! { <span class="screen-topic-votes">{(texts.votes)(total)}</span> })}
                    </li>
                }
            })
            .collect_view();
        let discussed = board.column(Column::Discussed).count();
        Some(view! {
            <section class="screen-board" aria-labelledby="screen-board-heading" data-testid="screen-board">
                {current}
                <h2 id="screen-board-heading">{texts.to_discuss}</h2>
                <p class="hint" data-testid="screen-voters">
                    {(texts.voters)(board.voters.len())}
                    {(!show_totals).then(|| format!(" · {}", texts.hidden_note))}
                    {(discussed > 0).then(|| format!(" · {}: {discussed}", texts.discussed))}
                </p>
                <ol class="screen-topics">{rows}</ol>
            </section>
        })
    }
}
