//! English: moot's first language, and the one every reader gets whose
//! languages moot does not speak.

use moot_shared::Rejection;
use moot_shared::TextProblem;
use moot_shared::room::agenda::AgendaRole;

use super::*;

/// English rejections.
pub fn en_rejection(reason: &Rejection) -> Option<String> {
    Some(match reason {
        Rejection::NameTaken => {
            "Someone here already uses that name. Please pick another one.".into()
        }
        Rejection::Locked => "This meetup is locked. Ask the facilitator to unlock it.".into(),
        Rejection::RoomFull { seat_cap } => {
            format!("All {seat_cap} seats are taken. Ask the facilitator for another seat.")
        }
        Rejection::UnknownJoinCode => {
            "No open meetup has this code. Check the code and try again.".into()
        }
        Rejection::InvalidField { field, problem } => {
            let what = match field.as_str() {
                "name" | "facilitator_name" => "The name",
                "title" => "The title",
                _ => "This field",
            };
            format!("{what} {}.", en_text_problem(*problem))
        }
        Rejection::TooManyAttempts { .. } | Rejection::RateLimited { .. } => {
            "Too many attempts. Please wait a moment and try again.".into()
        }
        Rejection::ServerFull => "The server is full right now. Please try again later.".into(),
        Rejection::Removed => EN.you_were_removed.into(),
        Rejection::FacilitatorsOnly | Rejection::FacilitatorOnly => {
            "Only the facilitator can do that.".into()
        }
        Rejection::ReasonFromOtherPoll => "You gave this reason in another poll. Put it in new words, so nobody can tell who wrote the anonymous one.".into(),
        Rejection::HandOverFirst => "Hand the facilitator role to someone else first.".into(),
        Rejection::SeatCapOutOfRange { min, max } => {
            format!("The seat cap must be between {min} and {max}.")
        }
        _ => return None,
    })
}

/// English text problems.
pub fn en_text_problem(problem: TextProblem) -> String {
    match problem {
        TextProblem::Empty => "must not be empty".into(),
        TextProblem::TooLong { max_chars } => {
            format!("can have at most {max_chars} characters")
        }
        TextProblem::NotALink => "must be a web address starting with https://".into(),
        TextProblem::ControlCharacter => {
            "must be one line of text without invisible characters".into()
        }
    }
}

