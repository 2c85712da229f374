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

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use thiserror::Error;

use base64::Engine;
use tokio::sync::{broadcast, watch};

use crate::error::{Coded, ErrorCode};
use crate::stream::activity::AgentCommand;
use crate::stream::frames::Frame;
use crate::stream::protocol::ServerMessage;
use crate::timeline::record::Recorder;
use crate::timeline::stills::{self, Still};
use crate::timeline::{Entry, EntryKind};

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
        match fs::remove_dir_all(self.stills_dir(workspace, session)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        match OpenOptions::new()
            .write(true)
            .open(self.file(workspace, session))
        {
            Ok(file) => file.set_len(0),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Keeps `workspace`'s history within `retention` at `now`: entries and stills
    /// older than the period go; then, while the folder is over its size, the oldest
    /// stills (the entries are worth more and weigh less), then the least recently
    /// written sessions, and the newest keeps the entries that fit.
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
        let mut still_dirs = Vec::new();
        for item in listing.flatten() {
            let path = item.path();
            if path.extension().is_some_and(|e| e == "stills") {
                still_dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "jsonl") {
                continue;
            }
            let timeline = read_lines(File::open(&path)?)?;
            let kept: Vec<&Entry> = timeline.entries.iter().filter(|e| e.at >= cutoff).collect();
            // A session that gave no command has no entries, only stills of its page:
            // its file goes with its age, not for being empty (and its stills with it).
            let expired = if timeline.entries.is_empty() {
                let written = fs::metadata(&path)?.modified().unwrap_or(UNIX_EPOCH);
                epoch_ms(written) < cutoff
            } else {
                kept.is_empty()
            };
            if expired {
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
        let mut stills = Vec::new();
        // A still of an unchanged page is a hard link to the one before: its bytes are
        // on disk once, however many names it has. Links are counted by inode, and the
        // bytes go when the last name does.
        let mut links: HashMap<(u64, u64), u32> = HashMap::new();
        let mut still_bytes: u64 = 0;
        for still_dir in still_dirs {
            if !still_dir.with_extension("jsonl").exists() {
                pruned.stills += stills::list(&still_dir).len();
                fs::remove_dir_all(&still_dir)?;
                continue;
            }
            for still in stills::list(&still_dir) {
                if still.at < cutoff {
                    fs::remove_file(&still.path)?;
                    pruned.stills += 1;
                } else {
                    let (len, inode) = fs::metadata(&still.path)
                        .map_or((0, (0, 0)), |m| (m.len(), (m.dev(), m.ino())));
                    let names = links.entry(inode).or_insert(0);
                    if *names == 0 {
                        still_bytes += len;
                    }
                    *names += 1;
                    stills.push((still.at, len, inode, still.path));
                }
            }
        }
        let mut total: u64 = files.iter().map(|(_, len, _)| len).sum::<u64>() + still_bytes;
        stills.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (_, len, inode, path) in stills {
            if total <= retention.max_bytes {
                break;
            }
            fs::remove_file(&path)?;
            if let Some(names) = links.get_mut(&inode) {
                *names -= 1;
                if *names == 0 {
                    total -= len;
                }
            }
            pruned.stills += 1;
        }
        files.sort();
        let newest = files.pop();
        for (_, len, path) in files {
            if total <= retention.max_bytes {
                break;
            }
            fs::remove_file(&path)?;
            let _ = fs::remove_dir_all(path.with_extension("stills"));
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

    /// The folder of a session's stills.
    pub fn stills_dir(&self, workspace: &Path, session: &str) -> PathBuf {
        self.file(workspace, session).with_extension("stills")
    }

    /// The session's stills, oldest first.
    pub fn stills(&self, workspace: &Path, session: &str) -> Vec<Still> {
        stills::list(&self.stills_dir(workspace, session))
    }

    /// The still nearest a moment: the one taken at `at` or, failing that, the latest
    /// before it; with `after`, the first at or after it. A moment an entry names
    /// (`before`, `after`) is found by its file name, without listing the folder.
    pub fn still_at(
        &self,
        workspace: &Path,
        session: &str,
        at: f64,
        after: bool,
    ) -> Option<PathBuf> {
        let dir = self.stills_dir(workspace, session);
        if at.fract() == 0.0 {
            let exact = dir.join(stills::file_name(at));
            if exact.is_file() {
                return Some(exact);
            }
        }
        let all = stills::list(&dir);
        let still = if after {
            stills::after(&all, at)
        } else {
            stills::before(&all, at)
        }?;
        Some(still.path.clone())
    }
}

/// What [`TimelineDir::prune`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub entries: usize,
    pub files: usize,
    pub stills: usize,
}

/// A recording in progress: the entries it writes, as they are written, for whoever
/// subscribes (the window's Activity and Console lists).
#[derive(Debug, Clone)]
pub struct Recording {
    written: broadcast::Sender<Entry>,
    stop: Arc<watch::Sender<bool>>,
}

impl Recording {
    /// Ends the recording now, as the end of its attachment would: commands still
    /// running are written as never finished, and nothing more is recorded. Dropping
    /// every `Recording` does not stop it; its attachment's end does.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Every entry written from now on. The channel closes when the recording ends; a
    /// receiver more than [`WRITTEN_BACKLOG`] behind is told how many it missed (and
    /// can read the file again).
    pub fn subscribe(&self) -> broadcast::Receiver<Entry> {
        self.written.subscribe()
    }
}

/// How many written entries a subscriber of [`Recording::subscribe`] may fall behind.
pub const WRITTEN_BACKLOG: usize = 256;

/// The name of a recording's writer thread, where stills are encoded and entries
/// written: measurements count its CPU apart by this name.
pub const WRITER_THREAD: &str = "timeline";

/// What the recording's writer thread is given to do.
enum Job {
    Entries(Vec<Entry>),
    Still { at: f64, frame: Arc<Frame> },
}

/// Records an attachment as `session`'s timeline in `workspace`, until the attachment
/// ends (its channels close): its messages as entries, its frames as stills (see
/// [`stills`] for which). `awaiting_ack` is the attachment's
/// [`crate::stream::attachment::Attachment::awaiting_ack`]: while the window has not
/// acked the newest frame the stream sends no newer one, so the still after a command
/// waits for the ack rather than take a page the command may already have changed.
///
/// A task on the async runtime follows the attachment and decides; a thread of its own
/// does the blocking work, so neither the runtime's workers nor the window wait on a
/// disk or an encoder: it first keeps the workspace within `retention` (what arrives
/// meanwhile waits), then writes and flushes each entry as it completes and encodes
/// each still. Commands still running at the end are written as never finished. A file
/// that cannot be written is logged, never fatal to the attachment. Must be called
/// within a tokio runtime.
pub fn record(
    mut messages: broadcast::Receiver<ServerMessage>,
    mut frames: watch::Receiver<Option<Arc<Frame>>>,
    mut awaiting_ack: watch::Receiver<bool>,
    dir: &TimelineDir,
    workspace: &Path,
    session: &str,
    retention: Retention,
) -> io::Result<Recording> {
    let (written, _) = broadcast::channel(WRITTEN_BACKLOG);
    let (stop, mut stopped) = watch::channel(false);
    let recording = Recording {
        written: written.clone(),
        stop: Arc::new(stop),
    };
    let (jobs, queue) = std::sync::mpsc::channel::<Job>();
    // A periodic still waits while one is being encoded; those around commands do not.
    let encoding = Arc::new(AtomicBool::new(false));
    let writer = Writer {
        dir: dir.clone(),
        workspace: workspace.to_path_buf(),
        session: session.to_owned(),
        written,
        encoding: encoding.clone(),
    };
    std::thread::Builder::new()
        .name(WRITER_THREAD.into())
        .spawn(move || writer.run(queue, retention))?;
    tokio::spawn(async move {
        let mut recorder = Recorder::new();
        let mut frames_open = true;
        let mut acks_open = true;
        let mut last_still: Option<(f64, u64)> = None;
        // Commands answered, waiting for the still of the page after them: the first
        // frame Chrome captured after the result came (frames trail the page: the one
        // that arrives next may show the page before). When none comes, the page as it
        // stands once the stream has been free for AFTER_WAIT (nothing waiting for the
        // window's ack, so a changed page would have been sent): the page did not
        // change. A slow window holds the stream, and the page it holds back is the one
        // the command made, so that wait starts again at each ack, up to AFTER_GIVE_UP.
        let mut waiting: Vec<Entry> = Vec::new();
        let mut answered_at = 0.0;
        let mut after_due: Option<tokio::time::Instant> = None;
        let mut give_up = tokio::time::Instant::now();
        // The still taken as each running command was given, by the command's time.
        let mut befores: HashMap<u64, f64> = HashMap::new();
        let latest = |frames: &watch::Receiver<Option<Arc<Frame>>>| frames.borrow().clone();
        // A still around a command is `forced`: taken even of an unchanged page (the
        // writer links it to the last one), so every command has its before and after.
        // Returns the still's time, if there was a frame to take it of.
        let still = |frame: Option<Arc<Frame>>,
                     at: f64,
                     last: &mut Option<(f64, u64)>,
                     forced: bool|
         -> Option<f64> {
            let frame = frame?;
            // Whole milliseconds name the files: two stills in one millisecond would
            // share a name, so each comes at least a millisecond after the last.
            let at = last.map_or(at.round(), |(previous, _)| at.round().max(previous + 1.0));
            if !forced && last.is_some_and(|(_, seq)| seq == frame.seq) {
                return None; // the page did not change since the last still
            }
            *last = Some((at, frame.seq));
            encoding.store(true, Ordering::Release);
            let _ = jobs.send(Job::Still { at, frame });
            Some(at)
        };
        let settle = |waiting: &mut Vec<Entry>, after: Option<f64>| {
            let mut done = std::mem::take(waiting);
            for entry in &mut done {
                entry.after = after;
            }
            if !done.is_empty() {
                let _ = jobs.send(Job::Entries(done));
            }
        };
        loop {
            tokio::select! {
                message = messages.recv() => match message {
                    Ok(message) => {
                        let now = epoch_ms(SystemTime::now());
                        if matches!(&message, ServerMessage::Command(c) if AgentCommand::started(c).is_some()) {
                            if let Some(at) = still(latest(&frames), now, &mut last_still, true) {
                                befores.insert(now.to_bits(), at);
                            }
                        }
                        let (mut commands, others): (Vec<Entry>, Vec<Entry>) = recorder
                            .take(&message, now)
                            .into_iter()
                            .partition(|e| e.kind == EntryKind::Command);
                        for entry in &mut commands {
                            entry.before = befores.remove(&entry.at.to_bits());
                        }
                        if !commands.is_empty() {
                            let instant = tokio::time::Instant::now();
                            after_due = Some(instant + stills::AFTER_WAIT);
                            give_up = instant + stills::AFTER_GIVE_UP;
                            answered_at = now;
                            waiting.extend(commands);
                        }
                        if !others.is_empty() && jobs.send(Job::Entries(others)).is_err() {
                            break;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "the timeline fell behind the stream; messages were missed");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                changed = frames.changed(), if frames_open => {
                    if changed.is_err() {
                        frames_open = false;
                        continue;
                    }
                    let now = epoch_ms(SystemTime::now());
                    let frame = frames.borrow_and_update().clone();
                    let fresh = frame
                        .as_ref()
                        .and_then(|f| f.metadata.timestamp_ms())
                        .is_some_and(|captured| captured >= answered_at);
                    if !waiting.is_empty() && fresh {
                        after_due = None;
                        let at = still(frame, now, &mut last_still, true);
                        settle(&mut waiting, at);
                    } else if !encoding.load(Ordering::Acquire)
                        && last_still.is_none_or(|(at, _)| now - at >= stills::EVERY.as_millis() as f64)
                    {
                        still(frame, now, &mut last_still, false);
                    }
                }
                changed = awaiting_ack.changed(), if acks_open && !waiting.is_empty() => {
                    if changed.is_err() {
                        acks_open = false;
                        continue;
                    }
                    if !*awaiting_ack.borrow_and_update() {
                        // The stream is free again: a page the command changed can come now.
                        after_due = Some((tokio::time::Instant::now() + stills::AFTER_WAIT).min(give_up));
                    }
                }
                () = stop_asked(&mut stopped) => break,
                () = sleep_until(after_due), if after_due.is_some() => {
                    if *awaiting_ack.borrow() && tokio::time::Instant::now() < give_up {
                        // A frame waits for the window: the page after may be behind it.
                        after_due = Some(give_up);
                        continue;
                    }
                    after_due = None;
                    let at = still(latest(&frames), epoch_ms(SystemTime::now()), &mut last_still, true);
                    settle(&mut waiting, at);
                }
            }
        }
        let at = (!waiting.is_empty())
            .then(|| {
                still(
                    latest(&frames),
                    epoch_ms(SystemTime::now()),
                    &mut last_still,
                    true,
                )
            })
            .flatten();
        settle(&mut waiting, at);
        let mut unanswered = recorder.finish();
        for entry in &mut unanswered {
            entry.before = befores.remove(&entry.at.to_bits());
        }
        let _ = jobs.send(Job::Entries(unanswered));
    });
    Ok(recording)
}

/// Returns once [`Recording::stop`] is called; never, once no `Recording` is left to call it.
async fn stop_asked(stopped: &mut watch::Receiver<bool>) {
    if stopped.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Sleeps until `due`; forever without one (the branch is disabled then).
async fn sleep_until(due: Option<tokio::time::Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

/// The recording's blocking side: the file, the stills, the subscribers.
struct Writer {
    dir: TimelineDir,
    workspace: PathBuf,
    session: String,
    written: broadcast::Sender<Entry>,
    encoding: Arc<AtomicBool>,
}

impl Writer {
    fn run(self, queue: std::sync::mpsc::Receiver<Job>, retention: Retention) {
        match self
            .dir
            .prune(&self.workspace, retention, SystemTime::now())
        {
            Ok(pruned) if pruned != Pruned::default() => tracing::info!(
                entries = pruned.entries,
                files = pruned.files,
                stills = pruned.stills,
                "older history pruned"
            ),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "cannot prune the history"),
        }
        let file = self.dir.file(&self.workspace, &self.session);
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
        let stills_dir = self.dir.stills_dir(&self.workspace, &self.session);
        let mut last_still: Option<(u64, PathBuf)> = None;
        while let Ok(job) = queue.recv() {
            match job {
                Job::Entries(entries) => {
                    let result = entries
                        .iter()
                        .try_for_each(|e| write_entry(&mut out, e))
                        .and_then(|()| out.flush());
                    if let Err(error) = result {
                        tracing::warn!(%error, file = %file.display(), "cannot write the timeline");
                    }
                    for entry in entries {
                        let _ = self.written.send(entry);
                    }
                }
                Job::Still { at, frame } => {
                    let path = stills_dir.join(stills::file_name(at));
                    let same = last_still.as_ref().filter(|(seq, _)| *seq == frame.seq);
                    let saved = match same {
                        // The page did not change: the same picture, linked, not encoded again.
                        Some((_, last)) if *last == path => Ok(()),
                        Some((_, last)) => fs::hard_link(last, &path)
                            .or_else(|_| fs::copy(last, &path).map(|_| ()))
                            .map_err(|e| e.to_string()),
                        None => save_still(&path, &frame),
                    };
                    match saved {
                        Ok(()) => last_still = Some((frame.seq, path)),
                        Err(error) => tracing::debug!(%error, "no still of this frame"),
                    }
                    self.encoding.store(false, Ordering::Release);
                }
            }
        }
    }
}

/// Encodes `frame` as a still at `path`.
fn save_still(path: &Path, frame: &Frame) -> Result<(), String> {
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(frame.jpeg_base64.as_bytes())
        .map_err(|e| e.to_string())?;
    let webp = stills::encode(&jpeg).map_err(|e| e.to_string())?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    fs::write(path, webp).map_err(|e| e.to_string())
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
            before: None,
            after: None,
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
    fn a_still_is_found_by_the_moment_an_entry_names_or_the_nearest() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let ws = temp.path().join("ws");
        let stills = dir.stills_dir(&ws, "s");
        fs::create_dir_all(&stills).expect("folder made");
        for at in [1000.0, 2000.0] {
            fs::write(stills.join(stills::file_name(at)), b"still").expect("written");
        }
        let name = |p: Option<PathBuf>| p.and_then(|p| p.file_name()?.to_str().map(str::to_owned));
        assert_eq!(
            name(dir.still_at(&ws, "s", 2000.0, false)),
            Some("2000.webp".into()),
            "by name"
        );
        assert_eq!(
            name(dir.still_at(&ws, "s", 1500.0, false)),
            Some("1000.webp".into()),
            "the latest before"
        );
        assert_eq!(
            name(dir.still_at(&ws, "s", 1000.5, true)),
            Some("2000.webp".into()),
            "the first after"
        );
        assert_eq!(
            dir.still_at(&ws, "s", 2500.0, true),
            None,
            "none after the last"
        );
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

    /// The senders a test feeds a recording through: the stream's messages, its newest
    /// frame, and whether that frame waits for the window's ack.
    type Feed = (
        broadcast::Sender<ServerMessage>,
        watch::Sender<Option<Arc<Frame>>>,
        watch::Sender<bool>,
    );

    /// Records `session` in `workspace` from channels the test holds: the newest frame
    /// starts as `first`, waiting for an ack if `held`.
    fn start(
        dir: &TimelineDir,
        workspace: &Path,
        session: &str,
        first: Option<Arc<Frame>>,
        held: bool,
    ) -> (Feed, Recording) {
        let (messages, messages_rx) = broadcast::channel(16);
        let (frames, frames_rx) = watch::channel(first);
        let (awaiting_ack, awaiting_ack_rx) = watch::channel(held);
        let recording = record(
            messages_rx,
            frames_rx,
            awaiting_ack_rx,
            dir,
            workspace,
            session,
            Retention::default(),
        )
        .expect("recording starts");
        ((messages, frames, awaiting_ack), recording)
    }

    /// Frame `seq` of the test picture, captured now, as Chrome stamps its frames.
    fn frame_now(seq: u64) -> Option<Arc<Frame>> {
        let data =
            base64::engine::general_purpose::STANDARD.encode(include_bytes!("testdata/frame.jpg"));
        let metadata = crate::stream::protocol::FrameMetadata {
            timestamp: Some(epoch_ms(SystemTime::now())),
            ..Default::default()
        };
        let message = crate::stream::protocol::FrameMessage {
            seq: Some(seq),
            data,
            metadata,
        };
        Some(Arc::new(Frame::from_message(message, 0.0, seq)))
    }

    /// A navigation given and answered.
    fn navigate(tx: &broadcast::Sender<ServerMessage>) {
        let id = "r1";
        for line in [
            format!(
                r##"{{"type":"command","action":"navigate","id":"{id}","params":{{"url":"https://a.test/"}}}}"##
            ),
            format!(
                r##"{{"type":"result","action":"navigate","id":"{id}","data":{{}},"duration_ms":40}}"##
            ),
        ] {
            tx.send(parse(&line).expect("valid")).expect("a receiver");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_still_after_a_command_waits_for_the_frame_a_slow_window_holds_back() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let workspace = temp.path().join("ws");
        // The window has not shown frame 1 yet: the stream sends nothing newer.
        let ((tx, frames_tx, acks_tx), recording) =
            start(&dir, &workspace, "s", frame_now(1), true);
        let mut written = recording.subscribe();
        navigate(&tx);
        let early = tokio::time::timeout(stills::AFTER_WAIT * 2, written.recv()).await;
        assert!(
            early.is_err(),
            "while the window holds the stream, the page after the command may be behind it: {early:?}"
        );
        let acked_at = epoch_ms(SystemTime::now());
        acks_tx.send_replace(false);
        tokio::time::sleep(Duration::from_millis(100)).await;
        frames_tx.send_replace(frame_now(2));
        let entry = tokio::time::timeout(stills::AFTER_WAIT, written.recv())
            .await
            .expect("written as soon as the newer frame came")
            .expect("an entry");
        let after = entry.after.expect("a still after the command");
        assert!(
            after > acked_at,
            "the still after is the frame sent once the window acked ({acked_at}), not the one it held ({after})"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_that_does_not_change_is_taken_as_it_stands_and_a_window_that_never_acks_is_not_waited_for_long(
    ) {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let workspace = temp.path().join("ws");
        for (window_acks, at_least, at_most) in [
            (true, stills::AFTER_WAIT, stills::AFTER_WAIT * 3),
            (
                false,
                stills::AFTER_GIVE_UP,
                stills::AFTER_GIVE_UP + stills::AFTER_WAIT,
            ),
        ] {
            let session = if window_acks { "free" } else { "held" };
            let ((tx, _frames_tx, _acks_tx), recording) =
                start(&dir, &workspace, session, frame_now(1), !window_acks);
            let mut written = recording.subscribe();
            let given = tokio::time::Instant::now();
            navigate(&tx);
            let entry = tokio::time::timeout(at_most, written.recv())
                .await
                .unwrap_or_else(|_| panic!("{session}: written within {at_most:?}"))
                .expect("an entry");
            let waited = given.elapsed();
            assert!(
                waited >= at_least,
                "{session}: no newer frame can come sooner than {at_least:?}, waited {waited:?}"
            );
            assert!(
                entry.after.is_some(),
                "{session}: the page as it stands is the still after"
            );
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_recording_reads_back_oldest_first_with_stills_and_survives_a_torn_line() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let workspace = temp.path().join("ws");
        let file = dir.file(&workspace, "s");
        let ((tx, frames_tx, _acks_tx), recording) = start(&dir, &workspace, "s", None, false);
        let mut written = recording.subscribe();
        drop(recording);
        let pause = || tokio::time::sleep(std::time::Duration::from_millis(100));
        frames_tx.send_replace(frame_now(1));
        pause().await;
        for line in [
            r##"{"type":"command","action":"click","id":"r1","params":{"selector":"#go"}}"##,
            r##"{"type":"console","level":"error","text":"bad","timestamp":1}"##,
            r##"{"type":"result","action":"click","id":"r1","data":{},"duration_ms":3}"##,
        ] {
            tx.send(parse(line).expect("valid")).expect("a receiver");
        }
        pause().await;
        frames_tx.send_replace(frame_now(2));
        pause().await;
        let navigate = r##"{"type":"command","action":"navigate","id":"r2","params":{"url":"https://a.test/"}}"##;
        tx.send(parse(navigate).expect("valid"))
            .expect("a receiver");
        drop(tx);
        let mut told = Vec::new();
        while let Ok(entry) = written.recv().await {
            told.push(entry.text);
        }
        assert_eq!(
            told,
            ["bad", "click #go", "navigate https://a.test/"],
            "subscribers are told each entry as it is written, and the end"
        );
        let stills = dir.stills(&workspace, "s");
        // The first frame; the click's before (the same page); the first frame captured
        // after its result; the navigation's before (that page again).
        assert_eq!(stills.len(), 4, "a still per moment: {stills:?}");
        let recorded = dir.read(&workspace, "s").expect("readable").entries;
        let click = recorded
            .iter()
            .find(|e| e.text == "click #go")
            .expect("the click");
        assert_eq!(
            (click.before, click.after),
            (Some(stills[1].at), Some(stills[2].at)),
            "a command names its stills"
        );
        let navigate = recorded
            .iter()
            .find(|e| e.text.starts_with("navigate"))
            .expect("there");
        assert_eq!(navigate.before, Some(stills[3].at), "taken as it was given");
        let pictures: std::collections::BTreeSet<u64> = stills
            .iter()
            .map(|s| std::os::unix::fs::MetadataExt::ino(&fs::metadata(&s.path).expect("there")))
            .collect();
        assert_eq!(
            pictures.len(),
            2,
            "an unchanged page is linked, not encoded again"
        );
        for still in &stills {
            let bytes = fs::read(&still.path).expect("a still file");
            assert!(
                bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP",
                "stills are WebP"
            );
        }
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stopped_recording_writes_what_runs_and_records_nothing_more() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let workspace = temp.path().join("ws");
        let ((tx, _frames_tx, _acks_tx), recording) = start(&dir, &workspace, "s", None, false);
        let mut written = recording.subscribe();
        let running =
            r##"{"type":"command","action":"click","id":"r1","params":{"selector":"#go"}}"##;
        tx.send(parse(running).expect("valid")).expect("a receiver");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        recording.stop();
        // Its subscribers hear the end once no handle is left (a handle can subscribe).
        drop(recording);
        let closed = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            let mut told = Vec::new();
            while let Ok(entry) = written.recv().await {
                told.push(entry.text);
            }
            told
        })
        .await
        .expect("a stopped recording ends while its stream goes on");
        assert_eq!(
            closed,
            ["click #go"],
            "the running command is written as unfinished"
        );
        let after = r##"{"type":"console","level":"error","text":"later","timestamp":1}"##;
        let _ = tx.send(parse(after).expect("valid"));
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let texts: Vec<String> = dir
            .read(&workspace, "s")
            .expect("readable")
            .entries
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(texts, ["click #go"], "nothing is recorded once stopped");
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
        for (session, at) in [
            ("old", today - 9.0 * day),
            ("mixed", today - 8.0 * day),
            ("mixed", today - day),
        ] {
            let stills = dir.stills_dir(&ws, session);
            fs::create_dir_all(&stills).expect("folder made");
            fs::write(stills.join(stills::file_name(at)), b"still").expect("still written");
        }
        let pruned = dir.prune(&ws, retention, now).expect("pruned");
        assert_eq!(
            pruned,
            Pruned {
                entries: 2,
                files: 1,
                stills: 2,
            },
            "an entry or a still a week old goes, a file left empty, and its session's stills"
        );
        assert_eq!(
            dir.stills(&ws, "mixed")
                .iter()
                .map(|s| s.at)
                .collect::<Vec<_>>(),
            vec![(today - day).round()],
            "the recent still stays"
        );
        assert!(
            !dir.stills_dir(&ws, "old").exists(),
            "the stills of a session gone go too"
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
            (pruned.stills, pruned.files),
            (1, 1),
            "over the size, stills go first, then the least recently written session"
        );
        assert!(dir.read(&ws, "mixed").is_err(), "the stalest went first");
        assert!(dir.read(&ws, "big").is_ok(), "the newest is kept");
    }

    #[test]
    fn hard_linked_stills_count_once_against_the_size_limit() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let ws = temp.path().join("ws");
        write(&dir.file(&ws, "still-page"), &[]);
        let now = SystemTime::now();
        let stills = dir.stills_dir(&ws, "still-page");
        fs::create_dir_all(&stills).expect("folder made");
        let first = stills.join(stills::file_name(epoch_ms(now) - 2_000.0));
        fs::write(&first, vec![7u8; 1000]).expect("still written");
        for n in 1..=3 {
            fs::hard_link(
                &first,
                stills.join(stills::file_name(epoch_ms(now) - 2_000.0 + f64::from(n))),
            )
            .expect("linked");
        }
        let retention = Retention {
            max_age: Duration::from_secs(3600),
            max_bytes: 1500,
        };
        let pruned = dir.prune(&ws, retention, now).expect("pruned");
        assert_eq!(
            pruned,
            Pruned::default(),
            "four names of one 1000-byte still are 1000 bytes on disk, inside 1500"
        );
        let tight = Retention {
            max_bytes: 500,
            ..retention
        };
        let pruned = dir.prune(&ws, tight, now).expect("pruned");
        assert_eq!(pruned.stills, 4, "over the limit, every name of it goes");
    }

    #[test]
    fn a_session_without_commands_keeps_its_stills_until_they_age() {
        // The agent gave no command: the file has no entries, and the stills are the
        // whole history. Attaching again prunes first; it must not take them.
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = TimelineDir::at(temp.path().to_path_buf());
        let ws = temp.path().join("ws");
        write(&dir.file(&ws, "quiet"), &[]);
        let now = SystemTime::now();
        let stills = dir.stills_dir(&ws, "quiet");
        fs::create_dir_all(&stills).expect("folder made");
        let at = epoch_ms(now) - 60_000.0;
        fs::write(stills.join(stills::file_name(at)), b"still").expect("still written");
        let week = Retention {
            max_age: Duration::from_secs(7 * 24 * 3600),
            max_bytes: 1 << 20,
        };
        let pruned = dir.prune(&ws, week, now).expect("pruned");
        assert_eq!(
            pruned,
            Pruned::default(),
            "a recording of a minute ago with no commands loses nothing"
        );
        assert_eq!(dir.stills(&ws, "quiet").len(), 1, "its still is kept");

        let later = now + Duration::from_secs(8 * 24 * 3600);
        let pruned = dir.prune(&ws, week, later).expect("pruned");
        assert_eq!(
            (pruned.files, pruned.stills),
            (1, 1),
            "a week on, the empty file and its stills go"
        );
    }
}
