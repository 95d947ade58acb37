//! Embeds the built web app (`web/dist`, made by `cargo xtask build-web`) into
//! the binary, so `moot` is one file. Without a built app the table is empty
//! and the server answers with a page that says how to build it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json" | "webmanifest") => "application/manifest+json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dist = manifest.join("../web/dist");
    // Watch the dist folder if it exists; otherwise its parent, so that the
    // first build of the web app is picked up without rebuilding every time.
    let watched = if dist.is_dir() {
        dist.clone()
    } else {
        manifest.join("../web")
    };
    println!("cargo:rerun-if-changed={}", watched.display());

    let mut files: Vec<PathBuf> = fs::read_dir(&dist)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .collect()
        })
        .unwrap_or_default();
    files.retain(|path| {
        path.is_file() && path.extension().is_none_or(|extension| extension != "gz")
    });
    files.sort();

    let mut table = String::from("pub static ASSETS: &[Asset] = &[\n");
    for path in &files {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .expect("asset names are UTF-8");
        let absolute = path.canonicalize().expect("asset path resolves");
        let gzipped = PathBuf::from(format!("{}.gz", absolute.display()));
        let gzip = if gzipped.is_file() {
            format!("Some(include_bytes!({:?}))", gzipped.display().to_string())
        } else {
            "None".to_owned()
        };
        writeln!(
            table,
            "    Asset {{ path: {name:?}, content_type: {:?}, body: include_bytes!({:?}), gzip: {gzip} }},",
            content_type(path),
            absolute.display().to_string(),
        )
        .expect("writing to a String cannot fail");
    }
    table.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("assets.rs"), table).expect("OUT_DIR is writable");
}
