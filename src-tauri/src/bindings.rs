//! Writes what the webview shares with Rust, from the Rust definitions, so nothing is
//! written twice: one TypeScript file per type the window receives or sends (ts-rs),
//! `events.ts` (the event names), `commands.ts` (a typed client function per command),
//! `vocabulary.ts` (the words for statuses and groups), and the capability that allows
//! exactly the commands of the surface (`capabilities/main.json`, which `build.rs`
//! reads). A file is written only when its text changed, so the UI (and the app that
//! embeds it) is not rebuilt for nothing; a generated file no definition produces any
//! more is removed. `make test` fails when the result differs from what is committed.

use std::path::{Path, PathBuf};

use ts_rs::TS;

use crate::shell::commands::{self, Command};
use crate::shell::notify;
use porthole_core::desktop::vocabulary;
use porthole_core::discovery::{SessionKind, SessionStatus};

const HEADER: &str = "// Generated from the Rust definitions by `cargo test`. Do not edit.\n\n";

fn binding<T: TS + 'static>() -> (PathBuf, String) {
    let path = T::output_path().expect("every exported type has a file");
    (path, T::export_to_string().expect("the type exports"))
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn commands_ts(surface: &[Command]) -> String {
    let mut imports: Vec<&str> = surface.iter().flat_map(|c| c.imports.clone()).collect();
    imports.sort_unstable();
    imports.dedup();
    let mut ts = String::from(HEADER);
    let channel = surface
        .iter()
        .any(|c| c.ts_args.iter().any(|a| a.starts_with("Channel<")));
    ts.push_str(if channel {
        "import { invoke, type Channel } from \"@tauri-apps/api/core\";\n"
    } else {
        "import { invoke } from \"@tauri-apps/api/core\";\n"
    });
    for import in &imports {
        ts.push_str(&format!(
            "import type {{ {import} }} from \"./{import}\";\n"
        ));
    }
    ts.push_str("\n/** Every command the window may call. */\nexport const COMMANDS = [\n");
    for c in surface {
        ts.push_str(&format!("  \"{}\",\n", c.name));
    }
    ts.push_str("] as const;\n");
    for c in surface {
        let params: Vec<String> = c
            .args
            .iter()
            .zip(&c.ts_args)
            .map(|((name, _), ts)| format!("{}: {ts}", camel(name)))
            .collect();
        let names: Vec<String> = c.args.iter().map(|(name, _)| camel(name)).collect();
        let payload = if names.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", names.join(", "))
        };
        ts.push_str(&format!(
            "\nexport const {} = ({}) => invoke<{}>(\"{}\"{payload});\n",
            camel(c.name),
            params.join(", "),
            c.ts_returns,
            c.name
        ));
    }
    ts
}

fn vocabulary_ts() -> String {
    let mut ts = String::from(HEADER);
    ts.push_str("import type { SessionKind } from \"./SessionKind\";\n");
    ts.push_str("import type { SessionStatus } from \"./SessionStatus\";\n\n");
    let status = |s: SessionStatus| {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .expect("a status serializes as a string")
    };
    for (name, text) in [
        (
            "STATUS_LABEL",
            SessionStatus::label as fn(SessionStatus) -> &'static str,
        ),
        ("STATUS_HINT", SessionStatus::hint),
    ] {
        ts.push_str(&format!(
            "export const {name}: Record<SessionStatus, string> = {{\n"
        ));
        for s in SessionStatus::ALL {
            ts.push_str(&format!("  {}: {:?},\n", status(s), text(s)));
        }
        ts.push_str("};\n\n");
    }
    for (name, text) in [
        (
            "KIND_BADGE",
            SessionKind::badge as fn(SessionKind) -> &'static str,
        ),
        ("KIND_HINT", SessionKind::hint),
    ] {
        ts.push_str(&format!(
            "export const {name}: Record<SessionKind, string> = {{\n"
        ));
        for k in SessionKind::ALL {
            let key = serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .expect("a kind serializes as a string");
            ts.push_str(&format!("  {key:?}: {:?},\n", text(k)));
        }
        ts.push_str("};\n\n");
    }
    for (name, text) in [
        ("IN_THIS_WORKSPACE", vocabulary::IN_THIS_WORKSPACE),
        ("ELSEWHERE", vocabulary::ELSEWHERE),
        ("ENDED_FOLDER_UNKNOWN", vocabulary::ENDED_FOLDER_UNKNOWN),
        ("SEPARATOR", vocabulary::SEPARATOR),
        ("NO_SESSION_HERE", vocabulary::NO_SESSION_HERE),
    ] {
        ts.push_str(&format!("export const {name} = {text:?};\n"));
    }
    ts
}

