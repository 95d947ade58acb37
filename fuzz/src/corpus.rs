//! The regression corpus: input files under `fuzz/corpus/<target>/`, each
//! replayed against a few fixed worlds and every kind of actor, so a case
//! that once broke something (or that an attack report named) is tried
//! again by every `cargo test`.
//!
//! `fuzz/corpus/EXPECTED` pins how the first reader takes some of them
//! (`client/oversized-70k.json refused message_too_large`): the cases an
//! attack report named must keep being refused for the right reason.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use moot_shared::{Actor, JoinCode};

use crate::check::{self, Outcome, Target};
use crate::rng::Rng;
use crate::world::{Finding, World, person};

/// One corpus file.
#[derive(Clone, Debug)]
pub struct Case {
    /// Its path.
    pub path: PathBuf,
    /// The reader it is for, from its directory.
    pub target: Target,
    /// Its text (files that are not UTF-8 are read as a WebSocket peer
    /// would never send them: with U+FFFD).
    pub text: String,
}

/// The corpus directory of this crate.
pub fn directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every case under `root`, by target, in name order.
///
/// # Errors
///
/// When a directory or file cannot be read.
pub fn load(root: &Path) -> std::io::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for target in Target::ALL {
        let folder = root.join(target.name());
        if !folder.is_dir() {
            continue;
        }
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)?
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<_, _>>()?;
        paths.sort();
        for path in paths {
            cases.push(case(&path, target)?);
        }
    }
    Ok(cases)
}

/// One file as a case for `target`.
///
/// # Errors
///
/// When the file cannot be read.
pub fn case(path: &Path, target: Target) -> std::io::Result<Case> {
    let bytes = std::fs::read(path)?;
    Ok(Case {
        path: path.to_owned(),
        target,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// The expectations in `EXPECTED`: a path under the corpus and the first
/// reader's outcome, per line (`#` starts a comment).
pub fn expectations(root: &Path) -> std::io::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(root.join("EXPECTED"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(' '))
        .map(|(path, outcome)| (path.to_owned(), outcome.trim().to_owned()))
        .collect())
}

/// What a case came to in one world, as one actor.
#[derive(Clone, Debug)]
pub struct Replayed {
    /// Which world and actor.
    pub setting: String,
    /// What became of the case.
    pub outcome: Outcome,
}

/// Replays a case in every fixed world, as every kind of actor.
///
/// # Errors
///
/// The panic (message and place) or broken property, with the setting.
pub fn replay(case: &Case) -> Result<Vec<Replayed>, String> {
    let mut replayed = Vec::new();
    for (name, world) in worlds()? {
        match case.target {
            Target::Client => {
                for actor in world.every_kind_of_actor() {
                    let setting = format!("{name} world, {actor:?}");
                    let mut world = world.clone();
                    let outcome = guarded(&setting, || {
                        check::client_frame(&mut world, &case.text, actor)
                    })?;
                    replayed.push(Replayed { setting, outcome });
                }
            }
            Target::Server => {
                // A fresh page, and a page in sync with the room.
                let mut live = world.clone();
                let welcome = live.welcome_frame();
                guarded("welcome", || check::server_frame(&mut live, &welcome, true))?;
                for (state, mut world) in [("a fresh page", world.clone()), ("a live page", live)] {
                    let setting = format!("{name} world, {state}");
                    let outcome = guarded(&setting, || {
                        check::server_frame(&mut world, &case.text, false)
                    })?;
                    replayed.push(Replayed { setting, outcome });
                }
            }
            Target::Stored => {
                let setting = format!("{name} world");
                let mut world = world.clone();
                let outcome = guarded(&setting, || check::stored_text(&mut world, &case.text))?;
                replayed.push(Replayed { setting, outcome });
            }
        }
    }
    Ok(replayed)
}

/// Runs `check` with its panic caught and turned into an error message.
fn guarded(
    setting: &str,
    check: impl FnOnce() -> Result<Outcome, Finding>,
) -> Result<Outcome, String> {
    match panic::catch_unwind(AssertUnwindSafe(check)) {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(Finding(what))) => Err(format!("{setting}: {what}")),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| {
                    payload
                        .downcast_ref::<&str>()
                        .map(|text| (*text).to_owned())
                })
                .unwrap_or_default();
            Err(format!("{setting}: panicked: {message}"))
        }
    }
}

