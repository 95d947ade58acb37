//! One input through every reader that takes it, with the properties that
//! must hold on the way. A panic anywhere in here is a bug in moot (the
//! runner catches it); a property that does not hold is a [`Finding`].
//!
//! - A client frame goes through the server's reader
//!   ([`ClientMessage::parse`]), the checks of its `hello` or request id,
//!   and the reducer, on the world's live room, by the given actor.
//! - A server frame goes through the browser's decoder and its session,
//!   which folds it into the browser's room; then the browser reads the
//!   room (deadlines, minutes).
//! - A stored text is what a browser keeps in its storage (the outbox of
//!   unanswered commands) or what a person types into a form field.
//!
//! Wherever serde_json reads the same text, the derived decoder must read
//! the same value; wherever a message decodes, both encoders must write it
//! alike.

use moot_shared::json::{self, Variants};
use moot_shared::limits::MAX_MESSAGE_BYTES;
use moot_shared::minutes::{self, Minutes};
use moot_shared::protocol::{
    ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage, clock_offset_millis,
    parse_display_name, parse_request_id,
};
use moot_shared::room::timer::seconds_from_minutes_text;
use moot_shared::room::{CredentialDigest, ScreenKey, Viewer};
use moot_shared::session::{self, Auth, Pending, Session, Step};
use moot_shared::{
    Actor, Command, Credential, DisplayName, JoinCode, Rejection, RequestId, Timestamp,
};
use serde_json::Value;

use crate::world::{Finding, World, encode_alike};

/// Which reader an input is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A text frame from a client, read by the server.
    Client,
    /// A text frame from the server, read by the browser.
    Server,
    /// Text from a browser's storage or a form field.
    Stored,
}

impl Target {
    /// Every target, in the order the corpus lists them.
    pub const ALL: [Target; 3] = [Target::Client, Target::Server, Target::Stored];

    /// The target's name: the corpus directory and the start of a finding's file name.
    pub fn name(self) -> &'static str {
        match self {
            Target::Client => "client",
            Target::Server => "server",
            Target::Stored => "stored",
        }
    }
}

/// What became of an input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// How the first reader took it: `accepted <type>` or `refused <code>`
    /// for a client frame, `decoded <type>` or `undecodable` for the others.
    pub read: String,
    /// What the room made of it, when it got that far (`applied`, or
    /// `rejected <code>`).
    pub room: Option<String>,
    /// How serde_json's reading of the text compares (allowed
    /// differences are counted).
    pub agreement: Agreement,
}

impl Outcome {
    fn read(read: impl Into<String>) -> Outcome {
        Outcome {
            read: read.into(),
            ..Outcome::default()
        }
    }
}

/// Reads one client frame as the server does, and applies what it asks to
/// the world's room as `actor` (a `hello` is admitted as the server admits
/// it).
///
/// # Errors
///
/// A [`Finding`] when the decoders or encoders disagree, or the room breaks
/// an invariant.
pub fn client_frame(world: &mut World, text: &str, actor: Actor) -> Result<Outcome, Finding> {
    let parsed = ClientMessage::parse(text);
    let mut agreement = Agreement::Same;
    if text.len() <= MAX_MESSAGE_BYTES {
        let theirs = serde_json::from_str::<ClientMessage>(text);
        agreement = agree(parsed.as_ref().ok(), theirs.ok(), |canonical| {
            (canonical.len() <= MAX_MESSAGE_BYTES).then(|| ClientMessage::parse(canonical).ok())
        })?;
    }
    let message = match parsed {
        Ok(message) => message,
        Err(refusal) => {
            // Every refusal has words, and a request id only when readable.
            let _ = refusal.reason.to_string();
            if let Some(request_id) = &refusal.request_id {
                let _ = parse_request_id(request_id);
            }
            return Ok(Outcome::read(format!(
                "refused {}",
                refusal.reason.variant_name()
            )));
        }
    };
    encode_alike(&message)?;
    let mut outcome = match message {
        ClientMessage::Command {
            request_id,
            command,
        } => command_frame(world, &request_id, command, actor)?,
        ClientMessage::Hello {
            protocol,
            join_code,
            auth,
            ..
        } => hello(world, protocol, &join_code, auth)?,
        ClientMessage::Pong => Outcome::read("accepted pong"),
        ClientMessage::TimeSync { client_time } => {
            let _ = clock_offset_millis(client_time, world.now, world.now.0);
            let _ = clock_offset_millis(client_time, world.now, client_time.saturating_add(1));
            Outcome::read("accepted time_sync")
        }
    };
    outcome.agreement = agreement;
    Ok(outcome)
}