/// English.
pub const EN: Texts = Texts {
    app_name: "moot",
    skip_to_content: "Skip to content",
    dismiss: "Dismiss",
    back_to_start: "Back to the start",
    not_found_heading: "Page not found",
    not_found_body: "This address is not a moot page. Check the link, or start from the beginning.",

    state_connecting: "Connecting…",
    state_live: "Online",
    state_reconnecting: "Reconnecting…",
    state_offline: "Offline",
    waiting_to_send: |count| match count {
        1 => " · 1 action waiting".to_owned(),
        _ => format!(" · {count} actions waiting"),
    },

    join_heading: "Join the meetup",
    join_intro: |code| format!("Meetup code {code}. Pick the name others will see."),
    join_name_label: "Your name",
    join_submit: "Join",
    join_busy: "Joining…",

    code_label: "Code",
    you_are: "You are",
    you_marker: "(you)",
    people_heading: "People",
    people_count: |count, cap| format!("{count} of {cap} seats"),
    loading_room: "Loading the meetup…",
    rename_label: "Change your name",
    rename_submit: "Rename",
    leave: "Leave the meetup",
    leave_confirm: "Leave this meetup?",
    locked_badge: "Locked",

    removed_heading: "You were removed from this meetup",
    removed_body: "A facilitator removed you. You can no longer take part in this meetup.",
    left_heading: "You left the meetup",
    left_body: "You can come back while the meetup is open.",
    rejoin: "Rejoin",
    rejoin_refused_heading: "You could not come back yet",
    rejoin_name_label: "Pick a name to come back under",
    try_again: "Try again",
    unknown_code_heading: "No meetup with this code",
    unknown_code_body: "This meetup does not exist or has ended. Check the code with the facilitator.",
    version_heading: "Please reload",
    version_body: "A newer version of moot is running. Reload the page to continue.",
    reload: "Reload",

    controls_heading: "Facilitation",
    copied: "Link copied",
    remove: "Remove",
    // Honest about what removal does: the person's link stops working, but
    // anyone with the join code can join as someone new unless it is locked.
    joined: |name| format!("{name} joined"),
    came_back: |name| format!("{name} is back"),
    left: |name| format!("{name} left"),
    was_removed: |name| format!("{name} was removed"),
    you_were_removed: "You were removed from this meetup",
    renamed: |old, new| format!("{old} is now called {new}"),
    now_facilitator: |name| format!("{name} is now the facilitator"),
    you_are_facilitator: "You are now the facilitator",
    now_co: |name| format!("{name} is now a co-facilitator"),
    stands_in: |by, owner| format!("{by} runs the meetup while {owner} is away"),
    you_stand_in: |owner| {
        format!("You run the meetup while {owner} is away. It goes back to them when they return.")
    },
    owner_returning: |owner| format!("{owner} is back and takes over again in a moment"),
    you_return: "You're back: the meetup returns to you in a moment",
    owner_back: |owner| format!("{owner} runs the meetup again"),
    no_longer_co: |name| format!("{name} is no longer a co-facilitator"),
    meetup_locked: "The meetup is locked",
    meetup_unlocked: "The meetup is unlocked",
    seat_cap_changed: |cap| format!("The seat cap is now {cap}"),
    connection_lost: "Connection lost. Reconnecting…",
    connection_back: "Connected again",

    sections_label: "Sections",
    section_now: "Now",
    section_queue: "Queue",
    section_topics: "Topics",
    section_mine: "Mine",
    nav_raise_hand: "Raise hand",
    nav_lower_hand: "Lower hand",

    role_facilitator: "Facilitator",
    role_co_facilitator: "Co-facilitator",
    presence_here: "here",
    presence_away: "away",
    presence_gone: "gone",
    rejection_words: en_rejection,
    text_problem_words: en_text_problem,
};

/// English polls.
pub const EN_POLL: PollTexts = {
    use moot_shared::room::poll::Secrecy;
    PollTexts {
        heading: "Poll",
        new_poll_heading: "Check agreement",
        presets_label: "Quick polls",
        custom_heading: "Write your own",
        question_label: "Question",
        kind_label: "Kind",
        options_label: "Options (custom only)",
        options_hint: "One option a line, 2 to 8.",
        anonymous_label: "Anonymous: nobody sees who voted what",
        auto_reveal_label: "Show results when everyone present has voted",
        time_limit_label: "Time limit in seconds (optional)",
        open_submit: "Open poll",
        reveal: "Reveal results",
        close: "Close poll",
        reopen: "Ask again",
        reason_label: "Reason (optional)",
        roti_change_label: "What should we change? (optional)",
        roti_few_voters: "Fewer than 3 people answer: the results may show how you voted.",
        reason_required_label: "Reason (needed for this choice)",
        reason_needed: "Say why before sending this choice.",
        send_with_reason: "Send vote",
        your_vote: |label| format!("Your vote: {label}. Tap another to change it."),
        your_final_vote: |label| format!("Your vote: {label}."),
        voted_count: |voted, of| format!("{voted} of {of} voted"),
        waiting_for: |names| format!("Waiting for: {names}"),
        everyone_voted: "Everyone present has voted.",
        secrecy_note: |secrecy| match secrecy {
            Secrecy::Secret => "Votes stay hidden until the results are shown.",
            Secrecy::Open => "Votes are shown as they come in.",
            Secrecy::Anonymous => "Anonymous: nobody will see who voted what.",
        },
        reasons_heading: "Reasons",
        results_heading: "Results",
        poll_opened: |question| format!("Poll opened: {question}"),
        poll_revealed: |reading| format!("Results: {reading}"),
        history_heading: "Earlier polls",
        closes_in: " · closes in ",
        kind_name: |kind| moot_shared::words::kind_name(kind, moot_shared::Lang::En),
        option_labels: |kind| moot_shared::words::option_labels(kind, moot_shared::Lang::En),
        reading: |reading, labels| {
            moot_shared::words::reading_sentence(reading, labels, moot_shared::Lang::En)
        },
    }
};

