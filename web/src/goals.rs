//! Goals on a person's own page: their goals with a one-tap check-in
//! (progress, stuck, done, dropped, with an optional line), the goals of
//! others they may see, and a form to set one. What "may see" means is the
//! server's business: this view shows whatever goals the room holds, and a
//! phone's room holds only the goals its person may see (`goals` in the
//! shared crate).

use leptos::prelude::*;
use moot_shared::Command;
use moot_shared::room::board::DueDate;
use moot_shared::room::goals::{Goal, GoalKind, GoalProgress, GoalVisibility};
use moot_shared::text;

use crate::connection::Connection;
use crate::i18n::goal_texts;

/// The check-ins a goal's owner taps: everything but "open".
const CHECK_INS: [GoalProgress; 4] = [
    GoalProgress::Progress,
    GoalProgress::Stuck,
    GoalProgress::Done,
    GoalProgress::Dropped,
];

fn index_of<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|item| item == value).unwrap_or(0)
}

/// The goals card: one's own goals first, then the group's, then the form.
#[component]
pub fn GoalsCard(connection: Connection) -> impl IntoView {
    let texts = goal_texts();
    let goals = connection.parts.goals;
    let me = connection.me;
    // One's own goals, and everyone else's (carried ones still waiting for
    // their owner among them), in one pass.
    let split = Memo::new(move |_| {
        let me = me.get();
        goals.with(|goals| {
            goals.as_ref().map_or_else(Default::default, |goals| {
                goals
                    .goals
                    .iter()
                    .cloned()
                    .partition::<Vec<Goal>, _>(|goal| me.is_some() && goal.owner == me)
            })
        })
    });
    let mine = move || split.with(|(mine, _)| mine.clone());
    let others = move || split.with(|(_, others)| others.clone());
    view! {
        <section class="card goals" aria-labelledby="goals-heading" data-testid="goals-card">
            <h2 id="goals-heading">{texts.heading}</h2>
            {move || split.with(|(mine, _)| mine.is_empty()).then(|| view! { <p class="hint">{texts.none_yet}</p> })}
            <ul class="goal-list">
                <For each=mine key=|goal| (goal.id, goal.checkins.last().map(|checkin| checkin.at.0), goal.text.to_string(), goal.visibility, goal.kind) let:goal>
                    <MyGoal connection=connection goal=goal />
                </For>
            </ul>
            {move || split.with(|(_, others)| !others.is_empty()).then(|| view! {
                <h3>{texts.others_heading}</h3>
                <ul class="goal-list">
                    {others().into_iter().map(|goal| view! { <OthersGoal connection=connection goal=goal /> }).collect_view()}
                </ul>
            })}
            <GoalForm connection=connection />
        </section>
    }
}

/// One of one's own goals, with its check-in.
#[component]
fn MyGoal(connection: Connection, goal: Goal) -> impl IntoView {
    let texts = goal_texts();
    let id = goal.id;
    let note = RwSignal::new(String::new());
    let progress = goal.progress();
    let last_note = goal
        .checkins
        .last()
        .and_then(|checkin| checkin.note.as_ref())
        .map(|note| note.to_string());
    let note_id = format!("goal-note-{}", id.0);
    let check_in = move |progress: GoalProgress| {
        let command =
            text::optional_field("note", &note.get_untracked()).map(|note| Command::CheckInGoal {
                goal: id,
                progress,
                note,
            });
        if connection.submit(command) {
            note.set(String::new());
        }
    };
    let buttons = CHECK_INS
        .into_iter()
        .map(|choice| {
            let label = texts.progress[index_of(&GoalProgress::ALL, &choice)];
            view! {
                <button type="button" class="small" data-testid=format!("goal-check-in-{}", label_key(choice))
                    aria-pressed=(progress == choice).to_string()
                    on:click=move |_| check_in(choice)>{label}</button>
            }
        })
        .collect_view();
    view! {
        <li class="goal" data-testid="my-goal" data-goal-id=id.0.to_string() data-progress=label_key(progress)>
            <p class="goal-text">{goal.text.to_string()}</p>
            <p class="hint">{meta(&goal)}</p>
            {last_note.map(|note| view! { <p class="goal-note">{note}</p> })}
            <label class="visually-hidden" for=note_id.clone()>{texts.note_label}</label>
            <input id=note_id type="text" data-testid="goal-note" placeholder=texts.note_label
                maxlength=moot_shared::limits::GOAL_NOTE_MAX_CHARS.to_string()
                prop:value=move || note.get() on:input=move |event| note.set(event_target_value(&event)) />
            <div class="goal-check-ins" role="group" aria-label=(texts.check_in_group)(goal.text.as_str())>
                {buttons}
                <button type="button" class="small danger" data-testid="goal-remove"
                    on:click=move |_| connection.send(Command::RemoveGoal { goal: id })>{texts.remove}</button>
            </div>
        </li>
    }
}

/// Someone else's goal: what it is, whose, and where it stands.
#[component]
fn OthersGoal(connection: Connection, goal: Goal) -> impl IntoView {
    let texts = goal_texts();
    let owner = goal.owner.map_or_else(
        || goal.owner_name.to_string(),
        |owner| connection.parts.name_of(owner),
    );
    view! {
        <li class="goal" data-testid="others-goal" data-progress=label_key(goal.progress())>
            <p class="goal-text">{goal.text.to_string()}</p>
            <p class="hint">{(texts.owner_line)(&owner)}" · "{meta(&goal)}</p>
        </li>
    }
}

