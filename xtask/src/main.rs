//! # xtask
//!
//! moot's build program, run as `cargo xtask <command>` (an alias in
//! `.cargo/config.toml`). It needs nothing but the Rust toolchain (and apt for
//! the browser tests): wasm-bindgen runs as a library pinned to the same
//! version as the web crate, so the two can never disagree.
//!
//! - `build-web`: compile `moot-web` for wasm32 and write `web/dist/` with
//!   content-hashed files, gzip-precompressed (the wasm LZMA-compressed, see
//!   [`lzma`]) and an `index.html`.
//! - `serve [args…]`: `build-web`, then run the server (which embeds
//!   `web/dist/` at compile time) with the given arguments.
//! - `test [args…]`: `build-web`, make sure Chromium is installed, build the
//!   server binary and run the workspace tests with the given arguments.
//!
//! `MOOT_WASM_NAMES=1 cargo xtask build-web` keeps the wasm's function names
//! (for `twiggy top`, `twiggy monos` on the unpacked wasm,
//! `target/xtask-web-staging/<bundle>/<bundle>_bg.wasm`); the sizes it prints
//! are then not what a phone downloads.

use std::collections::BTreeSet;
use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

mod compress;
mod style_scale;
mod wasm_names;

use compress::{UNPACKER, gzip, lzma};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";
const WEB_PACKAGE: &str = "moot-web";
/// The binary cargo writes for the web crate (a bin keeps the dash).
const WASM_FILE: &str = "moot-web.wasm";