/// English queue.
pub const EN_QUEUE: QueueTexts = {
    use moot_shared::room::queue::{EntryKind, RoundKind};
    QueueTexts {
        heading: "Speaking queue",
        raise_hand: "Raise hand",
        hand_raised_lower: "Hand raised · Lower",
        raise_as: "Or raise it as",
        kind_name: |kind| match kind {
            EntryKind::Process => "Point of process",
            EntryKind::Clarifying => "Clarifying question",
            EntryKind::BuildOn => "Build on this",
            EntryKind::NewPoint => "New point",
        },
        kind_short: |kind| match kind {
            EntryKind::Process => "Process",
            EntryKind::Clarifying => "Clarify",
            EntryKind::BuildOn => "Build on",
            EntryKind::NewPoint => "New point",
        },
        empty: "Nobody is waiting to speak.",
        nobody_speaking: "Nobody has the floor.",
        now_speaking: "Speaking now",
        your_turn: "Your turn",
        youre_next: "You're next",
        your_place: |place| format!("You are number {place} in line"),
        over_limit: "Over the turn limit",
        done: "Done",
        pass: "Pass",
        your_hands: "Your raised hands",
        type_label: "Type",
        note_label: "Note (optional)",
        save: "Save",
        withdraw: "Withdraw",
        next_speaker: "Next speaker",
        give_floor: "Give floor",
        move_up: "Move up",
        move_down: "Move down",
        remove_entry: "Remove",
        up_next: "Up next",
        round_heading: |kind| match kind {
            RoundKind::CheckIn => "Check-in round",
            RoundKind::CheckOut => "Check-out round",
            RoundKind::Custom => "Round",
        },
        round_left: |left| match left {
            0 => "Last turn of the round".to_owned(),
            1 => "1 more after this turn".to_owned(),
            n => format!("{n} more after this turn"),
        },
        round_waits: "The queue waits until the round ends.",
        start_check_in: "Start check-in round",
        start_check_out: "Start check-out round",
        custom_prompt_label: "Round prompt",
        start_custom: "Start round",
        end_round: "End round",
        rounds_heading: "Rounds",
        settings_heading: "Queue settings",
        progressive_label: "Progressive order: less airtime goes first",
        airtime_public_label: "Show airtime to everyone",
        turn_limit_label: "Turn limit (seconds)",
        round_turn_label: "Round turn (seconds)",
        save_settings: "Save settings",
        airtime_heading: "Airtime",
        airtime_person: "Person",
        airtime_time: "Time",
        airtime_turns: "Turns",
        airtime_share: "Share",
        announce_next: "You're next",
        announce_your_turn: "It's your turn",
        announce_over_limit: "Your turn is over the time limit",
        announce_speaking: |name| format!("{name} has the floor"),
        announce_round: |kind| match kind {
            RoundKind::CheckIn => "A check-in round started".to_owned(),
            RoundKind::CheckOut => "A check-out round started".to_owned(),
            RoundKind::Custom => "A round started".to_owned(),
        },
    }
};

pub static EN_GOALS: GoalTexts = GoalTexts {
    heading: "Goals",
    none_yet: "No goals yet. What do you want to achieve, learn or teach by the next meetups?",
    add_heading: "Set a goal",
    text_label: "Goal",
    kind_label: "Kind",
    kinds: ["Achieve", "Learn", "Teach"],
    visibility_label: "Who sees it",
    visibilities: ["The group", "My buddy", "Only me"],
    visibility_tags: ["Group", "Buddy", "Private"],
    due_label: "By (optional)",
    add_submit: "Set goal",
    progress: ["Open", "Progress", "Stuck", "Done", "Dropped"],
    note_label: "What happened (optional)",
    check_in_group: |goal| format!("Where {goal} stands"),
    remove: "Remove",
    others_heading: "The group's goals",
    owner_line: |name| format!("by {name}"),
    due_line: |due| format!("by {due}"),
    buddy_label: "Buddy",
    no_buddy: "Nobody",
    speaker_goals: |name| format!("{name}'s goals"),
    speaker_no_goals: "No goals shared with the group yet.",
};

