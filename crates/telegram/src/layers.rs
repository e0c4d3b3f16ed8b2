//! The adapter's layering, checked: each module uses only modules declared before it in
//! `lib.rs` (vocabulary → dependencies → effect executors → the gate → features → wiring), so
//! the crate has no import cycles and a feature never reaches into the wiring.

#![allow(clippy::expect_used, reason = "test code")]

use std::collections::HashMap;

const LIB: &str = include_str!("lib.rs");

/// The modules in the order `lib.rs` declares them.
fn declared() -> Vec<String> {
    LIB.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').to_owned())
        })
        .filter(|m| m != "layers")
        .collect()
}

/// The crate modules `source` uses: `crate::x…` paths and `use crate::{x, y::…}` groups.
fn used(source: &str, modules: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|item| item.trim().split("::").next().unwrap_or_default())
                .collect()
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            vec![&rest[..end]]
        };
        for name in names {
            if modules.iter().any(|m| m == name) && !found.iter().any(|f| f == name) {
                found.push(name.to_owned());
            }
        }
    }
    found
}

#[test]
fn modules_use_only_the_modules_declared_before_them() {
    let modules = declared();
    assert!(modules.len() > 20, "modules read from lib.rs: {modules:?}");
    let position: HashMap<&str, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut upward = Vec::new();
    for (i, module) in modules.iter().enumerate() {
        let source = std::fs::read_to_string(dir.join(format!("{module}.rs")))
            .expect("a module file per declared module");
        for dependency in used(&source, &modules) {
            if dependency != *module && position[dependency.as_str()] > i {
                upward.push(format!("{module} uses {dependency}"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "uses against the layer order: {upward:#?}"
    );
}

#[test]
fn the_checker_sees_paths_and_groups() {
    let modules: Vec<String> = ["cx", "media", "staff"].map(String::from).to_vec();
    let source = "use crate::{HandlerResult, staff::x};\nlet a = crate::media::f();";
    assert_eq!(used(source, &modules), ["staff", "media"]);
}