fn main() {
    if let Err(error) = run() {
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut args = env::args_os().skip(1);
    let command = args.next().and_then(|arg| arg.into_string().ok());
    let rest: Vec<OsString> = args.collect();
    match command.as_deref() {
        Some("build-web") => build_web().map(|_| ()),
        Some("serve") => serve(&rest),
        Some("test") => test(&rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 commands:\n  \
                 build-web        build the browser app into web/dist/\n  \
                 serve [args…]    build-web, then run the server with args (e.g. -- --port 8088)\n  \
                 test [args…]     build-web, install Chromium if missing, run all tests"
            );
            bail!("unknown or missing command");
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("invariant: xtask's manifest dir is inside the workspace")
        .to_path_buf()
}

fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

/// Runs a command to completion, failing with its description if it fails.
fn run_command(command: &mut Command) -> Result<()> {
    let description = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("could not start {description}"))?;
    if !status.success() {
        bail!("{description} failed with {status}");
    }
    Ok(())
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

fn ensure_wasm_target() -> Result<()> {
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match output {
        Ok(output) if output.status.success() => {
            let installed = String::from_utf8_lossy(&output.stdout);
            if installed.lines().any(|line| line.trim() == WASM_TARGET) {
                return Ok(());
            }
            eprintln!("xtask: installing the {WASM_TARGET} target");
            run_command(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        }
        // Without rustup (a distribution toolchain) the build below says what is missing.
        _ => Ok(()),
    }
}

/// One file in `web/dist/`, for the size report.
struct Asset {
    name: String,
    raw: usize,
    gzip: usize,
}

/// One build of the web crate. Both are written to `web/dist/`; the loader
/// in `index.html` picks one per page (see `moot-web`'s crate docs).
struct Bundle {
    /// The file-name prefix of its JS and wasm, and what the size report calls it.
    name: &'static str,
    /// `cargo build` feature arguments.
    features: &'static [&'static str],
}

/// What a phone loads for `/j/{code}` and `/m/{code}`: no facilitator controls.
const PARTICIPANT: Bundle = Bundle {
    name: "moot-participant",
    features: &["--no-default-features"],
};

/// Everything: the start page, the shared screen, the facilitator's controls.
const FULL: Bundle = Bundle {
    name: "moot-web",
    features: &[],
};

/// The hashed file names of one bundle in `web/dist/`.
struct BuiltBundle {
    js: String,
    /// The wasm, LZMA-compressed (`….wasm.lzma`).
    wasm: String,
}

/// Compiles one bundle and returns its wasm (before wasm-bindgen).
fn compile_bundle(bundle: &Bundle) -> Result<Vec<u8>> {
    run_command(
        cargo()
            .args([
                "build",
                "-p",
                WEB_PACKAGE,
                "--target",
                WASM_TARGET,
                "--profile",
                WASM_PROFILE,
            ])
            .args(bundle.features),
    )?;
    // Cargo keeps each feature set's build apart in `deps/` but copies the
    // latest to the same path, so read it before building the next one.
    let wasm_input = target_dir()
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join(WASM_FILE);
    fs::read(&wasm_input).with_context(|| format!("reading {}", wasm_input.display()))
}

/// Runs wasm-bindgen on one bundle and writes its hashed JS and wasm (and
/// any snippets) to `dist`.
fn write_bundle(
    bundle: &Bundle,
    wasm_bytes: Vec<u8>,
    staging: &Path,
    dist: &Path,
    written: &mut BTreeSet<PathBuf>,
) -> Result<BuiltBundle> {
    let out = staging.join(bundle.name);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_bytes(bundle.name, wasm_bytes)
        .web(true)?
        .remove_name_section(env::var_os("MOOT_WASM_NAMES").is_none())
        .remove_producers_section(true)
        .typescript(false)
        .generate(&out)
        .with_context(|| format!("running wasm-bindgen on {}", bundle.name))?;

    let js =
        fs::read(out.join(format!("{}.js", bundle.name))).context("reading wasm-bindgen's JS")?;
    let wasm = fs::read(out.join(format!("{}_bg.wasm", bundle.name)))
        .context("reading wasm-bindgen's wasm")?;
    // Short names for what the wasm and the JS call each other (see
    // `wasm_names`): about 4.5 KB less for a phone to download, compressed.
    let shortened = std::str::from_utf8(&js)
        .ok()
        .and_then(|text| wasm_names::shorten(&wasm, text));
    let (wasm, js) = match shortened {
        Some((wasm, js)) => (wasm, js.into_bytes()),
        None => {
            eprintln!(
                "xtask: {}: kept wasm-bindgen's long import names",
                bundle.name
            );
            (wasm, js)
        }
    };
    let js = compact_js(&js);
    let packed = lzma(&wasm)?;
    let built = BuiltBundle {
        js: format!("{}-{:016x}.js", bundle.name, fnv1a(&js)),
        wasm: format!("{}-{:016x}.wasm.lzma", bundle.name, fnv1a(&packed)),
    };
    write_with_gzip(dist, &built.js, &js, written)?;
    // No gzip twin: LZMA output does not compress further.
    fs::write(dist.join(&built.wasm), &packed)?;
    written.insert(PathBuf::from(&built.wasm));
    // Snippets are imported by relative path from the JS, so they keep their names.
    let snippets = out.join("snippets");
    if snippets.exists() {
        copy_snippets(&snippets, dist, Path::new("snippets"), written)?;
    }
    Ok(built)
}

/// wasm-bindgen's JS without its doc comments, comment lines and
/// indentation: about a kilobyte less for a phone to download, compressed.
/// Only whole lines are dropped and only leading whitespace trimmed, which
/// changes no statement; JS with a template literal spanning lines (whose
/// text indentation is part of) is left as it is.
fn compact_js(js: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(js) else {
        return js.to_vec();
    };
    if text.lines().any(|line| line.matches('`').count() % 2 == 1) {
        return js.to_vec();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_doc_comment = false;
    for line in text.lines() {
        let line = line.trim_start();
        if in_doc_comment {
            in_doc_comment = !line.contains("*/");
            continue;
        }
        if line.starts_with("/**") {
            in_doc_comment = !line.contains("*/");
            continue;
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// A stylesheet without its comments and the whitespace that separates
/// nothing: about 0.6 KB less for a phone to download, compressed. Only
/// outside quoted strings; a comment becomes a space, and any other run of
/// whitespace one space or line break, so no two tokens run together.
fn compact_css(css: &str) -> String {
    let mut uncommented = String::with_capacity(css.len());
    let mut rest = css;
    let mut quote: Option<char> = None;
    while let Some(character) = rest.chars().next() {
        if quote.is_none() && rest.starts_with("/*") {
            // An unclosed comment runs to the end, as in a browser.
            let end = rest[2..].find("*/").map_or(rest.len(), |end| end + 4);
            // A comment separates what stands around it; keep the line
            // breaks it spanned, or a space.
            let breaks = rest[..end].matches('\n').count();
            uncommented.push_str(&if breaks == 0 {
                " ".to_owned()
            } else {
                "\n".repeat(breaks)
            });
            rest = &rest[end..];
            continue;
        }
        // An escaped character inside a string is taken with its backslash.
        let taken = match (quote, character) {
            (Some(_), '\\') => rest.chars().take(2).map(char::len_utf8).sum(),
            _ => character.len_utf8(),
        };
        match (quote, character) {
            (None, '"' | '\'') => quote = Some(character),
            (Some(open), _) if open == character => quote = None,
            _ => {}
        }
        uncommented.push_str(&rest[..taken]);
        rest = &rest[taken..];
    }
    // Outside strings, whitespace around `{`, `}`, `;` and `,` separates
    // nothing; elsewhere a run of it stays as one space or line break.
    let mut out = String::with_capacity(uncommented.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut space: Option<char> = None;
    for character in uncommented.chars() {
        if let Some(open) = quote {
            out.push(character);
            if escaped {
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == open {
                quote = None;
            }
            continue;
        }
        if character.is_whitespace() {
            if space != Some('\n') {
                space = Some(if character == '\n' { '\n' } else { ' ' });
            }
            continue;
        }
        let tight = |c: char| matches!(c, '{' | '}' | ';' | ',');
        if let Some(space) = space.take()
            && !out.is_empty()
            && !tight(character)
            && !out.ends_with(tight)
        {
            out.push(space);
        }
        if matches!(character, '"' | '\'') {
            quote = Some(character);
        }
        out.push(character);
    }
    out.push('\n');
    out
}

/// `index.html` with its loader script as [`compact_js`] leaves it.
fn compact_script(html: &str) -> String {
    const OPEN: &str = "<script type=\"module\">\n";
    let Some((head, rest)) = html.split_once(OPEN) else {
        return html.to_owned();
    };
    let Some((script, tail)) = rest.split_once("</script>") else {
        return html.to_owned();
    };
    let script =
        String::from_utf8(compact_js(script.as_bytes())).unwrap_or_else(|_| script.to_owned());
    format!("{head}{OPEN}{script}</script>{tail}")
}

/// Classes only the full app draws: the shared screen and the facilitator's
/// controls (`.fac` also covers `.fac-menu`, `.fac-person-menu`, …).
const FULL_APP_ONLY: &[&str] = &[
    ".screen",
    ".person-actions",
    ".poll-presets",
    ".phase-edit",
    ".roti",
    ".fac",
    ".group-map",
    ".group-tile",
    ".group-member",
];

/// Splits the stylesheet into what every page needs and the one-line rules
/// whose every selector names a class of [`FULL_APP_ONLY`] (also inside a
/// one-line `@media`). Anything else, multi-line rules included, stays in
/// the base: leaving a rule in costs bytes, taking a needed one out would
/// break a phone's page.
fn split_style(css: &str) -> (String, String) {
    let (mut base, mut full_only) = (String::new(), String::new());
    for line in css.lines() {
        let trimmed = line.trim();
        let selectors = if trimmed.starts_with("@media") {
            trimmed.split('{').nth(1)
        } else {
            trimmed.split('{').next()
        };
        let one_line_rule = !trimmed.starts_with('@') || trimmed.starts_with("@media");
        let only_full = one_line_rule
            && trimmed.contains('{')
            && trimmed.ends_with('}')
            && selectors.is_some_and(|selectors| {
                top_level_selectors(selectors)
                    .all(|selector| FULL_APP_ONLY.iter().any(|class| selector.contains(class)))
            });
        let out = if only_full { &mut full_only } else { &mut base };
        out.push_str(line);
        out.push('\n');
    }
    (base, full_only)
}

/// A selector list split at its own commas, not those inside `:is(…)`,
/// `:has(…)` or `:not(…)` (whose parts name no class of their own).
fn top_level_selectors(list: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0usize;
    list.split(move |c| {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        c == ',' && depth == 0
    })
}

/// When this program was built: a changed xtask (the loader in `index.html`,
/// bindgen options, compression) rebuilds `web/dist` too.
fn this_program_version() -> String {
    env::current_exe()
        .and_then(fs::metadata)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| modified.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or_else(String::new, |since| since.as_nanos().to_string())
}

/// Builds the browser app (both bundles) into `web/dist/` and returns the
/// dist directory.
fn build_web() -> Result<PathBuf> {
    ensure_wasm_target()?;
    let participant_wasm = compile_bundle(&PARTICIPANT)?;
    let full_wasm = compile_bundle(&FULL)?;

    let root = workspace_root();
    let style_path = root.join("web").join("style.css");
    let dist = root.join("web").join("dist");
    let staging = target_dir().join("xtask-web-staging");
    let style =
        fs::read(&style_path).with_context(|| format!("reading {}", style_path.display()))?;
    let off_scale = style_scale::off_scale(&String::from_utf8_lossy(&style));
    if !off_scale.is_empty() {
        bail!(
            "web/style.css: sizes off the scales defined on :root (use a var(--text-*), \
             var(--space-*), var(--radius-*) or var(--control-*)):\n  {}",
            off_scale.join("\n  ")
        );
    }

    // Cargo is incremental already; skip bindgen and compression too when
    // neither wasm nor the stylesheet nor this program changed.
    let stamp_path = staging.join("stamp");
    let stamp = format!(
        "{:016x}-{:016x}-{:016x}-{}-{}",
        fnv1a(&participant_wasm),
        fnv1a(&full_wasm),
        fnv1a(&style),
        env!("CARGO_PKG_VERSION"),
        this_program_version(),
    );
    let index = dist.join("index.html");
    if index.exists() && fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str()) {
        eprintln!("xtask: web/dist is up to date");
        report_sizes(&dist)?;
        return Ok(dist);
    }

    if staging.exists() {
        fs::remove_dir_all(&staging).context("clearing the staging directory")?;
    }
    fs::create_dir_all(&dist)?;
    let mut written = BTreeSet::new();
    let participant = write_bundle(
        &PARTICIPANT,
        participant_wasm,
        &staging,
        &dist,
        &mut written,
    )?;
    let full = write_bundle(&FULL, full_wasm, &staging, &dist, &mut written)?;
    // Everyone loads the base stylesheet; the full app adds the rules only
    // it uses (shared screen, facilitator controls), which phones skip.
    let (base, full_only) = split_style(&String::from_utf8_lossy(&style));
    let (base, full_only) = (compact_css(&base), compact_css(&full_only));
    let style_name = format!("style-{:016x}.css", fnv1a(base.as_bytes()));
    write_with_gzip(&dist, &style_name, base.as_bytes(), &mut written)?;
    let full_style = format!(
        "{}-style-{:016x}.css",
        FULL.name,
        fnv1a(full_only.as_bytes())
    );
    write_with_gzip(&dist, &full_style, full_only.as_bytes(), &mut written)?;
    let icon = format!("icon-{:016x}.svg", fnv1a(FAVICON.as_bytes()));
    write_with_gzip(&dist, &icon, FAVICON.as_bytes(), &mut written)?;
    let unpacker = compact_js(UNPACKER.as_bytes());
    let unpacker_name = format!("unlzma-{:016x}.js", fnv1a(&unpacker));
    write_with_gzip(&dist, &unpacker_name, &unpacker, &mut written)?;
    let html = compact_script(&index_html(
        &participant,
        &full,
        &Shared {
            style: &style_name,
            full_style: &full_style,
            icon: &icon,
            unpacker: &unpacker_name,
        },
    ));
    write_with_gzip(&dist, "index.html", html.as_bytes(), &mut written)?;

    remove_stale(&dist, Path::new(""), &written)?;
    fs::create_dir_all(&staging)?;
    fs::write(&stamp_path, stamp)?;
    report_sizes(&dist)?;
    Ok(dist)
}

/// moot's icon: three people meeting (three dots) in the accent colour.
/// Without one, every browser asks for `/favicon.ico` and logs the 404 in
/// the console. A file of its own (hashed, cached for a year), since the
/// page's policy allows images only from the site itself.
const FAVICON: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8' fill='#1d4ed8'>\
<circle cx='4' cy='2' r='2'/><circle cx='2' cy='6' r='2'/><circle cx='6' cy='6' r='2'/></svg>";

/// The files both bundles' pages use, by their hashed names.
struct Shared<'a> {
    style: &'a str,
    full_style: &'a str,
    icon: &'a str,
    unpacker: &'a str,
}

/// The page every route serves. Its module script is the loader: it picks
/// the participant bundle for a participant's page (`/j/{code}`,
/// `/m/{code}`) and the full app for everything else or `?facilitate`,
/// fetches the wasm while the JS loads, has a worker unpack and compile it
/// (LZMA, see [`lzma`]) and marks `<html data-bundle>` so tests (and curious people)
/// can see which one runs. When loading fails (a phone on a bad network) it
/// says so and reloads, up to three times. A `<noscript>` says why nothing
/// happens without JavaScript.
fn index_html(participant: &BuiltBundle, full: &BuiltBundle, shared: &Shared) -> String {
    let (p_js, p_wasm, f_js, f_wasm) = (&participant.js, &participant.wasm, &full.js, &full.wasm);
    let Shared {
        style,
        full_style,
        icon,
        unpacker,
    } = shared;
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>moot</title>
<link rel="icon" href="/{icon}">
<link rel="stylesheet" href="/{style}">
<script type="module">
const facilitate = new URLSearchParams(location.search).has("facilitate");
const participant = !facilitate && /^\/[jm]\/[^/]+\/?$/.test(location.pathname);
const [js, wasm] = participant
  ? ["/{p_js}", "/{p_wasm}"]
  : ["/{f_js}", "/{f_wasm}"];
document.documentElement.dataset.bundle = participant ? "participant" : "full";
// The reader's language, as the app chooses it (web/src/i18n): the stored
// choice, then the first of the browser's languages moot speaks. Only this
// page's own words need it before the app runs.
const stored = (() => {{ try {{ return localStorage.getItem("moot.lang"); }} catch {{ return null; }} }})();
const german = /^de\b/i.test(stored || navigator.languages.find((tag) => /^(de|en)\b/i.test(tag)) || "");
document.documentElement.lang = german ? "de" : "en";
if (!participant) {{
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/{full_style}";
  document.head.append(style);
}}
// sessionStorage may be missing (private modes): then no retries, never a loop.
const session = (use) => {{ try {{ return use(sessionStorage); }} catch {{ return null; }} }};
// The wasm comes LZMA-compressed, a fifth smaller than gzip; a worker
// (started now, so its script loads beside the wasm) unpacks and compiles it.
const unpacker = new Worker("/{unpacker}");
const unpacked = fetch(wasm)
  .then((response) => {{
    if (!response.ok) throw Error(`${{wasm}}: HTTP ${{response.status}}`);
    return response.arrayBuffer();
  }})
  .then((packed) => new Promise((resolve, reject) => {{
    // A module, or a string saying what went wrong.
    unpacker.onmessage = ({{ data }}) => (typeof data === "string" ? reject(Error(data)) : resolve(data));
    unpacker.onerror = (event) => reject(Error(event.message || "the wasm could not be unpacked"));
    unpacker.postMessage(packed, [packed]);
  }}))
  .finally(() => unpacker.terminate());
try {{
  // The module arrives compiled; starting the app is a task of its own, so
  // a tap in between is answered.
  const [module, {{ default: init }}] = await Promise.all([unpacked, import(js)]);
  await new Promise((resolve) => setTimeout(resolve));
  await init({{ module_or_path: module }});
  session((store) => store.removeItem("moot.load-tries"));
}} catch (error) {{
  // A phone on a bad network: say so, and try again a few times.
  console.error(error);
  const note = document.createElement("p");
  note.setAttribute("role", "alert");
  note.textContent = german
    ? "moot konnte nicht laden. Prüf die Netzverbindung; neuer Versuch…"
    : "moot could not load. Check the network connection; trying again…";
  document.body.append(note);
  const attempt = Number(session((store) => store.getItem("moot.load-tries")) || 0);
  const counted = session((store) => store.setItem("moot.load-tries", String(attempt + 1)));
  if (attempt < 3 && counted !== null) {{
    setTimeout(() => location.reload(), 2000 * (attempt + 1));
  }}
}}
</script>
</head>
<body>
<noscript>moot needs JavaScript to run in your browser. · <span lang="de">moot braucht JavaScript in deinem Browser.</span></noscript>
</body>
</html>
"#
    )
}

/// Writes `name` and a best-compression `name.gz` beside it.
fn write_with_gzip(
    dist: &Path,
    name: &str,
    bytes: &[u8],
    written: &mut BTreeSet<PathBuf>,
) -> Result<()> {
    let path = dist.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    let gz_name = format!("{name}.gz");
    fs::write(dist.join(&gz_name), gzip(bytes)?)?;
    written.insert(PathBuf::from(name));
    written.insert(PathBuf::from(gz_name));
    Ok(())
}

fn copy_snippets(
    from: &Path,
    dist: &Path,
    relative: &Path,
    written: &mut BTreeSet<PathBuf>,
) -> Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let relative = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_snippets(&entry.path(), dist, &relative, written)?;
        } else {
            let name = relative
                .to_str()
                .context("snippet paths are UTF-8")?
                .to_owned();
            write_with_gzip(dist, &name, &fs::read(entry.path())?, written)?;
        }
    }
    Ok(())
}

/// Deletes files in dist that this build did not write (old hashes).
fn remove_stale(dist: &Path, relative: &Path, written: &BTreeSet<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dist.join(relative))? {
        let entry = entry?;
        let relative = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            remove_stale(dist, &relative, written)?;
            // Only succeeds when the directory is now empty, which is what we want.
            let _ = fs::remove_dir(dist.join(&relative));
        } else if !written.contains(&relative) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Prints what each kind of page downloads on first load: `index.html`, the
/// stylesheet, the unpacker and one bundle's JS and wasm, raw and as sent
/// (the `.gz` twin the server sends; the `.lzma` wasm as it is).
fn report_sizes(dist: &Path) -> Result<()> {
    let mut assets = Vec::new();
    for entry in fs::read_dir(dist)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".gz") || !entry.file_type()?.is_file() {
            continue;
        }
        let raw = entry.metadata()?.len() as usize;
        let gzip = fs::metadata(dist.join(format!("{name}.gz")))
            .map(|meta| meta.len() as usize)
            .unwrap_or(raw);
        assets.push(Asset { name, raw, gzip });
    }
    assets.sort_by_key(|asset| std::cmp::Reverse(asset.gzip));
    for (bundle, who) in [
        (&PARTICIPANT, "a phone joining"),
        (&FULL, "the start page, shared screen and facilitator"),
    ] {
        let other = if bundle.name == PARTICIPANT.name {
            &FULL
        } else {
            &PARTICIPANT
        };
        let belongs = |asset: &&Asset| !asset.name.starts_with(&format!("{}-", other.name));
        eprintln!("xtask: web/dist, first load of {who}:");
        for asset in assets.iter().filter(belongs) {
            eprintln!(
                "  {:<44} {:>9} raw {:>9} sent",
                asset.name,
                kb(asset.raw),
                kb(asset.gzip)
            );
        }
        // The icon is listed but not counted: browsers fetch it after the
        // page has loaded, and it holds nothing up.
        let counted = |asset: &&Asset| belongs(asset) && !asset.name.starts_with("icon-");
        let raw: usize = assets.iter().filter(counted).map(|asset| asset.raw).sum();
        let gzip: usize = assets.iter().filter(counted).map(|asset| asset.gzip).sum();
        eprintln!("  {:<44} {:>9} raw {:>9} sent", "total", kb(raw), kb(gzip));
        if bundle.name == PARTICIPANT.name {
            let verdict = if gzip <= PARTICIPANT_BUDGET {
                "within"
            } else {
                "OVER"
            };
            eprintln!(
                "  {verdict} the {} budget for a phone's first load (DESIGN.md)",
                kb(PARTICIPANT_BUDGET)
            );
        }
    }
    Ok(())
}

