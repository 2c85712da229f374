//! Session and namespace names, validated before they reach a command line.
//!
//! agent-browser accepts Unicode letters and digits, `-` and `_`. Porthole additionally
//! refuses a leading `-`, so a name can never be read as a flag.

use thiserror::Error;

/// The longest name Porthole will pass to the CLI; agent-browser names are short words.
const MAX_LEN: usize = 128;

/// A name that cannot be passed to agent-browser.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{name}` is not a valid agent-browser {kind} name: {reason}")]
pub struct InvalidName {
    pub name: String,
    pub kind: &'static str,
    pub reason: &'static str,
}

/// Checks a session name (`--session NAME`).
pub fn validate_session(name: &str) -> Result<(), InvalidName> {
    validate(name, "session")
}

/// Checks a namespace name (`--namespace NS`).
pub fn validate_namespace(name: &str) -> Result<(), InvalidName> {
    validate(name, "namespace")
}

fn validate(name: &str, kind: &'static str) -> Result<(), InvalidName> {
    let invalid = |reason| {
        Err(InvalidName {
            name: name.to_owned(),
            kind,
            reason,
        })
    };
    if name.is_empty() {
        return invalid("it is empty");
    }
    if name.chars().count() > MAX_LEN {
        return invalid("it is longer than 128 characters");
    }
    if name.starts_with('-') {
        return invalid("it starts with `-`");
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return invalid("only letters, digits, `-` and `_` are allowed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_names_agent_browser_accepts() {
        for name in [
            "default",
            "demo-1",
            "my_session",
            "agent2",
            "façade",
            "測試",
        ] {
            assert!(
                validate_session(name).is_ok(),
                "{name} is a valid agent-browser session name"
            );
        }
    }

    #[test]
    fn refuses_names_that_could_change_a_command_line() {
        for name in [
            "",
            "-rf",
            "--session",
            "a b",
            "../x",
            "a/b",
            "x;y",
            "a\nb",
            "$(id)",
        ] {
            assert!(
                validate_session(name).is_err(),
                "{name:?} must never reach the CLI"
            );
        }
        assert!(
            validate_namespace(&"n".repeat(129)).is_err(),
            "overlong names are refused"
        );
    }
}
