//! Goals (issue 16): only their owner changes them, the limits hold, buddy
//! pairs are checked, and the open ones carry over the series with their
//! check-ins, each reaching its owner (and only its audience) when someone
//! of the owner's name joins the next meetup.

mod common;

use common::{NOW, Opening, id, join, open, props_meetup, run, run_at, who};
use moot_shared::room::goals::{GoalId, GoalKind, GoalProgress, GoalVisibility};
use moot_shared::room::lifecycle::carry_over;
use moot_shared::room::{CredentialDigest, Viewer};
use moot_shared::text::{GoalNote, GoalText};
use moot_shared::{Command, Event, Rejection, Room};

fn set(text: &str, visibility: GoalVisibility) -> Command {
    Command::SetGoal {
        text: GoalText::parse(text).expect("a goal"),
        kind: GoalKind::Achieve,
        visibility,
        due: None,
    }
}

fn check_in(goal: GoalId, progress: GoalProgress, note: &str) -> Command {
    Command::CheckInGoal {
        goal,
        progress,
        note: GoalNote::parse(note).ok(),
    }
}

/// The number of the goal `text`.
fn goal_id(room: &Room, text: &str) -> GoalId {
    room.goals
        .goals
        .iter()
        .find(|goal| goal.text.as_str() == text)
        .map(|goal| goal.id)
        .expect("the goal is there")
}

/// The texts of the goals `viewer` sees.
fn seen_by(room: &Room, viewer: Viewer) -> Vec<String> {
    room.for_viewer(viewer)
        .goals
        .goals
        .iter()
        .map(|goal| goal.text.to_string())
        .collect()
}

#[test]
fn only_the_owner_changes_a_goal_not_even_the_facilitator() {
    let mut room = props_meetup(3).0;
    run(&mut room, who(2), set("Give a talk", GoalVisibility::Group)).expect("sets");
    let goal = goal_id(&room, "Give a talk");
    for (someone, expected) in [(1, Rejection::NotYourGoal), (3, Rejection::NotYourGoal)] {
        assert_eq!(
            run(
                &mut room,
                who(someone),
                check_in(goal, GoalProgress::Done, "")
            ),
            Err(expected.clone())
        );
        assert_eq!(
            run(&mut room, who(someone), Command::RemoveGoal { goal }),
            Err(expected)
        );
    }
    assert_eq!(
        run(&mut room, who(2), Command::RemoveGoal { goal: GoalId(7) }),
        Err(Rejection::UnknownGoal)
    );
    run(
        &mut room,
        who(2),
        check_in(goal, GoalProgress::Stuck, "No slot"),
    )
    .expect("the owner checks in");
    let kept = room.goals.goal(goal).expect("kept");
    assert_eq!(kept.progress(), GoalProgress::Stuck);
    assert_eq!(
        kept.checkins[0].note.as_ref().map(GoalNote::as_str),
        Some("No slot")
    );
}

#[test]
fn five_open_goals_a_person_and_the_latest_twelve_check_ins() {
    let mut room = props_meetup(2).0;
    for n in 0..5 {
        run(
            &mut room,
            who(2),
            set(&format!("Goal {n}"), GoalVisibility::Private),
        )
        .expect("sets");
    }
    assert_eq!(
        run(&mut room, who(2), set("One more", GoalVisibility::Private)),
        Err(Rejection::TooManyOpenGoals { max: 5 })
    );
    // Done goals do not count; reopening one does again.
    let first = goal_id(&room, "Goal 0");
    run(&mut room, who(2), check_in(first, GoalProgress::Done, "")).expect("done");
    run(&mut room, who(2), set("One more", GoalVisibility::Private)).expect("room for one");
    assert_eq!(
        run(
            &mut room,
            who(2),
            check_in(first, GoalProgress::Progress, "")
        ),
        Err(Rejection::TooManyOpenGoals { max: 5 })
    );
    // Someone else is not limited by it.
    run(&mut room, who(1), set("Mine", GoalVisibility::Group)).expect("their own five");

    let goal = goal_id(&room, "Goal 1");
    for n in 0..15u64 {
        run_at(
            &mut room,
            who(2),
            check_in(goal, GoalProgress::Progress, &format!("Week {n}")),
            NOW.plus_millis(n * 1_000),
        )
        .expect("checks in");
    }
    let checkins = &room.goals.goal(goal).expect("kept").checkins;
    assert_eq!(checkins.len(), 12);
    assert_eq!(
        checkins[0].note.as_ref().map(GoalNote::as_str),
        Some("Week 3")
    );
}