/// DESIGN.md's "first load of the participant page (WASM + JS + CSS,
/// compressed) ≤ 250 KB"; BENCHMARKS.md tracks how it is held.
const PARTICIPANT_BUDGET: usize = 250_000;

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// FNV-1a, 64 bits: enough to tell builds apart in a file name, no extra crate.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn serve(args: &[OsString]) -> Result<()> {
    build_web()?;
    // `cargo xtask serve -- --port 8088` passes a leading `--`; cargo run adds its own.
    let args = args.strip_prefix(&[OsString::from("--")]).unwrap_or(args);
    run_command(
        cargo()
            .args([
                "run",
                "--release",
                "-p",
                "moot-server",
                "--bin",
                "moot",
                "--",
            ])
            .args(args),
    )
}

fn test(args: &[OsString]) -> Result<()> {
    build_web()?;
    ensure_installed(
        &["chromium", "chromedriver"],
        &["chromium", "chromium-driver"],
    )?;
    // xtask's own tests run the page's LZMA unpacker in Node (npm brings it).
    ensure_installed(&["node"], &["nodejs"])?;
    ensure_axe()?;
    // The same selection as the default members: everything but the wasm-only web crate.
    run_command(
        cargo()
            .args(["test", "--workspace", "--exclude", WEB_PACKAGE])
            .args(args),
    )
}