pub static EN_BOARD: BoardTexts = BoardTexts {
    heading: "Topics",
    propose_heading: "Propose a topic",
    title_label: "Topic",
    details_label: "Details (optional)",
    propose_submit: "Propose",
    dots_left: |left, budget| match left {
        1 => format!("1 of {budget} dots left"),
        _ => format!("{left} of {budget} dots left"),
    },
    voters: |count| match count {
        0 => "Nobody has voted yet".to_owned(),
        1 => "1 person has voted".to_owned(),
        _ => format!("{count} people have voted"),
    },
    hidden_note: "Votes are hidden until the facilitator reveals them.",
    voting_closed_note: "Voting is closed.",
    place_dot: |title| format!("Add a dot to {title}"),
    take_back_dot: |title| format!("Take a dot back from {title}"),
    my_dots: |count| match count {
        1 => "1 dot".to_owned(),
        _ => format!("{count} dots"),
    },
    votes: |count| match count {
        1 => "1 vote".to_owned(),
        _ => format!("{count} votes"),
    },
    to_discuss: "To discuss",
    discussing: "Discussing now",
    discussed: "Discussed",
    parked: "Parked",
    nothing_yet: "No topics yet. What is on your mind?",
    no_current: "No topic is being discussed.",
    reveal: "Reveal votes",
    close_voting: "Close voting",
    reopen_voting: "Reopen voting",
    sort: "Sort by votes",
    start_next: "Start next topic",
    start: "Start",
    finish: "Finish topic",
    park: "Park",
    unpark: "Back to discuss",
    withdraw: "Withdraw",
    withdraw_confirm: "Withdraw this topic? Its dots go back to their owners.",
    merge_into: "Merge into…",
    merge_confirm: |from, into| {
        format!("Merge \u{201c}{from}\u{201d} into \u{201c}{into}\u{201d}?")
    },
    merged_from: |titles| format!("Merged: {titles}"),
    by: |name| format!("by {name}"),
    time_spent: |millis| {
        let minutes = millis / 60_000;
        let seconds = millis / 1_000 % 60;
        format!("{minutes}:{seconds:02} discussed")
    },
    outcomes_heading: "Outcomes",
    finished_heading: "Discussed topics",
    notes_heading: "Notes and takeaways",
    note_label: "Note or takeaway",
    takeaway_label: "Takeaway",
    add_note: "Add note",
    add_takeaway: "Add takeaway",
    remove: "Remove",
    actions_heading: "Action items",
    action_label: "Action item",
    owner_label: "Who does it",
    due_label: "Due (optional)",
    add_action: "Add action item",
    action_line: |owner, due| match due {
        Some(due) => format!("{owner} · due {due}"),
        None => owner.to_owned(),
    },
    my_actions_heading: "My action items",
    votes_revealed: "Votes revealed",
    now_discussing: |title| format!("Now discussing: {title}"),
};

pub static EN_TIMER: TimerTexts = TimerTexts {
    heading: "Timer",
    controls_heading: "Timer controls",
    minutes_label: "Minutes",
    start: "Start",
    pause: "Pause",
    resume: "Resume",
    plus_minute: "+1 min",
    minus_minute: "−1 min",
    reset: "Reset",
    paused: "Paused",
    time_up: "Time is up",
    one_minute_left: "One minute left",
    remaining: |clock| format!("{clock} left"),
    timebox_of: |title| format!("Timebox: {title}"),
    extension_of: |used, max| format!("Extension {used} of {max}"),
    extended: |clock| format!("The group continues for {clock} more"),
    next_topic: |title| format!("Next topic: {title}"),
    settings_heading: "Timebox settings",
    topic_minutes_label: "Minutes per topic",
    extension_minutes_label: "First extension, minutes (each later one is half)",
    max_extensions_label: "Extensions by vote at most",
    save: "Save settings",
    invalid_minutes: "Enter a number of minutes (at least 10 seconds, at most 4 hours)",
};

