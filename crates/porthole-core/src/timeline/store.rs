//! Where timelines live: one file of JSON lines per workspace and session, under the
//! app's data folder (`$XDG_DATA_HOME/<app id>/timeline/`), so the history outlives a
//! restart and `porthole timeline` can read what the window recorded.
//!
//! - [`TimelineDir::file`] names the file: a folder per workspace (its name, and a hash
//!   of its full path so two `app` folders do not mix) and the session's name.
//! - [`TimelineDir::read`] reads it back, oldest first. A line that cannot be read (the
//!   last one, after a crash) is skipped and counted, never fatal.
//! - [`record`] records an attachment's messages on a thread of its own, appending each
//!   entry as it completes; it ends when the attachment does.
//! - [`TimelineDir::prune`] keeps a workspace's history within its [`Retention`]: entries
//!   older than the period go, then the least recently written sessions while the
//!   folder is over its size.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use thiserror::Error;
use tokio::sync::broadcast;

use crate::error::{Coded, ErrorCode};
use crate::stream::protocol::ServerMessage;
use crate::timeline::record::Recorder;
use crate::timeline::Entry;

/// How much history a workspace keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Entries older than this go.
    pub max_age: Duration,
    /// The workspace's timelines together stay under this many bytes.
    pub max_bytes: u64,
}

impl Default for Retention {
    /// 7 days, 500 MB.
    fn default() -> Self {
        Self {
            max_age: Duration::from_secs(7 * 24 * 3600),
            max_bytes: 500 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Error)]
pub enum TimelineError {
    #[error("No timeline was recorded for session “{session}” in {workspace}: Porthole records while it shows a session, with “Record what the agent does” on.", workspace = workspace.display())]
    NotRecorded { workspace: PathBuf, session: String },
    #[error("Cannot read the timeline {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
}

impl Coded for TimelineError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::NotRecorded { .. } => ErrorCode::NotRecorded,
            Self::Read { .. } => ErrorCode::ReadFailed,
        }
    }

    fn retryable(&self) -> bool {
        false
    }
}

/// A timeline as read from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Oldest first.
    pub entries: Vec<Entry>,
    /// Lines that could not be read (a crash mid-write leaves at most one).
    pub unreadable: usize,
}

/// The folder of every workspace's timelines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineDir {
    root: PathBuf,
}

impl TimelineDir {
    /// `$XDG_DATA_HOME/<app id>/timeline`, where the window records.
    pub fn default_dir() -> Option<Self> {
        dirs::data_dir().map(|d| Self::at(d.join(crate::APP_ID).join("timeline")))
    }

    pub fn at(root: PathBuf) -> Self {
        Self { root }
    }

    /// The folder of one workspace's timelines.
    pub fn workspace_dir(&self, workspace: &Path) -> PathBuf {
        let workspace = fs::canonicalize(workspace).unwrap_or_else(|_| workspace.to_path_buf());
        let name = workspace
            .file_name()
            .map(|n| safe(&n.to_string_lossy()))
            .unwrap_or_else(|| "root".into());
        let hash = fnv1a(workspace.as_os_str().as_encoded_bytes());
        self.root.join(format!("{name}-{hash:016x}"))
    }

    /// The file of one session's timeline in `workspace`.
    pub fn file(&self, workspace: &Path, session: &str) -> PathBuf {
        self.workspace_dir(workspace)
            .join(format!("{}.jsonl", safe(session)))
    }