/// Installs axe-core (pinned in `tests/axe/package-lock.json`), which the
/// browser tests inject into pages, unless the pinned version is there.
fn ensure_axe() -> Result<()> {
    let dir = workspace_root().join("tests").join("axe");
    let lock = fs::read_to_string(dir.join("package-lock.json"))
        .context("reading tests/axe/package-lock.json")?;
    let installed =
        fs::read_to_string(dir.join("node_modules/axe-core/package.json")).unwrap_or_default();
    let version_of = |json: &str| {
        json.split("\"version\": \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
    };
    // The lock's first "version" after axe-core's entry is the pinned one.
    let pinned = lock
        .split("\"node_modules/axe-core\"")
        .nth(1)
        .and_then(version_of);
    if pinned.is_some()
        && pinned == version_of(&installed)
        && dir.join("node_modules/axe-core/axe.min.js").is_file()
    {
        return Ok(());
    }
    ensure_installed(&["npm"], &["npm"])?;
    eprintln!("xtask: installing axe-core for the browser tests with npm");
    run_command(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir),
    )
}

fn on_path(program: &str) -> bool {
    env::var_os("PATH").is_some_and(|paths| {
        env::split_paths(&paths).any(|dir| {
            let candidate = dir.join(program);
            candidate.is_file()
        })
    })
}