pub const EN_LIFECYCLE: LifecycleTexts = LifecycleTexts {
    heading: "Outcomes and what comes next",
    minutes_markdown: "Download minutes (Markdown)",
    minutes_json: "Download minutes (JSON)",
    my_actions: "Download my action items",
    download_failed: "The download did not work; try again.",
    end: "End meetup",
    end_confirm: "End the meetup for everyone? It stays readable, and the minutes can still be downloaded.",
    ended_banner: "This meetup has ended. You can still read it and download what concerns you.",
    next_meetup_open: "The group's next meetup has started.",
    join_next_as: |name| format!("Join it as {name}"),
    ended_announcement: "The meetup has ended.",
    next_heading: "Next meetup in this series",
    next_title_label: "Title of the next meetup",
    next_title_default: |title| format!("{title} (next)"),
    next_submit: "Start the next meetup",
    delete: "Delete meetup now",
    delete_confirm: "Delete this meetup and everything in it for everyone, now? This cannot be undone.",
    delete_failed: "The meetup could not be deleted.",
    review_heading: "Review of carried action items",
    review_from: |from| format!("Carried over from {from}"),
    review_owner: |owner, due| match due {
        Some(due) => format!("{owner}, due {due}"),
        None => owner.to_owned(),
    },
    outcome_label: |outcome| match outcome {
        Some(moot_shared::room::lifecycle::ReviewOutcome::Done) => "Done",
        Some(moot_shared::room::lifecycle::ReviewOutcome::Kept) => "Kept",
        Some(moot_shared::room::lifecycle::ReviewOutcome::Dropped) => "Dropped",
        None => "Not reviewed yet",
    },
    mark_done: "Done",
    mark_kept: "Keep",
    mark_dropped: "Drop",
};

