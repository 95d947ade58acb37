//! Every bound moot enforces, in one place. Input outside a bound is rejected
//! with a typed reason (see [`crate::Rejection`]), never truncated silently.

/// Largest WebSocket message a client may send, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// Longest display name, in characters (after trimming).
pub const DISPLAY_NAME_MAX_CHARS: usize = 40;

/// Longest meetup title, in characters (after trimming).
pub const MEETUP_TITLE_MAX_CHARS: usize = 120;

/// Longest client-made request id, in bytes (printable ASCII only).
pub const REQUEST_ID_MAX_BYTES: usize = 64;

/// Seats in a new meetup unless the facilitator changes it.
pub const DEFAULT_SEAT_CAP: u16 = 16;

/// The most seats a facilitator may configure.
pub const MAX_SEAT_CAP: u16 = 64;

/// Sustained commands per second one connection may send.
pub const COMMANDS_PER_SECOND: u32 = 10;

/// Commands one connection may send in a burst before the rate applies.
pub const COMMAND_BURST: u32 = 30;

/// How long a disconnected participant stays "away" before becoming "gone".
pub const PRESENCE_GRACE_MILLIS: u64 = 60_000;

/// How long the facilitator's connections may be silent before a stand-in
/// takes the role (DESIGN.md; the server's default).
pub const FACILITATOR_FALLBACK_MILLIS: u64 = 30_000;

/// How long a returning facilitator stays connected before the role goes
/// back to them from their stand-in (the server's default).
pub const FACILITATOR_RECLAIM_MILLIS: u64 = 5_000;

/// Request ids remembered per participant so a resent command applies once.
pub const REMEMBERED_REQUESTS_PER_PARTICIPANT: usize = 256;

/// Longest poll question, in characters (after trimming).
pub const POLL_QUESTION_MAX_CHARS: usize = 200;

/// Longest label of one custom poll option, in characters.
pub const POLL_OPTION_MAX_CHARS: usize = 60;

/// Longest reason given with a vote, in characters.
pub const POLL_REASON_MAX_CHARS: usize = 280;

/// Fewest options of a custom poll.
pub const POLL_MIN_OPTIONS: usize = 2;

/// Most options of a custom poll.
pub const POLL_MAX_OPTIONS: usize = 8;

/// Shortest time limit a poll may have, in seconds.
pub const POLL_MIN_TIME_LIMIT_SECS: u32 = 10;

/// Longest time limit a poll may have, in seconds (one hour).
pub const POLL_MAX_TIME_LIMIT_SECS: u32 = 3_600;

/// Most polls one meetup may hold in its history.
pub const MAX_POLLS_PER_MEETUP: usize = 200;

/// How many meetups' ROTI a series keeps (the oldest is dropped): a year of
/// monthly meetups.
pub const MAX_ROTI_HISTORY: usize = 12;

/// Longest note on a speaking-queue entry, in characters: a hint at the
/// point, not the point itself.
pub const QUEUE_NOTE_MAX_CHARS: usize = 80;

/// Longest prompt of a round, in characters.
pub const ROUND_PROMPT_MAX_CHARS: usize = 120;

/// Soft limit of a speaking turn unless the facilitator changes it.
pub const DEFAULT_TURN_LIMIT_SECS: u32 = 120;

/// Clock of each turn in a round unless the facilitator changes it.
pub const DEFAULT_ROUND_TURN_SECS: u32 = 60;

/// Shortest turn limit or round turn clock a facilitator may set.
pub const MIN_TURN_SECS: u32 = 10;

/// Longest turn limit or round turn clock a facilitator may set.
pub const MAX_TURN_SECS: u32 = 3_600;

/// Longest topic title on the board, in characters.
pub const TOPIC_TITLE_MAX_CHARS: usize = 120;

/// Longest details of a topic, in characters.
pub const TOPIC_DETAILS_MAX_CHARS: usize = 500;

/// Longest note or takeaway on a topic, in characters.
pub const NOTE_TEXT_MAX_CHARS: usize = 500;

/// Longest action item text, in characters.
pub const ACTION_TEXT_MAX_CHARS: usize = 200;

/// Most topics one meetup's board may hold at once.
pub const MAX_TOPICS_PER_MEETUP: usize = 100;

/// Most notes and takeaways one meetup may hold.
pub const MAX_NOTES_PER_MEETUP: usize = 500;

/// Most action items one meetup may hold.
pub const MAX_ACTION_ITEMS_PER_MEETUP: usize = 200;

/// Longest goal, in characters.
pub const GOAL_TEXT_MAX_CHARS: usize = 200;

/// Longest line of what happened with a goal, in characters.
pub const GOAL_NOTE_MAX_CHARS: usize = 200;

/// Most open goals one person may have (done and dropped ones do not count).
pub const MAX_OPEN_GOALS_PER_PERSON: usize = 5;

/// Most goals one meetup may hold, carried ones included.
pub const MAX_GOALS_PER_MEETUP: usize = 100;

/// Check-ins a goal keeps, the latest; older ones are dropped.
pub const MAX_GOAL_CHECKINS: usize = 12;

/// Dots per participant unless the facilitator changes it.
pub const DEFAULT_DOT_BUDGET: u8 = 3;

/// The most dots per participant a facilitator may set.
pub const MAX_DOT_BUDGET: u8 = 10;

/// A topic's timebox unless the facilitator changes it (seven minutes).
pub const DEFAULT_TOPIC_TIMEBOX_SECS: u32 = 420;

/// The first extension a "continue?" vote grants unless the facilitator
/// changes it (four minutes); each later one is half the one before.
pub const DEFAULT_FIRST_EXTENSION_SECS: u32 = 240;

/// Extensions a topic may get by vote unless the facilitator changes it.
pub const DEFAULT_MAX_EXTENSIONS: u8 = 2;

/// The most extensions by vote a facilitator may allow.
pub const MAX_EXTENSIONS: u8 = 5;

/// Shortest timer, timebox or extension step, in seconds.
pub const MIN_TIMER_SECS: u32 = 10;

/// Longest timer or timebox, in seconds (four hours), and the most one
/// adjustment may add or take away.
pub const MAX_TIMER_SECS: u32 = 14_400;

/// How long the "continue?" vote at the end of a timebox takes votes.
pub const CONTINUE_VOTE_SECS: u32 = 60;

/// The most phases an agenda holds.
pub const MAX_PHASES: usize = 24;

/// The longest phase title, in characters.
pub const PHASE_TITLE_MAX_CHARS: usize = 60;

/// The longest phase prompt, in characters.
pub const PHASE_PROMPT_MAX_CHARS: usize = 200;

/// The shortest timed phase, in seconds (0 is an untimed phase).
pub const MIN_PHASE_SECS: u32 = 10;

/// The longest phase, in seconds (4 h).
pub const MAX_PHASE_SECS: u32 = 14_400;

/// The longest note a breakout group may keep, in characters.
pub const GROUP_NOTE_MAX_CHARS: usize = 280;

/// The most notes one breakout group may keep.
pub const MAX_GROUP_NOTES: usize = 30;

/// The longest video call link of a breakout, in characters.
pub const CALL_LINK_MAX_CHARS: usize = 300;

/// The longest countdown that calls everyone back from a breakout, in
/// seconds.
pub const MAX_BREAKOUT_COUNTDOWN_SECS: u8 = 120;

/// The countdown that calls everyone back when a breakout's time is up.
pub const BREAKOUT_COUNTDOWN_SECS: u8 = 30;

/// The most groups one breakout may have.
pub const MAX_GROUPS: usize = 32;
