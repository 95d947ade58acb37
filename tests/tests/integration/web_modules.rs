//! The browser app's modules form no import cycle (issue 12, item 6): views
//! depend on the connection, the app context and the words, never the other
//! way round, so a feature can change without dragging the connection (and
//! every other view) along. Read from `web/src` as text: `crate::module`
//! paths in code, not in comments.

use std::collections::{BTreeMap, BTreeSet};

/// Each module of `web/src` and the modules its code names.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src");
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("web/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("a file name")
            .to_owned();
        let text = std::fs::read_to_string(&path).expect("a source file");
        let mut uses = BTreeSet::new();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let module: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                // `crate::Item` (an item of the crate root) is not a module.
                if !module.is_empty() && module != name {
                    uses.insert(module);
                }
            }
        }
        graph.insert(name, uses);
    }
    graph
}

/// A cycle through `from`, if there is one.
fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|seen| seen == from) {
        let mut cycle = path[start..].to_vec();
        cycle.push(from.to_owned());
        return Some(cycle);
    }
    path.push(from.to_owned());
    for next in graph.get(from).into_iter().flatten() {
        if let Some(cycle) = cycle_from(graph, next, path) {
            return Some(cycle);
        }
    }
    path.pop();
    None
}

#[test]
fn the_web_modules_form_no_import_cycle() {
    let graph = module_graph();
    assert!(graph.len() > 10, "found only {} modules", graph.len());
    for module in graph.keys() {
        // The crate root declares every module; only modules among
        // themselves must not go round.
        if module == "lib" {
            continue;
        }
        let cycle = cycle_from(&graph, module, &mut Vec::new());
        assert_eq!(cycle, None, "an import cycle in web/src");
    }
    // And the connection names no feature: it gets its words handed in.
    let connection = &graph["connection"];
    for feature in [
        "board", "poll", "queue", "timer", "announce", "room", "screen",
    ] {
        assert!(
            !connection.contains(feature),
            "connection.rs uses {feature}"
        );
    }
}
