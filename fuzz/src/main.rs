//! `moot-fuzz`: runs the fuzzer, or replays corpus files.
//!
//! ```text
//! moot-fuzz [--inputs N] [--seed S] [--out DIR] [--quiet]
//! moot-fuzz --replay PATH...
//! ```
//!
//! Exits 1 when an input panicked or broke a property, 2 on a bad flag.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use moot_fuzz::check::Target;
use moot_fuzz::corpus;
use moot_fuzz::run::{self, Options};

const USAGE: &str = "usage: moot-fuzz [--inputs N] [--seed S] [--out DIR] [--quiet]
       moot-fuzz --replay PATH...   (files under corpus/<client|server|stored>/, or those directories' parent)

  --inputs N   inputs to run (default 1000000)
  --seed S     the generator's seed (default: from the clock; printed, so a run can be repeated)
  --out DIR    where failing inputs are written (default target/fuzz-findings)
  --quiet      no progress lines";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--replay") {
        return replay(&args[1..]);
    }
    let mut options = Options {
        inputs: 1_000_000,
        seed: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as u64),
        out: Some(PathBuf::from("target/fuzz-findings")),
        progress: Some(Duration::from_secs(10)),
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let parsed = match flag.as_str() {
            "--inputs" => args
                .next()
                .and_then(|n| n.replace('_', "").parse().ok())
                .map(|n| options.inputs = n),
            "--seed" => args
                .next()
                .and_then(|n| n.parse().ok())
                .map(|n| options.seed = n),
            "--out" => args
                .next()
                .map(|dir| options.out = Some(PathBuf::from(dir))),
            "--quiet" => {
                options.progress = None;
                Some(())
            }
            _ => None,
        };
        if parsed.is_none() {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    eprintln!(
        "moot-fuzz: {} inputs, seed {}",
        options.inputs, options.seed
    );
    let summary = run::run(&options);
    print!("{}", summary.report(options.seed));
    if summary.clean() {
        ExitCode::SUCCESS
    } else {
        if let Some(out) = &options.out {
            eprintln!("failing inputs are in {}", out.display());
        }
        ExitCode::FAILURE
    }
}

/// Replays corpus files (or a corpus directory) and prints what each came to.
fn replay(paths: &[String]) -> ExitCode {
    let mut cases = Vec::new();
    for path in paths.iter().map(PathBuf::from) {
        let target = path
            .parent()
            .and_then(|parent| parent.file_name())
            .and_then(|name| Target::ALL.into_iter().find(|target| name == target.name()));
        let loaded = match target {
            Some(target) => corpus::case(&path, target).map(|case| vec![case]),
            None => corpus::load(&path),
        };
        match loaded {
            Ok(loaded) => cases.extend(loaded),
            Err(error) => {
                eprintln!("{}: {error}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let mut failed = false;
    for case in &cases {
        match corpus::replay(case) {
            Ok(replayed) => {
                let first = replayed
                    .first()
                    .map(|replayed| replayed.outcome.read.as_str())
                    .unwrap_or_default();
                println!("{}: {first}", case.path.display());
                for replayed in &replayed {
                    println!("    {}: {:?}", replayed.setting, replayed.outcome.room);
                }
            }
            Err(error) => {
                failed = true;
                println!("{}: FAILED: {error}", case.path.display());
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