#[test]
fn buddies_see_each_others_buddy_goals_and_lose_them_when_paired_anew() {
    let mut room = props_meetup(4).0;
    run(&mut room, who(2), set("Pair more", GoalVisibility::Buddy)).expect("sets");
    run(
        &mut room,
        who(2),
        set("Sleep more", GoalVisibility::Private),
    )
    .expect("sets");
    let pair = |first: u128, second: Option<u128>| Command::SetBuddy {
        participant: id(first),
        buddy: second.map(id),
    };
    assert_eq!(
        run(&mut room, who(2), pair(2, Some(3))),
        Err(Rejection::FacilitatorsOnly)
    );
    assert_eq!(
        run(&mut room, who(1), pair(2, Some(2))),
        Err(Rejection::OwnBuddy)
    );
    assert_eq!(
        run(&mut room, who(1), pair(2, Some(9))),
        Err(Rejection::UnknownParticipant)
    );
    let viewer = |n| Viewer::Participant(id(n));
    assert!(seen_by(&room, viewer(3)).is_empty());

    let events = run(&mut room, who(1), pair(2, Some(3))).expect("pairs");
    assert_eq!(seen_by(&room, viewer(3)), ["Pair more"]);
    assert_eq!(seen_by(&room, viewer(2)), ["Pair more", "Sleep more"]);
    assert!(seen_by(&room, viewer(4)).is_empty());
    assert!(seen_by(&room, Viewer::Screen).is_empty());
    // Bo's buddy learns the goal with the pairing; nobody else does.
    let to = |n| events[0].for_viewer(viewer(n)).into_owned();
    assert!(matches!(to(3), Event::BuddiesSet { ref goals, .. } if goals.len() == 1));
    assert!(
        matches!(to(4), Event::BuddiesSet { ref goals, ref hidden, .. } if goals.is_empty() && hidden.is_empty())
    );

    // Bo pairs with Dee now: Cy loses the goal, Dee gains it.
    let events = run(&mut room, who(1), pair(2, Some(4))).expect("pairs anew");
    assert_eq!(room.goals.buddies, [(id(2), id(4))]);
    let hidden = |n| match events[0].for_viewer(viewer(n)).into_owned() {
        Event::BuddiesSet { hidden, .. } => hidden,
        other => panic!("{other:?}"),
    };
    assert_eq!(hidden(3), [goal_id(&room, "Pair more")]);
    assert!(hidden(4).is_empty());
    assert_eq!(seen_by(&room, viewer(4)), ["Pair more"]);
    assert!(seen_by(&room, viewer(3)).is_empty());
}

#[test]
fn open_goals_carry_over_and_reach_their_owner_when_they_join_the_next_meetup() {
    // Meetup 1: Bo (participant 2, "P2") sets three goals and reaches one.
    let mut first = props_meetup(2).0;
    for (text, visibility) in [
        ("Give a talk", GoalVisibility::Group),
        ("Mentor someone", GoalVisibility::Buddy),
        ("Sleep more", GoalVisibility::Private),
        ("Ship the migration", GoalVisibility::Group),
    ] {
        run(&mut first, who(2), set(text, visibility)).expect("sets");
    }
    let talk = goal_id(&first, "Give a talk");
    run(
        &mut first,
        who(2),
        check_in(talk, GoalProgress::Stuck, "No slot"),
    )
    .expect("checks in");
    let shipped = goal_id(&first, "Ship the migration");
    run(
        &mut first,
        who(2),
        check_in(shipped, GoalProgress::Done, "Live"),
    )
    .expect("done");

    let carried = carry_over(&first);
    let texts: Vec<&str> = carried
        .goals
        .iter()
        .map(|goal| goal.text.as_str())
        .collect();
    assert_eq!(texts, ["Give a talk", "Mentor someone", "Sleep more"]);
    assert!(carried.goals.iter().all(|goal| goal.owner.is_none()));

    // Meetup 2 follows it. Until Bo is there, the facilitator sees the
    // group goal only, and the opening event as browsers get it carries
    // nothing else.
    let opening = Opening {
        follows: Some(carried),
        ..Opening::default()
    };
    let (mut second, events) = open(&opening, [], NOW.plus_millis(86_400_000));
    let facilitator = Viewer::Participant(id(1));
    assert_eq!(seen_by(&second, facilitator), ["Give a talk"]);
    let Event::MeetupOpened { follows, .. } = &*events[0].for_clients() else {
        panic!("the opening comes first");
    };
    let sent: Vec<&str> = follows
        .as_ref()
        .expect("it follows")
        .goals
        .iter()
        .map(|goal| goal.text.as_str())
        .collect();
    assert_eq!(sent, ["Give a talk"]);

    // Bo joins under his name (another id in this meetup): all three are his.
    run(
        &mut second,
        moot_shared::Actor::System,
        join(7, "P2", CredentialDigest("d7".into())),
    )
    .expect("joins");
    let bo = Viewer::Participant(id(7));
    assert_eq!(
        seen_by(&second, bo),
        ["Give a talk", "Mentor someone", "Sleep more"]
    );
    assert_eq!(seen_by(&second, facilitator), ["Give a talk"]);
    let talk = second
        .goals
        .goal(goal_id(&second, "Give a talk"))
        .expect("carried");
    assert_eq!(talk.owner, Some(id(7)));
    assert_eq!(talk.progress(), GoalProgress::Stuck);
    // He checks in on it in meetup 2; its history keeps meetup 1's.
    let talk_id = talk.id;
    run(
        &mut second,
        who(7),
        check_in(talk_id, GoalProgress::Done, "Gave it"),
    )
    .expect("checks in");
    let history: Vec<GoalProgress> = second
        .goals
        .goal(talk_id)
        .expect("kept")
        .checkins
        .iter()
        .map(|checkin| checkin.progress)
        .collect();
    assert_eq!(history, [GoalProgress::Stuck, GoalProgress::Done]);
}