fn capability(surface: &[Command]) -> String {
    let mut permissions = vec![
        "core:event:allow-listen".to_owned(),
        "core:event:allow-unlisten".to_owned(),
    ];
    permissions.extend(
        surface
            .iter()
            .map(|c| format!("allow-{}", c.name.replace('_', "-"))),
    );
    let json = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main",
        "description": "Generated from the command surface in src/shell/commands.rs by `cargo test`. The main window may call Porthole's own commands and listen to its events. Nothing else: no shell, no filesystem, no window control from the webview.",
        "windows": [notify::MAIN_WINDOW],
        "permissions": permissions,
    });
    serde_json::to_string_pretty(&json).expect("the capability serializes") + "\n"
}

/// Writes `text` to `path` unless it already says that.
fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("write a generated file");
    }
}

#[test]
fn bindings_are_written_from_the_rust_definitions() {
    let surface = commands::surface();
    let mut files = vec![
        binding::<notify::AppInfo>(),
        binding::<porthole_core::control::navigation::NavAction>(),
        binding::<SessionStatus>(),
        binding::<porthole_core::discovery::SessionKind>(),
        binding::<porthole_core::stream::attachment::FrameSize>(),
        binding::<porthole_core::launch::Opened>(),
        binding::<porthole_core::discovery::Session>(),
        binding::<porthole_core::discovery::Report>(),
        binding::<crate::args::Transport>(),
        binding::<porthole_core::control::screenshot::ImageFormat>(),
        binding::<porthole_core::stream::protocol::FrameMetadata>(),
        binding::<porthole_core::stream::protocol::Tab>(),
        binding::<porthole_core::stream::protocol::Input>(),
        binding::<porthole_core::stream::protocol::MouseInput>(),
        binding::<porthole_core::stream::protocol::MouseEventType>(),
        binding::<porthole_core::stream::protocol::MouseButton>(),
        binding::<porthole_core::stream::protocol::KeyInput>(),
        binding::<porthole_core::stream::protocol::KeyEventType>(),
        binding::<porthole_core::stream::frames::Percentiles>(),
        binding::<notify::AttachEvent>(),
        binding::<notify::FrameEvent>(),
        binding::<porthole_core::error::UiError>(),
        binding::<porthole_core::error::ErrorCode>(),
        binding::<porthole_core::stream::attachment::AttachState>(),
        binding::<porthole_core::stream::attachment::PageInfo>(),
        binding::<porthole_core::timeline::Entry>(),
        binding::<porthole_core::timeline::EntryKind>(),
        binding::<porthole_core::stream::activity::AgentCommand>(),
        binding::<porthole_core::stream::activity::Outcome>(),
    ];
    let mut names = String::from(HEADER);
    for (constant, name) in notify::EVENTS {
        names.push_str(&format!("export const {constant} = \"{name}\";\n"));
    }
    files.push(("events.ts".into(), names));
    files.push(("commands.ts".into(), commands_ts(&surface)));
    files.push(("vocabulary.ts".into(), vocabulary_ts()));

    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../ui/src/generated");
    std::fs::create_dir_all(&dir).expect("mkdir ui/src/generated");
    for (path, text) in &files {
        write(&dir.join(path), text);
    }
    for entry in std::fs::read_dir(&dir).expect("read ui/src/generated") {
        let path = entry.expect("an entry").path();
        let produced = files.iter().any(|(p, _)| dir.join(p) == path);
        if !produced {
            std::fs::remove_file(&path).expect("remove a binding no type produces");
        }
    }
    for import in files.iter().flat_map(|(_, text)| {
        text.lines()
            .filter_map(|l| l.split("from \"./").nth(1))
            .map(|rest| rest.trim_end_matches("\";").to_owned())
    }) {
        assert!(
            files
                .iter()
                .any(|(p, _)| p.with_extension("") == Path::new(&import)),
            "every type a binding imports is written too: {import}"
        );
    }
    write(
        &manifest.join("capabilities/main.json"),
        &capability(&surface),
    );
}

