//! The fuzzing loop: draws inputs from a seeded generator, runs each through
//! [`crate::check`] with panics caught, counts what happened, and writes
//! every input that panicked or broke a property to a directory.
//!
//! One generator drives everything (the inputs, the actors, the clock, when
//! a world starts over), so a run is a function of its seed: `--seed` with
//! the same number of inputs replays it exactly, and a saved input's file
//! name says its seed and index.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use moot_shared::Actor;

use crate::check::{self, Agreement, Outcome, Target};
use crate::examples::Examples;
use crate::generate;
use crate::mutate;
use crate::rng::Rng;
use crate::world::{Finding, World};

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// How many inputs.
    pub inputs: u64,
    /// The generator's seed.
    pub seed: u64,
    /// Where to write inputs that panicked or broke a property (`None`: nowhere).
    pub out: Option<PathBuf>,
    /// Print a progress line this often (`None`: never).
    pub progress: Option<Duration>,
}

/// A place in moot's code that panicked, and how often.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The panic message with its location, or the broken property.
    pub what: String,
    /// How many inputs failed this way.
    pub count: u64,
    /// The first input that did, as `<target> <seed>/<index>`, and its text.
    pub first: (String, String),
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Inputs run.
    pub inputs: u64,
    /// Inputs per target.
    pub per_target: BTreeMap<&'static str, u64>,
    /// Inputs that panicked.
    pub panics: u64,
    /// Inputs that broke a property.
    pub findings: u64,
    /// Distinct failures, by panic location or property.
    pub failures: BTreeMap<String, Failure>,
    /// How inputs were read and what the room made of them, counted.
    pub outcomes: BTreeMap<String, u64>,
    /// Texts only moot's decoders read, and texts only serde_json reads
    /// (see [`Agreement`]), each with an example.
    pub disagreements: BTreeMap<String, (u64, String)>,
    /// Invariants that broke between two events of one command and held
    /// after its last, by the broken invariant, with an example.
    pub transient: BTreeMap<String, (u64, String)>,
    /// How long the run took.
    pub elapsed: Duration,
}

impl Summary {
    /// Whether nothing panicked and every property held.
    pub fn clean(&self) -> bool {
        self.panics == 0 && self.findings == 0
    }

    /// Inputs per second.
    pub fn rate(&self) -> f64 {
        self.inputs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// A report for people: totals, rate, what the inputs reached, failures.
    pub fn report(&self, seed: u64) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "seed {seed}: {} inputs in {:.1} s ({:.0} inputs/s); {} panics, {} broken properties",
            self.inputs,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.panics,
            self.findings
        );
        let targets: Vec<String> = self
            .per_target
            .iter()
            .map(|(target, count)| format!("{target} {count}"))
            .collect();
        let _ = writeln!(out, "inputs by target: {}", targets.join(", "));
        let mut outcomes: Vec<(&String, &u64)> = self.outcomes.iter().collect();
        outcomes.sort_by(|a, b| b.1.cmp(a.1));
        let _ = writeln!(
            out,
            "outcomes ({} kinds), most common first:",
            outcomes.len()
        );
        for (outcome, count) in outcomes.iter().take(30) {
            let _ = writeln!(out, "  {count:>10}  {outcome}");
        }
        // How deep the inputs got: every command the room took, and how often.
        let applied: Vec<String> = outcomes
            .iter()
            .filter_map(|(outcome, count)| {
                let command = outcome
                    .strip_prefix("client: accepted command.")?
                    .strip_suffix(" → applied")?;
                Some(format!("{command} {count}"))
            })
            .collect();
        let _ = writeln!(
            out,
            "commands applied ({} kinds): {}",
            applied.len(),
            applied.join(", ")
        );
        for (what, (count, example)) in &self.disagreements {
            let _ = writeln!(out, "{what}: {count}, e.g. {}", shorten(example, 300));
        }
        for (broken, (count, example)) in &self.transient {
            let _ = writeln!(
                out,
                "invariant broken between two events of a command (and whole after it) {count} time(s): {broken}\n  e.g. {}",
                shorten(example, 600)
            );
        }
        for failure in self.failures.values() {
            let _ = writeln!(out, "FAILED {} time(s): {}", failure.count, failure.what);
            let _ = writeln!(
                out,
                "  first: {}: {}",
                failure.first.0,
                shorten(&failure.first.1, 300)
            );
        }
        out
    }
}

thread_local! {
    /// The last panic's message and location, recorded by the panic hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs the fuzzer.
pub fn run(options: &Options) -> Summary {
    // Panics are expected to be caught here: record them instead of printing
    // a backtrace per input. The previous hook comes back at the end.
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|slot| *slot.borrow_mut() = Some(info.to_string()));
    }));
    let summary = fuzz(options);
    panic::set_hook(previous_hook);
    summary
}