/// Kind, who sees it, by when, and where it stands, in one line.
fn meta(goal: &Goal) -> String {
    let texts = goal_texts();
    let mut parts = vec![
        texts.kinds[index_of(&GoalKind::ALL, &goal.kind)],
        texts.visibility_tags[index_of(&GoalVisibility::ALL, &goal.visibility)],
        texts.progress[index_of(&GoalProgress::ALL, &goal.progress())],
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    if let Some(due) = &goal.due {
        parts.insert(2, (texts.due_line)(due.as_str()));
    }
    parts.join(" · ")
}

/// A progress as tests and styles name it.
fn label_key(progress: GoalProgress) -> &'static str {
    match progress {
        GoalProgress::Open => "open",
        GoalProgress::Progress => "progress",
        GoalProgress::Stuck => "stuck",
        GoalProgress::Done => "done",
        GoalProgress::Dropped => "dropped",
    }
}

/// Setting a goal: what, which kind, who sees it, by when.
#[component]
fn GoalForm(connection: Connection) -> impl IntoView {
    let texts = goal_texts();
    let goal = RwSignal::new(String::new());
    let kind = RwSignal::new(0usize);
    let visibility = RwSignal::new(0usize);
    let due = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let command = (|| {
            let typed = due.get_untracked();
            let due = if typed.trim().is_empty() {
                None
            } else {
                Some(DueDate::parse(&typed)?)
            };
            Ok(Command::SetGoal {
                text: text::field("text", &goal.get_untracked())?,
                kind: GoalKind::ALL[kind.get_untracked() % 3],
                visibility: GoalVisibility::ALL[visibility.get_untracked() % 3],
                due,
            })
        })();
        if connection.submit(command) {
            goal.set(String::new());
            due.set(String::new());
        }
    };
    let options = |labels: [&'static str; 3], chosen: RwSignal<usize>| {
        labels
            .into_iter()
            .enumerate()
            .map(|(index, label)| view! {
                <option value=index.to_string() selected=move || chosen.get() == index>{label}</option>
            })
            .collect_view()
    };
    view! {
        <form class="form goal-form" on:submit=submit novalidate>
            <h3>{texts.add_heading}</h3>
            <label for="goal-text">{texts.text_label}</label>
            <input id="goal-text" data-testid="goal-text-input" type="text" autocomplete="off"
                maxlength=moot_shared::limits::GOAL_TEXT_MAX_CHARS.to_string()
                prop:value=move || goal.get() on:input=move |event| goal.set(event_target_value(&event)) />
            <div class="goal-form-row">
                <label>{texts.kind_label}
                    <select data-testid="goal-kind"
                        on:change=move |event| kind.set(event_target_value(&event).parse().unwrap_or(0))>
                        {options(texts.kinds, kind)}
                    </select>
                </label>
                <label>{texts.visibility_label}
                    <select data-testid="goal-visibility"
                        on:change=move |event| visibility.set(event_target_value(&event).parse().unwrap_or(0))>
                        {options(texts.visibilities, visibility)}
                    </select>
                </label>
            </div>
            <label for="goal-due">{texts.due_label}</label>
            <input id="goal-due" data-testid="goal-due" type="date"
                prop:value=move || due.get() on:input=move |event| due.set(event_target_value(&event)) />
            <button type="submit" class="primary" data-testid="goal-submit">{texts.add_submit}</button>
        </form>
    }
}

/// On the shared screen during a goal review, the goals of whoever speaks
/// (the group ones: the screen is sent no other), with where each stands
/// and its latest line.
#[component]
pub fn ScreenGoals(connection: Connection) -> impl IntoView {
    let texts = goal_texts();
    let shown = Memo::new(move |_| {
        connection.room.with(|room| {
            let room = room.as_ref()?;
            let reviewing = room.agenda.current().is_some_and(|phase| {
                phase.spec.kind == moot_shared::room::agenda::PhaseKind::GoalReview
            });
            let speaker = room.queue.speaker.as_ref()?.participant;
            reviewing.then(|| {
                let goals: Vec<Goal> = room
                    .goals
                    .goals
                    .iter()
                    .filter(|goal| goal.owner == Some(speaker))
                    .cloned()
                    .collect();
                (connection.parts.name_of(speaker), goals)
            })
        })
    });
    move || {
        let (name, goals) = shown.get()?;
        let none = goals
            .is_empty()
            .then(|| view! { <p class="hint">{texts.speaker_no_goals}</p> });
        let rows = goals
            .into_iter()
            .map(|goal| {
                let note = goal
                    .checkins
                    .last()
                    .and_then(|checkin| checkin.note.as_ref())
                    .map(|note| format!(" — {note}"));
                view! {
                    <li data-progress=label_key(goal.progress())>
                        <strong>{goal.text.to_string()}</strong>
                        {" · "}{texts.progress[index_of(&GoalProgress::ALL, &goal.progress())]}{note}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="screen-goals" data-testid="screen-goals">
                <h2>{(texts.speaker_goals)(&name)}</h2>
                {none}
                <ul>{rows}</ul>
            </section>
        })
    }
}
