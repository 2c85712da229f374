//! Keeps discovery current without anyone polling it.
//!
//! Filesystem events on the socket directories trigger a rescan within a few
//! milliseconds, so a session the agent starts is known at once. A daemon killed with
//! SIGKILL removes nothing, so a cheap liveness tick (one second by default) rescans too.
//! A socket directory that does not exist yet is watched through its nearest existing
//! parent, and watched itself from the moment it appears. A file written in a directory
//! before the watcher has picked that directory up makes no event, so each burst of
//! events is followed by one more scan shortly after.
//!
//! ```no_run
//! # async fn demo() {
//! use porthole_core::discovery::{Discovery, watch::DiscoveryWatch};
//! let watch = DiscoveryWatch::spawn(Discovery::new().expect("process table"), Default::default());
//! let mut rx = watch.subscribe();
//! while rx.changed().await.is_ok() {
//!     println!("{} sessions", rx.borrow().len());
//! }
//! # }
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use super::{Discovery, Session};

/// How the watch behaves.
#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    /// How often daemons are checked for having died without a trace.
    pub liveness_interval: Duration,
    /// How long to wait for a burst of file events to settle before rescanning.
    pub debounce: Duration,
    /// When to scan once more after a burst of file events. A directory created under
    /// a recursive watch is watched only once the watcher's thread has seen it, and a
    /// file written in it before then makes no event; the second look finds it.
    pub recheck: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            liveness_interval: Duration::from_secs(1),
            debounce: Duration::from_millis(20),
            recheck: Duration::from_millis(150),
        }
    }
}

/// A scan someone asked for, and where its result goes.
type Rescan = oneshot::Sender<Arc<Vec<Session>>>;

/// A running watch. Dropping it stops the task and the filesystem watcher.
pub struct DiscoveryWatch {
    rx: watch::Receiver<Arc<Vec<Session>>>,
    rescans: mpsc::UnboundedSender<Rescan>,
    task: JoinHandle<()>,
}

impl DiscoveryWatch {
    /// Scans once, then keeps scanning on events and on the liveness tick.
    /// Must be called inside a tokio runtime.
    pub fn spawn(mut discovery: Discovery, options: WatchOptions) -> Self {
        let (tx, rx) = watch::channel(Arc::new(discovery.scan()));
        let (rescans, requests) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(discovery, options, tx, requests));
        Self { rx, rescans, task }
    }

    /// Scans now rather than at the next event or tick, and returns that scan (which
    /// every subscriber sees too). For when the caller knows of a change no event
    /// announces: a browser the person names by its port may have started a moment
    /// ago, before the tick has seen its process.
    pub async fn rescan(&self) -> Arc<Vec<Session>> {
        let (reply, answer) = oneshot::channel();
        if self.rescans.send(reply).is_err() {
            return self.current();
        }
        answer.await.unwrap_or_else(|_| self.current())
    }

    /// A receiver that sees every change from now on.
    pub fn subscribe(&self) -> watch::Receiver<Arc<Vec<Session>>> {
        self.rx.clone()
    }

    /// The latest scan.
    pub fn current(&self) -> Arc<Vec<Session>> {
        self.rx.borrow().clone()
    }
}