/// English.
pub const EN_FACILITATION: FacilitationTexts = FacilitationTexts {
    agenda_heading: "Agenda",
    agenda_format_label: "Format",
    agenda_use_format: "Use this plan",
    agenda_lean_coffee: "Lean Coffee (62 min)",
    agenda_open_round: "Open round (8 min)",
    agenda_one_on_one: "1:1 or work-buddy check-in (32 min)",
    agenda_reverse_mentoring: "Reverse mentoring (58 min)",
    agenda_custom: "Custom (start empty)",
    agenda_case_consultation: "Case consultation (43 min)",
    agenda_peer_learning: "Peer learning meetup (2½ h)",
    agenda_reuse: |phases| format!("Reuse last meetup's plan ({phases} phases)"),
    agenda_kinds: [
        "Round",
        "Quiet time",
        "Collect topics",
        "Vote",
        "Discuss",
        "Open talk",
        "Roles",
        "Consent poll",
        "Break",
        "Closing feedback (ROTI)",
        "Goal review",
        "Breakout",
    ],
    agenda_troika: "Troika consulting (36 min)",
    agenda_one_two_four_all: "1-2-4-All (12 min)",
    agenda_one_two_all: "1-2-All (8 min: fewer than 8 here, so no fours)",
    agenda_impromptu_networking: "Impromptu networking (15 min)",
    agenda_work_buddies: "Work buddies (43 min)",
    roti_trend_heading: "Worth our time, meetup by meetup",
    roti_chart_label: "Mean return on time invested per meetup, from 1 to 5; 3 is worth the time",
    roti_suggestions_heading: "To change, from the latest",
    roti_votes: |votes| {
        if votes == 1 {
            "1 vote".into()
        } else {
            format!("{votes} votes")
        }
    },
    agenda_add_heading: "Add a phase",
    agenda_kind_label: "What it does",
    agenda_title_label: "Title",
    agenda_minutes_label: "Minutes (0 for untimed)",
    agenda_title_needed: "Give the phase a title.",
    agenda_add: "Add to the plan",
    agenda_roles_heading: "Roles",
    agenda_nobody: "Nobody",
    agenda_key_question_label: "Key question (as the case giver puts it)",
    agenda_key_question_save: "Save question",
    agenda_next: |title, minutes| format!("Next: {title} ({minutes})"),
    agenda_back: "Back",
    agenda_end: "End agenda",
    agenda_ahead_heading: "Still to come",
    agenda_shorter: "One minute shorter",
    agenda_longer: "One minute longer",
    agenda_earlier: "Earlier",
    agenda_later: "Later",
    agenda_remove: "Remove",
    landing_heading: "moot",
    landing_intro: "Run a peer meetup: people join from their phones with a code and just a name.",
    start_heading: "Start a meetup",
    start_title_label: "Title",
    start_name_label: "Your name",
    start_submit: "Start the meetup",
    start_busy: "Starting…",
    start_failed: "The meetup could not be started. Check your connection and try again.",
    join_code_heading: "Join with a code",
    join_code_label: "Join code",
    join_code_hint: "8 characters, for example 7KQ2-M9XD",
    join_code_submit: "Join",
    join_code_invalid: "A join code has 8 letters and digits, like 7KQ2-M9XD.",

    lock: "Lock the meetup",
    unlock: "Unlock the meetup",
    lock_state: |locked| {
        if locked {
            "Locked: nobody new can join."
        } else {
            "Open: anyone with the code can join."
        }
    },
    seat_cap_label: "Seat cap",
    seat_cap_now: |cap| format!("Now {cap} seats."),
    seat_cap_submit: "Set seats",
    seat_cap_invalid: "Enter a number of seats.",
    fallback_label: "If your laptop drops out for 30 seconds",
    fallback_mode: |mode| match mode {
        moot_shared::room::FallbackMode::Automatic => {
            "A co-facilitator takes over, or else whoever has been connected longest"
        }
        moot_shared::room::FallbackMode::CoFacilitatorsOnly => "Only a co-facilitator takes over",
        moot_shared::room::FallbackMode::Off => "Nobody takes over: the meetup waits for you",
    },
    invite_heading: "Invite",
    join_link_label: "Join link",
    copy: "Copy link",
    copy_failed: "Could not copy. Select the link and copy it.",
    open_screen: "Open shared screen",
    screen_heading: "Shared screen",
    screen_link_hint: "Open it on the projector or share it in the call. It only shows the room: it cannot act, and it is not your login.",
    screen_link_stopped: "No screen link works now. Make one to show the room on a shared screen.",
    new_screen_link: "New screen link",
    make_screen_link: "Make a screen link",
    stop_screen_link: "Stop shared screen",
    stop_screen_confirm: "Stop the shared screen? Screens showing the room close, and its link stops working.",
    remove_confirm: |name| {
        format!(
            "Remove {name} from the meetup? Their link stops working at once. \
             To keep them from joining again under another name, lock the meetup."
        )
    },
    make_co: "Make co-facilitator",
    unmake_co: "Remove co-facilitator",
    hand_over: "Hand over",
    hand_over_confirm: |name| {
        format!("Hand the facilitator role to {name}? You become a participant.")
    },
    actions_for: |name| format!("Actions for {name}"),

    screen_join_at: "Join at",
    screen_thanks: "Thank you! This meetup has ended.",
    screen_outcomes: |topics, actions| {
        let topics = match topics {
            1 => "1 topic discussed".to_owned(),
            n => format!("{n} topics discussed"),
        };
        match actions {
            1 => format!("{topics} · 1 action item"),
            n => format!("{topics} · {n} action items"),
        }
    },
    screen_code_label: "Code",
    screen_qr_alt: "QR code of the join link",
    screen_needs_link: "Open the shared screen with the link from the facilitator's view.",
    screen_stopped_heading: "This screen link no longer works",
    menus_label: "Meetup tools",
    poll_menu: "New poll",
    rounds_menu: "Rounds",
    settings_menu: "Settings",
    primary_nothing: "Nothing to move on",
    primary_reveal: "Reveal the poll",
    primary_next_speaker: "Next speaker",
    primary_start_topic: "Start topic",
    primary_next_phase: "Next phase",
    primary_bring_back: "Bring everyone back",
};