fn fuzz(options: &Options) -> Summary {
    let examples = Examples::from_protocol();
    let donors: Vec<String> = examples
        .client
        .iter()
        .chain(&examples.server)
        .map(|example| example.to_string())
        .collect();
    let mut rng = Rng::new(options.seed);
    let mut summary = Summary::default();
    let started = Instant::now();
    let mut last_progress = started;
    let mut world = fresh_world(&mut rng, None, options, &mut summary);
    for index in 0..options.inputs {
        if world.steps > 400
            || (world.room.ended_at.is_some() && rng.chance(1, 10))
            || rng.chance(1, 3_000)
        {
            let follows = rng.chance(1, 3).then_some(&world);
            world = fresh_world(&mut rng, follows, options, &mut summary);
        }
        let input = draw(&mut rng, &examples, &donors, &mut world);
        let actor = world.pick_actor(&mut rng);
        let mut context = rng.fork();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            if context.chance(1, 6) {
                world.system_step(&mut context)?;
            }
            if context.chance(1, 4) {
                world.advance(&mut context)?;
            }
            match input.target {
                Target::Client => check::client_frame(&mut world, &input.text, actor),
                Target::Server => check::server_frame(&mut world, &input.text, input.pristine),
                Target::Stored => check::stored_text(&mut world, &input.text),
            }
        }));
        if let Some(broken) = world.transient.take() {
            // One line per invariant, whichever ids it named.
            let invariant: String = broken
                .split(", after")
                .next()
                .unwrap_or_default()
                .split(' ')
                .map(|word| {
                    if word.bytes().all(|byte| byte.is_ascii_digit()) {
                        "N"
                    } else {
                        word
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            summary.transient.entry(invariant).or_insert((0, broken)).0 += 1;
        }
        summary.inputs += 1;
        *summary.per_target.entry(input.target.name()).or_default() += 1;
        let failure = match result {
            Ok(Ok(outcome)) => {
                count(&mut summary, input.target, &outcome, &input.text);
                None
            }
            Ok(Err(Finding(what))) => {
                summary.findings += 1;
                Some((what.clone(), what))
            }
            Err(_) => {
                summary.panics += 1;
                let what = LAST_PANIC
                    .with(|slot| slot.borrow_mut().take())
                    .unwrap_or_else(|| "a panic without a message".to_owned());
                // The same place panicking with other values is one failure.
                let site = what.lines().next().unwrap_or_default().to_owned();
                Some((site, what))
            }
        };
        if let Some((key, what)) = failure {
            failed(
                &mut summary,
                options,
                &input,
                index,
                Some((actor, &world)),
                key,
                what,
            );
            // The world may be half way through a change: start over.
            world = fresh_world(&mut rng, None, options, &mut summary);
        }
        if let Some(every) = options.progress
            && last_progress.elapsed() >= every
        {
            last_progress = Instant::now();
            let elapsed = started.elapsed().as_secs_f64();
            eprintln!(
                "{} inputs, {:.0}/s, {} panics, {} broken properties",
                index + 1,
                (index + 1) as f64 / elapsed,
                summary.panics,
                summary.findings
            );
        }
    }
    summary.elapsed = started.elapsed();
    summary
}

/// One input, and whether it is exactly what the server sent the browser.
struct Input {
    target: Target,
    text: String,
    pristine: bool,
}

/// Draws the next input: half client frames, a third server frames, the
/// rest stored texts; each either well formed or damaged.
fn draw(rng: &mut Rng, examples: &Examples, donors: &[String], world: &mut World) -> Input {
    let donor = rng.pick(donors).map_or("", String::as_str);
    match rng.below(20) {
        0..=10 => {
            let text = if rng.chance(1, 25) {
                random_text(rng)
            } else {
                let message = generate::client_message(rng, examples, world);
                let text = generate::to_text(rng, &message);
                damaged_sometimes(rng, text, donor, 2).0
            };
            Input::new(Target::Client, text, false)
        }
        11..=17 => {
            let browser = &mut world.browser;
            let (text, pristine) = if browser.needs_welcome && rng.chance(9, 10) {
                (world.welcome_frame(), true)
            } else if !browser.frames.is_empty() && rng.chance(6, 7) {
                if rng.chance(1, 60) {
                    // A frame lost on the way: the browser sees a gap.
                    browser.frames.pop_front();
                }
                (browser.frames.pop_front().unwrap_or_default(), true)
            } else {
                let message = generate::server_message(rng, examples, world);
                (generate::to_text(rng, &message), false)
            };
            let (text, damaged) = damaged_sometimes(rng, text, donor, 4);
            Input::new(Target::Server, text, pristine && !damaged)
        }
        _ => {
            let message = generate::client_message(rng, examples, world);
            let pending = serde_json::json!([{ "request_id": message.get("request_id"), "command": message.get("command") }]);
            let text = generate::to_text(rng, &pending);
            Input::new(
                Target::Stored,
                damaged_sometimes(rng, text, donor, 2).0,
                false,
            )
        }
    }
}

impl Input {
    fn new(target: Target, text: String, pristine: bool) -> Input {
        Input {
            target,
            text,
            pristine,
        }
    }
}

/// `text` damaged once in `one_in` draws (splicing from `donor`), and
/// whether it was.
fn damaged_sometimes(rng: &mut Rng, text: String, donor: &str, one_in: usize) -> (String, bool) {
    if rng.chance(1, one_in) {
        (mutate::mutate(rng, &text, donor), true)
    } else {
        (text, false)
    }
}

/// Up to 64 random bytes, as text.
fn random_text(rng: &mut Rng) -> String {
    let bytes: Vec<u8> = (0..rng.below(65)).map(|_| rng.next_u64() as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A new world (following `follows` in its series when given). Setting one
/// up runs the reducer too, so a panic or a broken invariant there is
/// caught and counted like any other.
fn fresh_world(
    rng: &mut Rng,
    follows: Option<&World>,
    options: &Options,
    summary: &mut Summary,
) -> World {
    loop {
        let mut setup = rng.fork();
        let attempt = panic::catch_unwind(AssertUnwindSafe(|| match follows {
            Some(world) => world.next_in_series(&mut setup),
            None => World::populated(&mut setup, None),
        }));
        let what = match attempt {
            Ok(Ok(world)) => return world,
            Ok(Err(Finding(what))) => {
                summary.findings += 1;
                what
            }
            Err(_) => {
                summary.panics += 1;
                LAST_PANIC
                    .with(|slot| slot.borrow_mut().take())
                    .unwrap_or_default()
            }
        };
        let input = Input {
            target: Target::Client,
            text: String::new(),
            pristine: false,
        };
        failed(
            summary,
            options,
            &input,
            u64::MAX,
            None,
            format!("setting up a world: {what}"),
            what,
        );
    }
}

fn count(summary: &mut Summary, target: Target, outcome: &Outcome, text: &str) {
    let key = match &outcome.room {
        Some(room) if target == Target::Client => {
            format!("{}: {} → {room}", target.name(), outcome.read)
        }
        _ => format!("{}: {}", target.name(), outcome.read),
    };
    *summary.outcomes.entry(key).or_default() += 1;
    let disagreement = match outcome.agreement {
        Agreement::Same => return,
        Agreement::Lenient => "read by moot's decoder, refused by serde_json",
        Agreement::Strict => "read by serde_json, refused by moot's decoder",
    };
    let entry = summary
        .disagreements
        .entry(format!("{}: {disagreement}", target.name()))
        .or_insert_with(|| (0, text.to_owned()));
    entry.0 += 1;
}

/// Counts a failure under `key` and writes its input (and the actor and
/// room it met) to the output directory: a few per distinct failure.
fn failed(
    summary: &mut Summary,
    options: &Options,
    input: &Input,
    index: u64,
    met: Option<(Actor, &World)>,
    key: String,
    what: String,
) {
    let name = format!("{}-{}-{index}", input.target.name(), options.seed);
    let failure = summary.failures.entry(key).or_insert_with(|| Failure {
        what: what.clone(),
        count: 0,
        first: (name.clone(), input.text.clone()),
    });
    failure.count += 1;
    eprintln!("FAILED ({}): {}", name, shorten(&what, 500));
    let (Some(out), true) = (&options.out, failure.count <= 3) else {
        return;
    };
    let mut context = format!(
        "{what}\n\ninput: {name}.json ({} target)\n",
        input.target.name()
    );
    if let Some((actor, world)) = met {
        let room = serde_json::to_string_pretty(&world.room).unwrap_or_default();
        let _ = write!(
            context,
            "actor: {actor:?}\nnow: {}\nroom: {room}\n",
            world.now.0
        );
    }
    let written = std::fs::create_dir_all(out)
        .and_then(|()| std::fs::write(out.join(format!("{name}.json")), &input.text))
        .and_then(|()| std::fs::write(out.join(format!("{name}.context.txt")), context));
    if let Err(error) = written {
        eprintln!(
            "cannot write the failing input to {}: {error}",
            out.display()
        );
    }
}

/// The first `max` characters of a text, for one line of a report.
pub fn shorten(text: &str, max: usize) -> String {
    let mut short: String = text.chars().take(max).collect();
    if short.len() < text.len() {
        let _ = write!(short, "… ({} bytes)", text.len());
    }
    short.replace('\n', "⏎")
}