#[test]
fn the_minutes_show_group_goals_with_their_check_ins_and_only_count_the_others() {
    let mut room = props_meetup(2).0;
    run(&mut room, who(2), set("Give a talk", GoalVisibility::Group)).expect("sets");
    run(
        &mut room,
        who(2),
        set("Sleep more", GoalVisibility::Private),
    )
    .expect("sets");
    run(
        &mut room,
        who(2),
        set("Mentor someone", GoalVisibility::Buddy),
    )
    .expect("sets");
    let talk = goal_id(&room, "Give a talk");
    run(
        &mut room,
        who(2),
        check_in(talk, GoalProgress::Stuck, "No slot"),
    )
    .expect("checks in");

    for lang in [moot_shared::Lang::En, moot_shared::Lang::De] {
        let minutes = moot_shared::minutes::Minutes::of(&room, NOW, lang);
        let markdown = minutes.to_markdown(0, lang);
        let json = serde_json::to_string(&minutes).expect("minutes as JSON");
        for export in [&markdown, &json] {
            assert!(export.contains("Give a talk"), "{export}");
            assert!(export.contains("No slot"), "{export}");
            assert!(!export.contains("Sleep more"), "{export}");
            assert!(!export.contains("Mentor someone"), "{export}");
        }
        let expected = match lang {
            moot_shared::Lang::En => {
                "- P2: Give a talk (achieve): stuck\n  - 2026-01-07: stuck — No slot\n"
            }
            moot_shared::Lang::De => {
                "- P2: Give a talk (erreichen): hängt\n  - 7. Januar 2026: hängt — No slot\n"
            }
        };
        assert!(markdown.contains(expected), "{markdown}");
        assert!(markdown.contains(": P2 2."), "{markdown}");
    }
    // One's own export holds one's own goals, private ones too; nobody else's.
    let own = moot_shared::minutes::action_items_markdown(&room, id(2), moot_shared::Lang::En);
    assert!(
        own.contains("## Goals\n\n- Give a talk (achieve): stuck\n"),
        "{own}"
    );
    assert!(own.contains("- Sleep more (achieve): open"), "{own}");
    let theirs = moot_shared::minutes::action_items_markdown(&room, id(1), moot_shared::Lang::En);
    assert!(
        !theirs.contains("Sleep more") && !theirs.contains("Give a talk"),
        "{theirs}"
    );
}

#[test]
fn a_goal_review_phase_is_a_round_asking_its_prompt_or_its_title() {
    use moot_shared::room::agenda::{PhaseKind, PhaseSpec};
    use moot_shared::text::{PhasePrompt, PhaseTitle};
    let mut room = common::meetup_all_here("Mentoring circle", 3);
    let spec = |prompt: Option<&str>| PhaseSpec {
        kind: PhaseKind::GoalReview,
        title: PhaseTitle::parse("Goals").expect("a title"),
        prompt: prompt.map(|prompt| PhasePrompt::parse(prompt).expect("a prompt")),
        planned_secs: 600,
        title_key: None,
        prompt_key: None,
    };
    // A prompt a round could not ask is refused.
    let long = "Where do your goals stand? ".repeat(5);
    assert!(matches!(
        run(
            &mut room,
            who(1),
            Command::InsertPhase {
                after: None,
                spec: spec(Some(long.trim()))
            }
        ),
        Err(Rejection::InvalidField { .. })
    ));
    run(
        &mut room,
        who(1),
        Command::InsertPhase {
            after: None,
            spec: spec(None),
        },
    )
    .expect("adds");
    run(
        &mut room,
        who(1),
        Command::InsertPhase {
            after: None,
            spec: spec(Some("What moved since last time?")),
        },
    )
    .expect("adds");
    let next = |room: &mut Room| {
        let from = room.agenda.current().map(|phase| phase.id);
        run(room, who(1), Command::NextPhase { from, seed: 0 }).expect("moves on")
    };
    let prompt = |room: &Room| {
        room.queue
            .round
            .as_ref()
            .and_then(|round| round.prompt.as_ref())
            .map(ToString::to_string)
    };
    // `after: None` puts a phase first: the second one added runs first.
    next(&mut room);
    assert_eq!(
        prompt(&room).as_deref(),
        Some("What moved since last time?")
    );
    next(&mut room);
    assert_eq!(prompt(&room).as_deref(), Some("Goals"));
    run(&mut room, who(1), Command::EndAgenda).expect("ends the agenda");
    assert!(
        room.queue.round.is_none(),
        "leaving the phase ends its round"
    );
}