impl Drop for DiscoveryWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(
    mut discovery: Discovery,
    options: WatchOptions,
    tx: watch::Sender<Arc<Vec<Session>>>,
    mut rescans: mpsc::UnboundedReceiver<Rescan>,
) {
    let (event_tx, mut events) = mpsc::unbounded_channel::<()>();
    // A missing socket directory is watched through an existing ancestor, often /tmp or
    // the home folder, where other programs write all the time: only events on the
    // socket directories, or on the way to them, are worth a scan.
    let bases = Arc::new(std::sync::Mutex::new(discovery.base_dirs()));
    let wanted = bases.clone();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        let relevant = {
            let bases = crate::sync::lock(&wanted);
            worth_a_scan(&event, &bases)
        };
        if relevant {
            // The receiver is gone only when the watch is shutting down.
            let _ = event_tx.send(());
        }
    });
    let mut watcher = match watcher {
        Ok(w) => Some(w),
        Err(error) => {
            tracing::warn!(%error, "filesystem events unavailable; discovery falls back to the liveness tick");
            None
        }
    };
    let mut watched = BTreeSet::new();
    if let Some(w) = watcher.as_mut() {
        replan(w, &mut watched, &discovery.base_dirs());
    }
    let mut tick = tokio::time::interval(options.liveness_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let recheck = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(recheck);
    let mut recheck_due = false;
    let mut waiting: Vec<Rescan> = Vec::new();
    loop {
        tokio::select! {
            Some(reply) = rescans.recv() => waiting.push(reply),
            event = events.recv() => {
                if event.is_none() {
                    break;
                }
                tokio::time::sleep(options.debounce).await;
                while events.try_recv().is_ok() {}
                recheck.as_mut().reset(tokio::time::Instant::now() + options.recheck);
                recheck_due = true;
            }
            _ = &mut recheck, if recheck_due => recheck_due = false,
            _ = tick.tick() => {}
        }
        if let Some(w) = watcher.as_mut() {
            let now = discovery.base_dirs();
            replan(w, &mut watched, &now);
            *crate::sync::lock(&bases) = now;
        }
        let sessions = discovery.scan();
        let changed = tx.send_if_modified(|current| {
            if **current == sessions {
                false
            } else {
                *current = Arc::new(sessions);
                true
            }
        });
        if changed {
            tracing::debug!("discovery changed");
        }
        if !waiting.is_empty() {
            let now = tx.borrow().clone();
            for reply in waiting.drain(..) {
                // The asker may have given up waiting; nothing is lost.
                let _ = reply.send(now.clone());
            }
        }
        if tx.is_closed() {
            break;
        }
    }
}

/// What to watch for `bases`: each existing base (and its `namespaces/` tree), or the
/// nearest existing ancestor of a base that does not exist yet.
fn plan(bases: &[PathBuf]) -> BTreeSet<(PathBuf, bool)> {
    let mut out = BTreeSet::new();
    for base in bases {
        if base.is_dir() {
            out.insert((base.clone(), false));
            let namespaces = base.join("namespaces");
            if namespaces.is_dir() {
                out.insert((namespaces, true));
            }
        } else if let Some(ancestor) = base.ancestors().skip(1).find(|a| a.is_dir()) {
            out.insert((ancestor.to_owned(), false));
        }
    }
    out
}

/// Whether `event` can change what discovery sees. Reading a file changes nothing, and
/// a scan reads the socket directories itself: were its own opens (inotify's `IN_OPEN`,
/// which notify reports as access) taken for news, every scan would start the next one,
/// a loop that never rests.
fn worth_a_scan(event: &notify::Event, bases: &[PathBuf]) -> bool {
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    event.paths.is_empty() || event.paths.iter().any(|p| concerns(p, bases))
}

/// Whether an event on `path` can change what discovery sees: it is in a socket
/// directory, or it is one of their ancestors coming or going.
fn concerns(path: &Path, bases: &[PathBuf]) -> bool {
    bases
        .iter()
        .any(|base| path.starts_with(base) || base.starts_with(path))
}