/// How the derived decoder's reading of a text compares with serde_json's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Agreement {
    /// Both read the same value, or both refuse the text.
    #[default]
    Same,
    /// moot reads a text serde_json refuses: duplicate keys, of which moot
    /// takes the first and serde refuses the text. Allowed.
    Lenient,
    /// serde_json reads a text moot refuses, through one of serde's
    /// liberties that moot does not take (an enum tag given as its index,
    /// `"type": 0`; a tagged object given as an array). Allowed as long as
    /// moot reads the same value written out properly.
    Strict,
}

/// Compares the two readings of one text. When only serde_json reads it,
/// its value written out by serde_json must read back the same through
/// `read_canonical` (which answers `None` for a text it need not read,
/// such as an oversized one).
fn agree<T: serde::Serialize + PartialEq + std::fmt::Debug>(
    ours: Option<&T>,
    theirs: Option<T>,
    read_canonical: impl Fn(&str) -> Option<Option<T>>,
) -> Result<Agreement, Finding> {
    match (ours, theirs) {
        (Some(ours), Some(theirs)) if *ours != theirs => Err(Finding(format!(
            "moot's decoder reads {ours:?} where serde_json reads {theirs:?}"
        ))),
        (Some(_), Some(_)) | (None, None) => Ok(Agreement::Same),
        (Some(_), None) => Ok(Agreement::Lenient),
        (None, Some(theirs)) => {
            let canonical = serde_json::to_string(&theirs)
                .map_err(|error| Finding(format!("serde_json cannot write {theirs:?}: {error}")))?;
            match read_canonical(&canonical) {
                None => Ok(Agreement::Strict),
                Some(Some(read)) if read == theirs => Ok(Agreement::Strict),
                Some(read) => Err(Finding(format!(
                    "moot's decoder reads {canonical} (serde_json's text of {theirs:?}) as {read:?}"
                ))),
            }
        }
    }
}

fn command_frame(
    world: &mut World,
    request_id: &str,
    command: Command,
    actor: Actor,
) -> Result<Outcome, Finding> {
    if let Err(rejection) = parse_request_id(request_id) {
        return Ok(Outcome::read(format!(
            "refused {}",
            rejection.variant_name()
        )));
    }
    let read = format!("accepted command.{}", command.variant_name());
    let room = match world.apply(actor, command)? {
        Ok(_) => "applied".to_owned(),
        Err(rejection) => format!("rejected {}", rejection.variant_name()),
    };
    Ok(Outcome {
        read,
        room: Some(room),
        agreement: Agreement::Same,
    })
}

