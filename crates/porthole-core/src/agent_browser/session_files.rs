//! Reading the files a daemon leaves in its session directory.
//!
//! A session exists while it has a `NAME.pid`, `NAME.sock` or `NAME.stream` file (a clean
//! `close` removes them and leaves only `NAME.target`). The files are plain text without a
//! trailing newline; Porthole tolerates whitespace and reports anything else as a
//! [`FileProblem`] instead of failing the scan.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::names;
use super::socket_dirs::SessionDir;

/// Files that mark a session as present.
const MARKERS: &[&str] = &["pid", "sock", "stream"];

/// What the files of one session say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFiles {
    pub name: String,
    pub dir: SessionDir,
    /// The daemon's pid, or why it could not be read.
    pub pid: Result<u32, FileProblem>,
    /// The stream port: `None` while streaming is off (no file).
    pub stream_port: Option<Result<u16, FileProblem>>,
    /// The CLI version that started the daemon.
    pub version: Option<String>,
}

/// Why a session file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("{file} is missing")]
    Missing { file: String },
    #[error("{file} is empty")]
    Empty { file: String },
    #[error("{file} holds {content:?}, not a {expected}")]
    Malformed {
        file: String,
        content: String,
        expected: &'static str,
    },
    #[error("{file} could not be read: {reason}")]
    Unreadable { file: String, reason: String },
}

/// Lists the sessions in `dir`, sorted by name. Names agent-browser would refuse are
/// ignored (they cannot be daemons' files).
pub fn read_dir(dir: &SessionDir) -> Vec<SessionFiles> {
    let Ok(entries) = fs::read_dir(&dir.path) else {
        return Vec::new();
    };
    let names: BTreeSet<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|file| {
            let (name, ext) = file.rsplit_once('.')?;
            (MARKERS.contains(&ext) && names::validate_session(name).is_ok())
                .then(|| name.to_owned())
        })
        .collect();
    names.into_iter().map(|name| read_one(dir, name)).collect()
}

fn read_one(dir: &SessionDir, name: String) -> SessionFiles {
    let pid = match read_text(&dir.path, &name, "pid") {
        None => Err(FileProblem::Missing {
            file: format!("{name}.pid"),
        }),
        Some(text) => text.and_then(|t| parse(&name, "pid", &t, "process id")),
    };
    let stream_port = read_text(&dir.path, &name, "stream").map(|text| {
        text.and_then(|t| parse::<u16>(&name, "stream", &t, "port number"))
            .and_then(|port| match port {
                0 => Err(FileProblem::Malformed {
                    file: format!("{name}.stream"),
                    content: "0".into(),
                    expected: "port number",
                }),
                p => Ok(p),
            })
    });
    let version = read_text(&dir.path, &name, "version")
        .and_then(|t| t.ok())
        .filter(|v| !v.is_empty());
    SessionFiles {
        name,
        dir: dir.clone(),
        pid,
        stream_port,
        version,
    }
}

/// `None` when the file does not exist; otherwise its trimmed text or why it is unusable.
fn read_text(dir: &Path, name: &str, ext: &str) -> Option<Result<String, FileProblem>> {
    let file = format!("{name}.{ext}");
    match fs::read(dir.join(&file)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(Err(FileProblem::Unreadable {
            file,
            reason: e.to_string(),
        })),
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .map(|s| s.trim().to_owned())
                .map_err(|_| FileProblem::Malformed {
                    file,
                    content: "<binary data>".into(),
                    expected: "text",
                }),
        ),
    }
}

fn parse<T: std::str::FromStr>(
    name: &str,
    ext: &str,
    text: &str,
    expected: &'static str,
) -> Result<T, FileProblem> {
    let file = format!("{name}.{ext}");
    if text.is_empty() {
        return Err(FileProblem::Empty { file });
    }
    text.parse().map_err(|_| FileProblem::Malformed {
        file,
        content: text.chars().take(40).collect(),
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &[u8])]) -> (tempfile::TempDir, SessionDir) {
        let tmp = tempfile::tempdir().expect("temp dir");
        for (name, content) in files {
            fs::write(tmp.path().join(name), content).expect("write");
        }
        let dir = SessionDir {
            path: tmp.path().to_owned(),
            base: tmp.path().to_owned(),
            namespace: None,
        };
        (tmp, dir)
    }

    #[test]
    fn reads_a_live_sessions_files() {
        let (_tmp, dir) = dir_with(&[
            ("demo.pid", b"4242"),
            ("demo.stream", b"40013"),
            ("demo.version", b"0.41.2"),
            ("demo.engine", b"chrome"),
        ]);
        let sessions = read_dir(&dir);
        assert_eq!(sessions.len(), 1, "one session from its set of files");
        let s = &sessions[0];
        assert_eq!(s.name, "demo");
        assert_eq!(s.pid, Ok(4242));
        assert_eq!(s.stream_port, Some(Ok(40013)));
        assert_eq!(s.version.as_deref(), Some("0.41.2"));
    }

    #[test]
    fn a_closed_session_leaves_no_session() {
        let (_tmp, dir) = dir_with(&[("gone.target", b"{}"), ("gone.version", b"0.41.2")]);
        assert!(
            read_dir(&dir).is_empty(),
            "target and version files alone are what `close` leaves behind"
        );
    }

    #[test]
    fn malformed_and_empty_files_become_problems_not_failures() {
        let (_tmp, dir) = dir_with(&[
            ("a.pid", b""),
            ("b.pid", b"12ab"),
            ("b.stream", b"99999"),
            ("c.sock", b""),
            ("d.pid", b"\n77\n"),
            ("d.stream", b"0"),
            ("e.pid", &[0xff, 0xfe]),
            ("bad name.pid", b"1"),
        ]);
        let s = read_dir(&dir);
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["a", "b", "c", "d", "e"],
            "invalid names are skipped"
        );
        assert!(
            matches!(s[0].pid, Err(FileProblem::Empty { .. })),
            "empty pid"
        );
        assert!(
            matches!(s[1].pid, Err(FileProblem::Malformed { .. })),
            "non-numeric pid"
        );
        assert!(
            matches!(s[1].stream_port, Some(Err(FileProblem::Malformed { .. }))),
            "port out of range"
        );
        assert!(
            matches!(s[2].pid, Err(FileProblem::Missing { .. })),
            "socket without pid file"
        );
        assert_eq!(s[3].pid, Ok(77), "whitespace around the pid is tolerated");
        assert!(
            matches!(s[3].stream_port, Some(Err(_))),
            "port 0 is not a port"
        );
        assert!(
            matches!(s[4].pid, Err(FileProblem::Malformed { .. })),
            "binary data in a pid file"
        );
        assert_eq!(
            s[1].pid.as_ref().unwrap_err().to_string(),
            "b.pid holds \"12ab\", not a process id",
            "the problem reads as a sentence for a person"
        );
    }
}