fn replan(
    watcher: &mut RecommendedWatcher,
    watched: &mut BTreeSet<(PathBuf, bool)>,
    bases: &[PathBuf],
) {
    let wanted = plan(bases);
    for (path, _) in watched.difference(&wanted) {
        // The directory may be gone already, which removes the watch by itself.
        let _ = watcher.unwatch(path);
    }
    for (path, recursive) in wanted.difference(watched) {
        let mode = if *recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        if let Err(error) = watcher.watch(Path::new(path), mode) {
            tracing::debug!(path = %path.display(), %error, "cannot watch");
        }
    }
    *watched = wanted;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent_browser::socket_dirs::SocketDirEnv;
    use crate::discovery::process::{ProcessInfo, ProcessTable};
    use notify::EventKind;

    #[test]
    fn only_events_on_the_way_to_a_socket_directory_count() {
        let bases = [PathBuf::from("/tmp/agent-browser")];
        assert!(concerns(Path::new("/tmp/agent-browser/demo.pid"), &bases));
        assert!(
            concerns(Path::new("/tmp/agent-browser"), &bases),
            "the directory appearing"
        );
        assert!(concerns(Path::new("/tmp"), &bases));
        assert!(
            !concerns(Path::new("/tmp/porthole-e2e-x1/file"), &bases),
            "another program's files in /tmp wake nothing"
        );
    }

    #[test]
    fn reading_a_socket_directory_is_not_news() {
        use notify::event::{AccessKind, AccessMode, CreateKind};
        let bases = [PathBuf::from("/tmp/agent-browser")];
        let pid_file = PathBuf::from("/tmp/agent-browser/demo.pid");
        let opened = notify::Event::new(EventKind::Access(AccessKind::Open(AccessMode::Any)))
            .add_path(pid_file.clone());
        let closed = notify::Event::new(EventKind::Access(AccessKind::Close(AccessMode::Read)))
            .add_path(pid_file.clone());
        let created = notify::Event::new(EventKind::Create(CreateKind::File)).add_path(pid_file);
        assert!(
            !worth_a_scan(&opened, &bases),
            "a scan's own open of a pid file"
        );
        assert!(
            !worth_a_scan(&closed, &bases),
            "a scan closing what it read"
        );
        assert!(worth_a_scan(&created, &bases), "a session's file appearing");
    }

    /// A process table that counts how often discovery looks.
    struct Counting(Arc<std::sync::atomic::AtomicUsize>);

    impl ProcessTable for Counting {
        fn inspect(&mut self, _pids: &[u32]) -> std::collections::HashMap<u32, ProcessInfo> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::collections::HashMap::new()
        }
    }

    /// A watch over a socket directory holding one session's pid file, with no tick
    /// for an hour: what scans it makes come from events or a rescan. Returns the
    /// directory (kept while the test runs), its path, the scan count and the watch.
    fn counted_watch() -> (
        tempfile::TempDir,
        PathBuf,
        Arc<std::sync::atomic::AtomicUsize>,
        DiscoveryWatch,
    ) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let sockets = tmp.path().join("sockets");
        std::fs::create_dir_all(&sockets).expect("mkdir");
        std::fs::write(sockets.join("demo.pid"), "4242").expect("pid file");
        let scans = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let env = SocketDirEnv {
            socket_dir: Some(sockets.clone()),
            ..Default::default()
        };
        let options = WatchOptions {
            liveness_interval: Duration::from_secs(3600),
            ..Default::default()
        };
        let watch = DiscoveryWatch::spawn(
            Discovery::with(env, Box::new(Counting(scans.clone()))),
            options,
        );
        (tmp, sockets, scans, watch)
    }

    #[tokio::test]
    async fn a_quiet_socket_directory_makes_no_scans() {
        let (_tmp, sockets, scans, _watch) = counted_watch();
        // Let the watcher settle, then wake it once with news.
        tokio::time::sleep(Duration::from_millis(300)).await;
        std::fs::write(sockets.join("other.pid"), "4343").expect("pid file");
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let count = scans.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            count <= 5,
            "one file written should make a scan or two, not a loop of scans reading their own \
             files; saw {count} in 1.8 s"
        );
        assert!(count >= 2, "the new file was noticed: {count} scans");
    }

    #[tokio::test]
    async fn a_rescan_scans_at_once_and_answers_with_that_scan() {
        // Nothing changes in the directory and the tick is an hour away: only the
        // rescan can make a scan.
        let (_tmp, _sockets, scans, watch) = counted_watch();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let before = scans.load(std::sync::atomic::Ordering::SeqCst);
        let found = tokio::time::timeout(Duration::from_secs(5), watch.rescan())
            .await
            .expect("a rescan answers at once, not at the next tick");
        assert_eq!(
            scans.load(std::sync::atomic::Ordering::SeqCst),
            before + 1,
            "the rescan scanned once"
        );
        assert_eq!(
            found.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["demo"],
            "it answers with what the scan found"
        );
    }

    #[test]
    fn missing_socket_dirs_are_watched_through_their_parent() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        let base = home.join(".agent-browser");
        assert_eq!(
            plan(std::slice::from_ref(&base)),
            BTreeSet::from([(home.clone(), false)]),
            "before the first session, the parent tells when the dir appears"
        );
        std::fs::create_dir_all(base.join("namespaces")).expect("mkdir");
        assert_eq!(
            plan(std::slice::from_ref(&base)),
            BTreeSet::from([(base.clone(), false), (base.join("namespaces"), true)]),
            "then the dir itself, and its namespaces recursively"
        );
    }
}