    /// The session's timeline, oldest first.
    pub fn read(&self, workspace: &Path, session: &str) -> Result<Timeline, TimelineError> {
        let path = self.file(workspace, session);
        match File::open(&path) {
            Ok(file) => read_lines(file).map_err(|source| TimelineError::Read { path, source }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(TimelineError::NotRecorded {
                workspace: workspace.to_path_buf(),
                session: session.to_owned(),
            }),
            Err(source) => Err(TimelineError::Read { path, source }),
        }
    }

    /// Forgets the session's timeline. The file is emptied rather than removed, so a
    /// recording that has it open goes on writing into it. Forgetting what was never
    /// recorded is fine.
    pub fn clear(&self, workspace: &Path, session: &str) -> io::Result<()> {
        match OpenOptions::new()
            .write(true)
            .open(self.file(workspace, session))
        {
            Ok(file) => file.set_len(0),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Keeps `workspace`'s history within `retention` at `now`: entries older than the
    /// period are cut from every file, then, while the folder is over its size, the
    /// least recently written files go, and the newest keeps what fits. Returns how many entries and files went.
    pub fn prune(
        &self,
        workspace: &Path,
        retention: Retention,
        now: SystemTime,
    ) -> io::Result<Pruned> {
        let dir = self.workspace_dir(workspace);
        let mut pruned = Pruned::default();
        let Ok(listing) = fs::read_dir(&dir) else {
            return Ok(pruned);
        };
        let cutoff = epoch_ms(now) - retention.max_age.as_millis() as f64;
        let mut files = Vec::new();
        for item in listing.flatten() {
            let path = item.path();
            if path.extension().is_none_or(|e| e != "jsonl") {
                continue;
            }
            let timeline = read_lines(File::open(&path)?)?;
            let kept: Vec<&Entry> = timeline.entries.iter().filter(|e| e.at >= cutoff).collect();
            if kept.is_empty() {
                fs::remove_file(&path)?;
                pruned.entries += timeline.entries.len();
                pruned.files += 1;
                continue;
            }
            if kept.len() < timeline.entries.len() || timeline.unreadable > 0 {
                pruned.entries += timeline.entries.len() - kept.len();
                rewrite(&path, kept)?;
            }
            let meta = fs::metadata(&path)?;
            files.push((meta.modified().unwrap_or(UNIX_EPOCH), meta.len(), path));
        }
        files.sort();
        let mut total: u64 = files.iter().map(|(_, len, _)| len).sum();
        let newest = files.pop();
        for (_, len, path) in files {
            if total <= retention.max_bytes {
                break;
            }
            fs::remove_file(&path)?;
            total -= len;
            pruned.files += 1;
        }
        // Alone over the size, the newest session keeps its latest entries that fit.
        if let Some((_, _, path)) = newest.filter(|_| total > retention.max_bytes) {
            let timeline = read_lines(File::open(&path)?)?;
            let mut room = retention.max_bytes;
            let mut kept: Vec<&Entry> = Vec::new();
            for entry in timeline.entries.iter().rev() {
                let size = serde_json::to_vec(entry).map_or(u64::MAX, |b| b.len() as u64 + 1);
                if size > room {
                    break;
                }
                room -= size;
                kept.push(entry);
            }
            kept.reverse();
            pruned.entries += timeline.entries.len() - kept.len();
            rewrite(&path, kept)?;
        }
        Ok(pruned)
    }
}

/// What [`TimelineDir::prune`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub entries: usize,
    pub files: usize,
}

/// A recording in progress: the entries it writes, as they are written, for whoever
/// subscribes (the window's Activity and Console lists).
#[derive(Debug, Clone)]
pub struct Recording {
    written: broadcast::Sender<Entry>,
}

impl Recording {
    /// Every entry written from now on. The channel closes when the recording ends; a
    /// receiver more than [`WRITTEN_BACKLOG`] behind is told how many it missed (and
    /// can read the file again).
    pub fn subscribe(&self) -> broadcast::Receiver<Entry> {
        self.written.subscribe()
    }
}

/// How many written entries a subscriber of [`Recording::subscribe`] may fall behind.
pub const WRITTEN_BACKLOG: usize = 256;

/// Records an attachment's messages as `session`'s timeline in `workspace`, until the
/// attachment ends (its sender is dropped). Runs on a thread of its own, since pruning
/// and writing are blocking I/O that must not hold up the async runtime's workers or
/// the window: it first keeps the workspace within `retention` (what arrives meanwhile
/// waits in the channel), then writes and flushes each entry as it completes; commands
/// still running at the end are written as never finished. A file that cannot be
/// written is logged, never fatal to the attachment.
pub fn record(
    mut messages: broadcast::Receiver<ServerMessage>,
    dir: &TimelineDir,
    workspace: &Path,
    session: &str,
    retention: Retention,
) -> io::Result<Recording> {
    let (dir, workspace, file) = (
        dir.clone(),
        workspace.to_path_buf(),
        dir.file(workspace, session),
    );
    let (written, _) = broadcast::channel(WRITTEN_BACKLOG);
    let recording = Recording {
        written: written.clone(),
    };
    std::thread::Builder::new()
        .name("timeline".into())
        .spawn(move || {
            match dir.prune(&workspace, retention, SystemTime::now()) {
                Ok(pruned) if pruned != Pruned::default() => {
                    tracing::info!(
                        entries = pruned.entries,
                        files = pruned.files,
                        "older history pruned"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot prune the history"),
            }
            let opened = file
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| OpenOptions::new().create(true).append(true).open(&file));
            let mut out = match opened {
                Ok(out) => BufWriter::new(out),
                Err(error) => {
                    tracing::warn!(%error, file = %file.display(), "cannot record the timeline");
                    return;
                }
            };
            tracing::debug!(file = %file.display(), "recording the timeline");
            let mut recorder = Recorder::new();
            let mut write = |entries: Vec<Entry>| {
                if entries.is_empty() {
                    return;
                }
                let result = entries
                    .iter()
                    .try_for_each(|e| write_entry(&mut out, e))
                    .and_then(|()| out.flush());
                if let Err(error) = result {
                    tracing::warn!(%error, file = %file.display(), "cannot write the timeline");
                }
                for entry in entries {
                    let _ = written.send(entry);
                }
            };
            loop {
                match messages.blocking_recv() {
                    Ok(message) => write(recorder.take(&message, epoch_ms(SystemTime::now()))),
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(
                            missed,
                            "the timeline fell behind the stream; messages were missed"
                        );
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
            write(recorder.finish());
        })?;
    Ok(recording)
}

fn write_entry(out: &mut impl Write, entry: &Entry) -> io::Result<()> {
    serde_json::to_writer(&mut *out, entry)?;
    out.write_all(b"\n")
}

fn read_lines(file: File) -> io::Result<Timeline> {
    let mut timeline = Timeline {
        entries: Vec::new(),
        unreadable: 0,
    };
    for line in BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Entry>(&line) {
            Ok(entry) => timeline.entries.push(entry),
            Err(_) => timeline.unreadable += 1,
        }
    }
    // A command is written when its result comes, after what happened meanwhile.
    timeline.entries.sort_by(|a, b| a.at.total_cmp(&b.at));
    Ok(timeline)
}

/// Writes `entries` over `path`, through a temporary file so a crash leaves the old one.
fn rewrite(path: &Path, entries: Vec<&Entry>) -> io::Result<()> {
    let temporary = path.with_extension("jsonl.tmp");
    {
        let mut out = BufWriter::new(File::create(&temporary)?);
        for entry in entries {
            write_entry(&mut out, entry)?;
        }
        out.flush()?;
    }
    fs::rename(temporary, path)
}

/// Milliseconds since the Unix epoch.
pub fn epoch_ms(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// A file name from any text: letters, digits, `.`, `-` and `_` stay, anything else is
/// `%XX`; never empty, never `.` or `..`.
fn safe(text: &str) -> String {
    let mut name = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_')
            || (byte == b'.' && !name.is_empty())
        {
            name.push(byte as char);
        } else {
            name.push_str(&format!("%{byte:02X}"));
        }
    }
    if name.is_empty() {
        "%".into()
    } else {
        name
    }
}

/// FNV-1a, 64 bits: stable across builds and platforms, unlike std's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::protocol::parse;
    use crate::timeline::EntryKind;

    fn entry(at: f64, text: &str) -> Entry {
        Entry {
            at,
            kind: EntryKind::Console,
            action: Some("log".into()),
            ok: Some(true),
            text: text.into(),
            duration_ms: None,
        }
    }

    fn write(path: &Path, entries: &[Entry]) {
        fs::create_dir_all(path.parent().expect("a folder")).expect("folder made");
        let mut out = File::create(path).expect("file made");
        for e in entries {
            write_entry(&mut out, e).expect("written");
        }
    }

    #[test]
    fn each_workspace_and_session_has_its_own_file() {
        let dir = TimelineDir::at(PathBuf::from("/data/timeline"));
        let a = dir.file(Path::new("/nowhere/one/app"), "default");
        let b = dir.file(Path::new("/nowhere/two/app"), "default");
        assert_ne!(a, b, "two folders named app do not share a history");
        assert!(
            a.to_string_lossy().contains("/app-"),
            "the folder is named after the workspace: {a:?}"
        );
        assert_eq!(
            dir.file(Path::new("/nowhere/one/app"), "../x"),
            a.with_file_name("%2E.%2Fx.jsonl"),
            "a session name cannot leave the folder"
        );
    }

    #[test]
    fn a_recording_reads_back_oldest_first_and_survives_a_torn_line() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let workspace = temp.path().join("ws");
        let file = dir.file(&workspace, "s");
        let (tx, rx) = broadcast::channel(16);
        let recording =
            record(rx, &dir, &workspace, "s", Retention::default()).expect("recording starts");
        let mut written = recording.subscribe();
        drop(recording);
        for line in [
            r##"{"type":"command","action":"click","id":"r1","params":{"selector":"#go"}}"##,
            r##"{"type":"console","level":"error","text":"bad","timestamp":1}"##,
            r##"{"type":"result","action":"click","id":"r1","data":{},"duration_ms":3}"##,
            r##"{"type":"command","action":"navigate","id":"r2","params":{"url":"https://a.test/"}}"##,
        ] {
            tx.send(parse(line).expect("valid")).expect("a receiver");
        }
        drop(tx);
        let mut told = Vec::new();
        while let Ok(entry) = written.blocking_recv() {
            told.push(entry.text);
        }
        assert_eq!(
            told,
            ["bad", "click #go", "navigate https://a.test/"],
            "subscribers are told each entry as it is written, and the end"
        );
        fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .and_then(|mut f| f.write_all(br#"{"at":12,"ki"#))
            .expect("a torn line appended");
        let timeline = dir.read(&workspace, "s").expect("readable");
        let texts: Vec<(&str, Option<bool>)> = timeline
            .entries
            .iter()
            .map(|e| (e.text.as_str(), e.ok))
            .collect();
        assert_eq!(
            texts,
            vec![("bad", Some(false)), ("click #go", Some(true)), ("navigate https://a.test/", None)],
            "oldest first (the console message is dated 1 ms after the epoch), the unanswered command kept"
        );
        assert_eq!(
            timeline.unreadable, 1,
            "the torn line is counted, not fatal"
        );
        dir.clear(&workspace, "s").expect("cleared");
        assert_eq!(
            dir.read(&workspace, "s").expect("still there").entries,
            Vec::new(),
            "Clear history empties the file"
        );
        assert!(
            matches!(
                dir.read(&workspace, "other"),
                Err(TimelineError::NotRecorded { .. })
            ),
            "a session never recorded says so"
        );
    }

    #[test]
    fn pruning_drops_old_entries_then_the_stalest_sessions_over_the_size() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let ws = temp.path().join("ws");
        let now = UNIX_EPOCH + Duration::from_secs(100 * 24 * 3600);
        let day = 24.0 * 3600.0 * 1000.0;
        let today = epoch_ms(now);
        write(&dir.file(&ws, "old"), &[entry(today - 9.0 * day, "gone")]);
        write(
            &dir.file(&ws, "mixed"),
            &[entry(today - 8.0 * day, "gone"), entry(today - day, "kept")],
        );
        let retention = Retention {
            max_age: Duration::from_secs(7 * 24 * 3600),
            max_bytes: 1 << 20,
        };
        let pruned = dir.prune(&ws, retention, now).expect("pruned");
        assert_eq!(
            pruned,
            Pruned {
                entries: 2,
                files: 1
            },
            "an entry a week old goes, and a file left empty"
        );
        let mixed = dir.read(&ws, "mixed").expect("kept");
        assert_eq!(mixed.entries.len(), 1);
        assert_eq!(mixed.entries[0].text, "kept");

        std::thread::sleep(Duration::from_millis(20));
        write(
            &dir.file(&ws, "big"),
            &vec![entry(today, &"x".repeat(100)); 50],
        );
        let small = Retention {
            max_bytes: 6_000,
            ..retention
        };
        let pruned = dir.prune(&ws, small, now).expect("pruned");
        assert_eq!(
            pruned.files, 1,
            "over the size, the least recently written session goes"
        );
        assert!(dir.read(&ws, "mixed").is_err(), "the stalest went first");
        assert!(dir.read(&ws, "big").is_ok(), "the newest is kept");
    }
}