/// The source of each command's function in `src/shell/commands.rs`, normalised: its
/// parameters and its return type.
fn signature(source: &str, name: &str) -> (String, String) {
    let start = [format!("pub fn {name}("), format!("pub async fn {name}(")]
        .iter()
        .find_map(|p| source.find(p.as_str()).map(|at| at + p.len()))
        .unwrap_or_else(|| panic!("commands.rs defines `pub fn {name}`"));
    let rest = &source[start..];
    let body = rest.find('{').expect("a function body");
    let head: String = rest[..body]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut depth = 1;
    let close = head
        .char_indices()
        .find(|&(_, c)| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth == 0
        })
        .map(|(at, _)| at)
        .expect("the parameter list closes");
    let params = head[..close].trim_end_matches(',').trim().to_owned();
    let returns = head[close + 1..]
        .trim()
        .trim_start_matches("->")
        .trim()
        .to_owned();
    (params, returns)
}

/// `params` split at the commas outside angle brackets.
fn top_level(params: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut from) = (0i32, 0);
    for (at, c) in params.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(params[from..at].trim());
                from = at + 1;
            }
            _ => {}
        }
    }
    parts.push(params[from..].trim());
    parts
}

#[test]
fn each_command_matches_its_line_in_the_surface() {
    let source = include_str!("shell/commands.rs");
    for command in commands::surface() {
        let (params, returns) = signature(source, command.name);
        let passed: Vec<String> = top_level(&params)
            .into_iter()
            .filter(|p| !p.is_empty())
            .filter(|p| {
                let ty = p.split_once(": ").map(|(_, t)| t).unwrap_or("");
                !(ty == "AppHandle" || ty.starts_with("State<"))
            })
            .map(str::to_owned)
            .collect();
        let listed: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{name}: {}", ty.split_whitespace().collect::<String>()))
            .collect();
        let passed: Vec<String> = passed
            .iter()
            .map(|p| {
                let (name, ty) = p.split_once(": ").expect("name: type");
                format!("{name}: {}", ty.split_whitespace().collect::<String>())
            })
            .collect();
        assert_eq!(
            passed, listed,
            "`{}` takes from the window exactly the arguments its line lists",
            command.name
        );
        let listed_return = command.returns.split_whitespace().collect::<String>();
        let returns = returns.split_whitespace().collect::<String>();
        let ok = if listed_return == "()" {
            ["".to_owned(), "Result<(),UiError>".to_owned()]
        } else {
            [
                listed_return.clone(),
                format!("Result<{listed_return},UiError>"),
            ]
        };
        assert!(
            ok.contains(&returns),
            "`{}` returns what its line lists ({listed_return}), not {returns}",
            command.name
        );
    }
}

#[test]
fn every_command_function_is_in_the_surface() {
    let source = include_str!("shell/commands.rs");
    let surface = commands::surface();
    let defined = source.matches("#[tauri::command]").count();
    assert_eq!(
        defined,
        surface.len(),
        "every #[tauri::command] in commands.rs has its line in the surface"
    );
}