/// Installs the Debian `packages` with apt-get unless all of `programs`
/// are on PATH already.
fn ensure_installed(programs: &[&str], packages: &[&str]) -> Result<()> {
    if programs.iter().all(|program| on_path(program)) {
        return Ok(());
    }
    eprintln!("xtask: installing {} with apt-get", packages.join(" and "));
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
        .unwrap_or(false);
    let apt = |apt_args: &[&str]| -> Result<()> {
        let mut command = if is_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            // In CI there is nobody to type a password: fail instead of waiting.
            if env::var("CI").is_ok_and(|ci| ci == "true") {
                sudo.arg("-n");
            }
            // sudo drops the environment; pass the frontend setting as an argument.
            sudo.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            sudo
        };
        command.env("DEBIAN_FRONTEND", "noninteractive");
        command.args(apt_args);
        run_command(&mut command)
    };
    apt(&["update"])?;
    apt(&[&["install", "-y"], packages].concat())?;
    if let Some(missing) = programs.iter().find(|program| !on_path(program)) {
        bail!("{missing} is still not on PATH after apt-get install");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{compact_css, split_style};

    #[test]
    fn a_selector_list_with_commas_inside_has_stays_one_full_app_rule() {
        let css = ".screen:not(:has(.screen-live :is(.screen-poll, .stand-in))) { gap: 0; }\n\
                   .stand-in, .screen-title { margin: 0; }\n";
        let (base, full_only) = split_style(css);
        assert_eq!(
            full_only,
            ".screen:not(:has(.screen-live :is(.screen-poll, .stand-in))) { gap: 0; }\n"
        );
        // `.stand-in` shows on phones too: that rule stays for everyone.
        assert_eq!(base, ".stand-in, .screen-title { margin: 0; }\n");
    }

    #[test]
    fn compact_css_drops_comments_and_whitespace_that_separates_nothing() {
        let css = "/* a\n   b */\n.x {\n  color: red; /* why */\n}\n\n.y::before { content: \"/* kept */ \\\" \"; }\na/**/b { }\n";
        assert_eq!(
            compact_css(css),
            ".x{color: red;}.y::before{content: \"/* kept */ \\\" \";}a b{}\n"
        );
    }
}