/// The server's handshake checks, in its order, then the admission.
fn hello(
    world: &mut World,
    protocol: u32,
    join_code: &str,
    auth: HelloAuth,
) -> Result<Outcome, Finding> {
    let refused =
        |rejection: Rejection| Outcome::read(format!("refused {}", rejection.variant_name()));
    if protocol != PROTOCOL_VERSION {
        return Ok(refused(Rejection::UnsupportedProtocolVersion {
            supported: PROTOCOL_VERSION,
        }));
    }
    let admission = match auth {
        HelloAuth::Join { name } => match parse_display_name(&name) {
            Ok(name) => Ok(Admission::Join(name)),
            Err(rejection) => return Ok(refused(rejection)),
        },
        HelloAuth::Rejoin { token, name } => {
            let name = match name.map(|name| parse_display_name(&name)).transpose() {
                Ok(name) => name,
                Err(rejection) => return Ok(refused(rejection)),
            };
            Credential::parse(&token)
                .map(|credential| Admission::Rejoin(credential, name))
                .ok_or(Rejection::BadCredential)
        }
        HelloAuth::Screen { token } => ScreenKey::parse(&token)
            .map(Admission::Screen)
            .ok_or(Rejection::BadCredential),
    };
    if JoinCode::parse(join_code).ok().as_ref() != Some(&world.room.code) {
        return Ok(refused(Rejection::UnknownJoinCode));
    }
    let admission = match admission {
        Ok(admission) => admission,
        Err(rejection) => return Ok(refused(rejection)),
    };
    let decided = match admission {
        Admission::Join(name) => world.join(name.as_str())?.map(|()| Vec::new()),
        Admission::Rejoin(credential, name) => {
            let command = Command::Rejoin {
                participant: credential.participant,
                credential: CredentialDigest(format!("digest:{}", credential.secret())),
                name,
            };
            world.system(command)?
        }
        Admission::Screen(key) => {
            if world.room.screen.admits(&key) {
                Ok(Vec::new())
            } else {
                Err(Rejection::ScreenLinkStopped)
            }
        }
    };
    Ok(Outcome {
        read: "accepted hello".to_owned(),
        room: Some(match decided {
            Ok(_) => "applied".to_owned(),
            Err(rejection) => format!("rejected {}", rejection.variant_name()),
        }),
        agreement: Agreement::Same,
    })
}

/// Who a `hello` says it is, once its text is checked.
enum Admission {
    Join(DisplayName),
    Rejoin(Credential, Option<DisplayName>),
    Screen(ScreenKey),
}

/// Reads one server frame as the browser does: its decoder, then its
/// session, which folds it into the browser's room; then reads the room as
/// the pages do. `pristine` says the frame is exactly what the server sent
/// this browser, so that (with every frame so far pristine) the browser's
/// room must be the server's room as its viewer sees it.
///
/// # Errors
///
/// A [`Finding`] when the decoders or encoders disagree, or a faithful
/// browser's room differs from the server's.
pub fn server_frame(world: &mut World, text: &str, pristine: bool) -> Result<Outcome, Finding> {
    let decoded = session::decode(text);
    let theirs = serde_json::from_str::<ServerMessage>(text);
    let agreement = agree(decoded.as_ref().ok(), theirs.ok(), |canonical| {
        Some(session::decode(canonical).ok())
    })?;
    let read = match &decoded {
        Ok(message) => {
            encode_alike(message)?;
            format!("decoded {}", message.variant_name())
        }
        Err(_) => "undecodable".to_owned(),
    };
    let is_welcome = matches!(decoded, Ok(ServerMessage::Welcome { .. }));
    let now_ms = world.now.0;
    let browser = &mut world.browser;
    let steps = browser.session.receive(&mut browser.room, text, now_ms);
    browser.faithful = pristine && (browser.faithful || is_welcome);
    for step in &steps {
        match step {
            Step::Resync | Step::Incompatible => {
                browser.needs_welcome = true;
                browser.faithful = false;
                browser.frames.clear();
            }
            Step::Ended(_) => {
                // This person is out; the page would say so. Watch as the
                // screen from now on.
                browser.viewer = Viewer::Screen;
                browser.session = Session::new(
                    world.room.code.clone(),
                    Auth::Screen("0".repeat(64)),
                    Vec::new(),
                );
                browser.room = None;
                browser.needs_welcome = true;
                browser.faithful = false;
                browser.frames.clear();
            }
            Step::Welcomed { .. } => browser.needs_welcome = false,
            _ => {}
        }
    }
    let changed = steps
        .iter()
        .any(|step| matches!(step, Step::Folded { .. } | Step::Welcomed { .. }));
    if let (Some(room), true) = (&browser.room, changed) {
        read_like_a_page(room, world.now, browser.viewer);
    }
    if browser.faithful
        && browser.frames.is_empty()
        && browser.session.is_live()
        && let Some(room) = &browser.room
    {
        let expected = world.room.for_viewer(browser.viewer);
        if *room != expected {
            return Err(Finding(format!(
                "the browser of {:?} folded a room that differs from the server's at {}",
                browser.viewer,
                first_difference(room, &expected)
            )));
        }
    }
    Ok(Outcome {
        read,
        room: Some(format!("{} steps", steps.len())),
        agreement,
    })
}

