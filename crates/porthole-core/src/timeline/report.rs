//! A timeline as one self-contained HTML page, for a bug report: no script, no network,
//! readable in any browser, every entry a row (time, kind, what happened, how it went),
//! each command with the page before and after it (its stills, embedded as WebP).
//!
//! ```
//! use porthole_core::timeline::{report, Entry, EntryKind};
//! let entry = Entry { at: 0.0, kind: EntryKind::Command, action: Some("click".into()),
//!     ok: Some(false), text: "click #go".into(), duration_ms: Some(3.0), before: None, after: None };
//! let page = report::html("default", std::path::Path::new("/home/me/shop"), &[entry], &[]);
//! assert!(page.contains("click #go"));
//! ```

use std::fmt::Write;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Local, TimeZone};

use crate::timeline::stills::{self, Still};
use crate::timeline::{Entry, EntryKind};

/// The page for `session`'s timeline in `workspace`, entries oldest first; each command
/// shows the page before and after it, from `stills`, embedded.
pub fn html(session: &str, workspace: &Path, entries: &[Entry], stills: &[Still]) -> String {
    let count = |kind: EntryKind| entries.iter().filter(|e| e.kind == kind).count();
    let failed = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Command && e.ok == Some(false))
        .count();
    let errors = entries
        .iter()
        .filter(|e| e.ok == Some(false) && e.kind != EntryKind::Command)
        .count();
    let title = format!("Timeline of “{session}” in {}", workspace.display());
    let mut page = String::with_capacity(4096 + entries.len() * 200);
    let _ = write!(
        page,
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; background: #fff; }}
h1 {{ font-size: 18px; margin: 0 0 4px; }}
p.summary {{ color: #5b6475; margin: 0 0 16px; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e6ec; vertical-align: top; }}
th {{ font-weight: 600; color: #5b6475; }}
td.time, td.duration {{ font-variant-numeric: tabular-nums; white-space: nowrap; color: #5b6475; }}
td.text {{ font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }}
tr.failed td {{ background: #fdecec; }}
td.page {{ white-space: nowrap; }}
td.page img {{ width: 200px; height: auto; border: 1px solid #e3e6ec; margin-right: 4px; vertical-align: top; }}
td.page figure {{ display: inline-block; margin: 0 4px 0 0; }}
td.page figcaption {{ font-size: 11px; color: #5b6475; }}
tr.failed td.result {{ color: #b3261e; font-weight: 600; }}
@media (prefers-color-scheme: dark) {{
  body {{ background: #15181e; color: #e3e6ec; }}
  th, td {{ border-color: #2a2f3a; }}
  tr.failed td {{ background: #3a1d1d; }}
  tr.failed td.result {{ color: #ff8a80; }}
}}
</style></head>
<body>
<h1>{title}</h1>
<p class="summary">{entries}: {commands} ({failed} failed), {navigations}, {console}, {errors}, from {first} to {last}.</p>
<table>
<thead><tr><th>time</th><th>kind</th><th>action</th><th>result</th><th>what happened</th><th>took</th><th>the page before and after</th></tr></thead>
<tbody>
"#,
        title = escape(&title),
        entries = plural(entries.len(), "entry", "entries"),
        commands = plural(count(EntryKind::Command), "command", "commands"),
        navigations = plural(count(EntryKind::Navigation), "navigation", "navigations"),
        console = plural(
            count(EntryKind::Console),
            "console message",
            "console messages"
        ),
        errors = plural(errors, "error", "errors"),
        first = entries
            .first()
            .map_or_else(|| "—".into(), |e| local_time(e.at, true)),
        last = entries
            .last()
            .map_or_else(|| "—".into(), |e| local_time(e.at, true)),
    );
    for entry in entries {
        let result = match entry.ok {
            Some(true) => "ok",
            Some(false) if entry.kind == EntryKind::Command => "failed",
            Some(false) => "error",
            None => "never finished",
        };
        let pictures = if entry.kind == EntryKind::Command {
            // The stills the command names; for one recorded without, the nearest.
            let end = entry.at + entry.duration_ms.unwrap_or(0.0);
            let before = entry.before.map_or(entry.at, |at| at);
            let after = entry.after.map_or_else(
                || stills::after(stills, end),
                |at| stills::before(stills, at),
            );
            [("before", stills::before(stills, before)), ("after", after)]
                .into_iter()
                .filter_map(|(caption, still)| Some((caption, std::fs::read(&still?.path).ok()?)))
                .map(|(caption, bytes)| {
                    format!(
                        r#"<figure><img alt="the page {caption}" src="data:image/webp;base64,{}"><figcaption>{caption}</figcaption></figure>"#,
                        STANDARD.encode(bytes)
                    )
                })
                .collect::<String>()
        } else {
            String::new()
        };
        let _ = writeln!(
            page,
            r#"<tr class="{kind}{failed}" data-kind="{kind}"><td class="time">{time}</td><td>{kind}</td><td>{action}</td><td class="result">{result}</td><td class="text">{text}</td><td class="duration">{took}</td><td class="page">{pictures}</td></tr>"#,
            kind = entry.kind.as_str(),
            failed = if entry.ok == Some(false) {
                " failed"
            } else {
                ""
            },
            time = local_time(entry.at, false),
            action = escape(entry.action.as_deref().unwrap_or("")),
            text = escape(&entry.text),
            took = entry
                .duration_ms
                .map(|d| format!("{d:.0} ms"))
                .unwrap_or_default(),
        );
    }
    page.push_str("</tbody></table>\n</body></html>\n");
    page
}

/// Where "Save timeline…" puts its page: the downloads folder's `Porthole`, else the
/// home folder's.
pub fn default_dir() -> PathBuf {
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("Porthole")
}

/// Writes the page for `session`'s timeline in `dir`, as `SESSION timeline DATE
/// TIME.html`; returns its path.
pub fn save(
    session: &str,
    workspace: &Path,
    entries: &[Entry],
    stills: &[Still],
    dir: &Path,
) -> Result<PathBuf, (PathBuf, std::io::Error)> {
    let page = html(session, workspace, entries, stills);
    crate::files::save_new(dir, &format!("{session} timeline"), "html", page.as_bytes())
}

/// `1 entry`, `2 entries`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `at` (epoch ms) in local time: `14:03:07.250`, with the date when `dated`.
pub fn local_time(at: f64, dated: bool) -> String {
    match Local.timestamp_millis_opt(at as i64).single() {
        Some(time) if dated => time.format("%Y-%m-%d %H:%M:%S").to_string(),
        Some(time) => time.format("%H:%M:%S%.3f").to_string(),
        None => format!("{at:.0}"),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_page_said_cannot_become_markup() {
        let entry = Entry {
            at: 1_700_000_000_000.0,
            kind: EntryKind::Error,
            action: None,
            ok: Some(false),
            text: "<script>alert(1)</script> & \"x\"".into(),
            duration_ms: None,
            before: None,
            after: None,
        };
        let page = html("s<1>", Path::new("/w"), &[entry], &[]);
        assert!(!page.contains("<script>"), "a page's text is escaped");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(
            page.contains("Timeline of “s&lt;1&gt;”"),
            "so is the session's name"
        );
        assert!(
            page.contains(r#"<tr class="error failed""#),
            "an error stands out"
        );
    }
}