/// The fixed worlds: a small fresh one, and a busy one.
///
/// # Errors
///
/// When building one breaks a property or a scripted command is refused.
pub fn worlds() -> Result<Vec<(&'static str, World)>, String> {
    let fresh = World::populated(&mut Rng::new(1), None).map_err(|Finding(what)| what)?;
    let mut worlds = vec![("fresh", fresh), ("busy", busy()?)];
    // The corpus's `hello` frames use the protocol document's join code.
    let code = JoinCode::parse("7KQ2M9XD").map_err(|error| error.to_string())?;
    for (_, world) in &mut worlds {
        world.room.code = code.clone();
    }
    Ok(worlds)
}

/// A meetup in full swing, built through the server's reader from wire
/// text: people of every role and membership, a co-facilitator, topics with
/// dots, a secret poll with a vote, hands raised and someone speaking, a
/// topic under discussion with its timebox running, a note and an action item.
///
/// # Errors
///
/// When a step is refused or breaks a property: the script no longer fits
/// the protocol.
pub fn busy() -> Result<World, String> {
    let mut world = World::open(&mut Rng::new(0), None);
    for name in ["Ada", "Bo", "Chen", "Dana", "Eve", "Finn"] {
        world
            .join(name)
            .map_err(|Finding(what)| what)?
            .map_err(|rejection| format!("{name} cannot join: {rejection}"))?;
    }
    let uuid = |n: u128| person(n).0.hyphenated().to_string();
    let script: Vec<(u128, String)> = vec![
        (1, format!(r#"{{"type":"add_co_facilitator","participant":"{}"}}"#, uuid(2))),
        (3, r#"{"type":"propose_topic","title":"Budget"}"#.into()),
        (4, r#"{"type":"propose_topic","title":"Hiring","details":"Two roles"}"#.into()),
        (5, r#"{"type":"propose_topic","title":"Tools"}"#.into()),
        (3, r#"{"type":"place_dot","topic":1}"#.into()),
        (4, r#"{"type":"place_dot","topic":1}"#.into()),
        (5, r#"{"type":"place_dot","topic":2}"#.into()),
        (1, r#"{"type":"open_poll","question":"Ship it?","kind":"fist_of_five","secrecy":"secret","auto_reveal":false}"#.into()),
        (3, r#"{"type":"cast_vote","poll":1,"choice":3}"#.into()),
        (4, r#"{"type":"raise_hand"}"#.into()),
        (5, r#"{"type":"raise_hand","kind":"clarifying","note":"which one?"}"#.into()),
        (1, r#"{"type":"next_speaker"}"#.into()),
        (1, r#"{"type":"reveal_votes"}"#.into()),
        (1, r#"{"type":"start_topic","topic":1}"#.into()),
        (3, r#"{"type":"add_note","topic":1,"text":"Costs doubled"}"#.into()),
        (4, format!(r#"{{"type":"add_action_item","topic":1,"text":"Ask finance","owner":"{}","due":"2026-03-01"}}"#, uuid(4))),
        (6, r#"{"type":"leave"}"#.into()),
        (1, format!(r#"{{"type":"remove","participant":"{}"}}"#, uuid(7))),
    ];
    for (n, command) in script {
        let text = format!(r#"{{"type":"command","request_id":"r-1","command":{command}}}"#);
        let outcome = check::client_frame(&mut world, &text, Actor::Participant(person(n)))
            .map_err(|Finding(what)| what)?;
        if outcome.room.as_deref() != Some("applied") {
            return Err(format!(
                "the busy world's script step {text} came to {outcome:?}"
            ));
        }
    }
    Ok(world)
}