/// What the pages read off a room: its next deadline, the minutes in both
/// forms, the viewer's own action items.
fn read_like_a_page(room: &moot_shared::Room, now: Timestamp, viewer: Viewer) {
    let _ = room.next_deadline();
    // Every language: each has its own dates, durations and plurals.
    for lang in moot_shared::Lang::ALL {
        let minutes = Minutes::of(room, now, lang);
        // An offset east and one west of UTC, as browsers report them.
        let _ = minutes.to_markdown(if now.0.is_multiple_of(2) { 60 } else { -720 }, lang);
        let _ = serde_json::to_string(&minutes);
        if let Viewer::Participant(me) = viewer {
            let _ = minutes::action_items_markdown(room, me, lang);
        }
    }
    let _ = room.check_invariants();
}

/// The JSON path where two rooms first differ, for a finding's message.
fn first_difference(found: &moot_shared::Room, expected: &moot_shared::Room) -> String {
    fn walk(found: &Value, expected: &Value, path: String) -> Option<String> {
        match (found, expected) {
            (Value::Object(a), Value::Object(b)) => {
                a.keys()
                    .chain(b.keys())
                    .find_map(|key| match (a.get(key), b.get(key)) {
                        (Some(x), Some(y)) => walk(x, y, format!("{path}.{key}")),
                        (x, y) => Some(format!("{path}.{key}: {x:?} ≠ {y:?}")),
                    })
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
                .iter()
                .zip(b)
                .enumerate()
                .find_map(|(index, (x, y))| walk(x, y, format!("{path}[{index}]"))),
            _ if found == expected => None,
            _ => Some(format!("{path}: {found} ≠ {expected}")),
        }
    }
    let (Ok(found), Ok(expected)) = (serde_json::to_value(found), serde_json::to_value(expected))
    else {
        return "(unwritable)".to_owned();
    };
    walk(&found, &expected, String::new()).unwrap_or_else(|| "(nowhere in JSON)".to_owned())
}

/// Reads one stored text as the browser does: as its outbox of unanswered
/// commands (which it resends after the next `welcome`, and which the
/// server must then read without trouble), and as what a person typed into
/// the join, code, token and minutes fields.
///
/// # Errors
///
/// A [`Finding`] when the decoders disagree.
pub fn stored_text(world: &mut World, text: &str) -> Result<Outcome, Finding> {
    // Form fields: each parser takes any text.
    let _ = (
        JoinCode::parse(text).map(|code| code.display_grouped()),
        DisplayName::parse(text),
    );
    let _ = (
        Credential::parse(text).map(|credential| credential.token()),
        RequestId::parse(text),
    );
    let _ = seconds_from_minutes_text(text);
    let outbox = match json::from_str::<Vec<Pending>>(text) {
        Ok(outbox) => outbox,
        Err(_) => return Ok(Outcome::read("undecodable")),
    };
    let mut outcome = Outcome::read(format!("decoded {} pending", outbox.len()));
    let mut session = Session::new(
        world.room.code.clone(),
        Auth::RejoinAs(text.to_owned(), text.to_owned()),
        outbox,
    );
    let _ = session.hello(true);
    let mut room = None;
    let steps = session.receive(&mut room, &world.welcome_frame(), world.now.0);
    for step in steps {
        if let Step::Send(frame) = step {
            // The server reads what the browser resends; a damaged command is
            // refused there, never a crash.
            let refused = ClientMessage::parse(&frame).is_err();
            outcome.room = Some(
                if refused {
                    "a resent frame refused"
                } else {
                    "resent frames read"
                }
                .to_owned(),
            );
        }
    }
    let code = u16::try_from(text.len() % 5_000).unwrap_or(1_000);
    let _ = session.closed(Some(code));
    let _ = session.next_backoff_ms(world.now.0, u32::try_from(text.len()).unwrap_or(u32::MAX));
    Ok(outcome)
}