/// English.
pub const EN_AGENDA: AgendaTexts = AgendaTexts {
    phase_of: |number, of| format!("Phase {number} of {of}"),
    left: |clock| format!("{clock} left"),
    time_up: "time is up",
    ended: "The agenda is done.",
    not_started: "The agenda has not started yet.",
    done: "I'm done",
    not_done: "Not done yet",
    whole_plan: "The whole plan",
    minutes: |minutes| format!("{minutes} min"),
    spent: |minutes| match minutes {
        0 => "took under a minute".to_owned(),
        minutes => format!("took {minutes} min"),
    },
    skipped: "skipped",
    untimed: "untimed",
    ready_count: |ready, of| format!("{ready} of {of} done"),
    done_count: |done, of| format!("{done} of {of} phases done"),
    role: |role| match role {
        AgendaRole::CaseGiver => "case giver",
        AgendaRole::Moderator => "moderator",
        AgendaRole::Scribe => "scribe",
    },
    your_role: |role, listening| {
        if listening {
            format!("You: {role}. You listen in this phase.")
        } else {
            format!("You: {role}")
        }
    },
    key_question: "Key question",
    jot_label: "Your notes",
    jot_private: "Only you see these: they stay on this device.",
};

/// English breakouts on a phone.
pub static EN_BREAKOUT: BreakoutTexts = BreakoutTexts {
    group: "Group {}",
    with: "Group {} · with {}",
    and: "and",
    round_of: "Round {} of {}",
    troika_steps: [
        "The client shares",
        "Clarifying questions",
        "The consultants advise",
        "What was valuable",
    ],
    buddy_steps: [
        "Goals revisited",
        "Challenges and help needed",
        "Feedback both ways",
        "Next steps",
    ],
    client_cues: [
        "You're the client: say what your challenge is and what help you need.",
        "You're the client: answer their questions.",
        "You're the client: turn away and listen. Don't speak.",
        "You're the client: turn back and say what was valuable.",
    ],
    consultant_cues: [
        "You're a consultant: listen to the client's challenge.",
        "You're a consultant: ask clarifying questions.",
        "You're a consultant: advise each other on the challenge while the client listens.",
        "You're a consultant: listen to what was valuable.",
    ],
    mentor_cue: "You're the mentor: show your world.",
    mentee_cue: "You're the mentee: listen and ask.",
    left: "{} left",
    closing: "Back to the group in {}",
    alone: "You're alone in your group. Join another one, or wait here: whoever arrives next joins you.",
    no_group: "You're not in a group. Join one:",
    waiting: "Waiting for a group",
    join_group: "Join group {} ({})",
    call_link: "Join video room {}",
    notes_heading: "Our notes",
    notes_private: "Only your group sees these.",
    note_label: "A note for your group",
    add_note: "Add",
    remove_note: "Remove note",
    done: "We're done",
    share_heading: "Your group's notes",
    share_hint: "Only your group has seen them. Share them for the debrief?",
    share: "Share with everyone",
    shared: "Shared with everyone.",
};

/// English breakout controls and map.
pub static EN_BREAKOUT_CONTROLS: BreakoutControlTexts = BreakoutControlTexts {
    heading: "Groups",
    start: "Split into groups",
    next_step: "Next step",
    more_time: "+2 min",
    bring_back: "Bring everyone back (30 s)",
    back_now: "Back now",
    copy: "Copy groups",
    move_label: "Move {}",
    new_group: "New group",
    out_of_groups: "No group",
    link_label: "Video call link, {n} for the group's number",
    link_save: "Save link",
    rules: [
        "Round robin: nobody meets the same person twice",
        "Chosen for the fewest repeat meetings",
        "Shuffled",
        "Kept from last time",
        "Pairs merged into fours",
    ],
    seed: "seed {}",
    done_mark: "done",
    shared_notes_heading: "From the groups",
    roles: ["client", "consultant", "mentor", "mentee"],
    kinds: [
        "Breakout in pairs",
        "Breakout in threes",
        "Breakout in fours",
    ],
};
