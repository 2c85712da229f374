//! What the agent is doing: the command the session's daemon was given last.
//!
//! The stream tells every client each command the daemon receives through its CLI and,
//! later, how it ended (see [`crate::stream::protocol::CommandMessage`]). A
//! person watching the panel sees a page change; this says why ("navigate
//! https://…", "click #submit") and whether it worked. [`AgentCommand::started`] turns
//! a command into what the panel shows, [`AgentCommand::finish`] applies its result.
//! The stream does not say who gave a command: the person's toolbar actions go through
//! the same CLI and show here too.
//!
//! Typed text is never shown: for `fill` or `type` the panel names the field, not the
//! value, which may be a password.

use serde::Serialize;
use ts_rs::TS;

use crate::stream::protocol::{CommandMessage, ResultMessage};

/// The longest target shown; longer ones end in "…".
const MAX_TARGET_CHARS: usize = 120;

/// Actions that load a page: while one runs, the panel shows that the page is loading.
const NAVIGATIONS: &[&str] = &["navigate", "open", "back", "forward", "reload"];

/// The command the daemon was given last.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgentCommand {
    /// The command's id, which its result names.
    pub id: String,
    /// What it does, as agent-browser names it: `navigate`, `click`, `fill`, …
    pub action: String,
    /// What it acts on: the URL, the selector or element ref, the key.
    pub target: Option<String>,
    /// It loads a page (navigate, back, forward, reload).
    pub navigation: bool,
    /// `None` while it runs; then how it ended.
    pub outcome: Option<Outcome>,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub success: bool,
    pub duration_ms: Option<f64>,
}

impl AgentCommand {
    /// The command as the panel shows it; `None` for what says nothing of the page (the
    /// `launch` every CLI call begins with, the stream's own switches).
    pub fn started(command: &CommandMessage) -> Option<Self> {
        let action = command.action.as_str();
        if action.is_empty() || action == "launch" || action.starts_with("stream") {
            return None;
        }
        Some(Self {
            id: command.id.clone(),
            action: action.to_owned(),
            target: target(&command.params),
            navigation: NAVIGATIONS.contains(&action),
            outcome: None,
        })
    }

    /// Applies `result` if it is this command's; says whether anything changed.
    pub fn finish(&mut self, result: &ResultMessage) -> bool {
        if self.outcome.is_some() || result.id != self.id {
            return false;
        }
        self.outcome = Some(Outcome {
            success: result.succeeded(),
            duration_ms: result.duration_ms,
        });
        true
    }
}

/// The first of the parameters that names what the command acts on. Values typed into
/// the page (`value`, `text`) are left out on purpose.
fn target(params: &serde_json::Value) -> Option<String> {
    ["url", "selector", "ref", "key"]
        .iter()
        .find_map(|k| params.get(k)?.as_str())
        .filter(|t| !t.is_empty())
        .map(|t| clip(t, MAX_TARGET_CHARS))
}

/// `text`, or its first `max - 1` characters and "…" when it is longer than `max`.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn command(action: &str, params: serde_json::Value) -> CommandMessage {
        CommandMessage {
            action: action.into(),
            id: "r1".into(),
            params,
        }
    }

    fn result(id: &str, success: bool) -> ResultMessage {
        ResultMessage {
            action: "navigate".into(),
            id: id.into(),
            success: Some(false),
            data: success.then(|| json!({"url": "https://a.test/"})),
            duration_ms: Some(53.0),
        }
    }

    #[test]
    fn a_navigation_names_its_url_and_runs_until_its_result() {
        let mut c = AgentCommand::started(&command("navigate", json!({"url": "https://a.test/"})))
            .expect("shown");
        assert_eq!(c.target.as_deref(), Some("https://a.test/"));
        assert!(c.navigation, "navigate loads a page");
        assert_eq!(c.outcome, None, "running until its result comes");
        assert!(
            !c.finish(&result("r2", true)),
            "another command's result is not its own"
        );
        assert!(c.finish(&result("r1", false)));
        assert_eq!(
            c.outcome,
            Some(Outcome {
                success: false,
                duration_ms: Some(53.0)
            })
        );
        assert!(!c.finish(&result("r1", true)), "a command ends once");
    }

    #[test]
    fn launches_and_stream_switches_are_not_the_agents_doing() {
        for action in ["launch", "stream_enable", "stream_status", ""] {
            assert_eq!(
                AgentCommand::started(&command(action, json!({}))),
                None,
                "{action:?} says nothing of the page"
            );
        }
    }

    #[test]
    fn typed_text_is_never_shown_only_the_field() {
        let fill = AgentCommand::started(&command(
            "fill",
            json!({"selector": "#password", "value": "hunter2"}),
        ))
        .expect("shown");
        assert_eq!(fill.target.as_deref(), Some("#password"));
        assert!(!fill.navigation);
        let typed =
            AgentCommand::started(&command("type", json!({"text": "secret"}))).expect("shown");
        assert_eq!(typed.target, None, "no field named, and the text left out");
    }

    #[test]
    fn long_targets_are_cut() {
        let url = format!("https://a.test/{}", "x".repeat(300));
        let c = AgentCommand::started(&command("navigate", json!({ "url": url }))).expect("shown");
        let target = c.target.expect("a target");
        assert_eq!(target.chars().count(), MAX_TARGET_CHARS);
        assert!(target.ends_with('…'));
    }
}
