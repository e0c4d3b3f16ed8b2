//! Keeps a shared [`OrderIndex`] current: a file system watcher on the root for quick updates,
//! and a periodic full rescan because network shares do not always report changes. A root that
//! disappears is reported in the index state and picked up again when it returns.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::Utc;
use notify::{RecursiveMode, Watcher};

use super::index::OrderIndex;
use super::scan::{self, FirstSeenLedger, ScanError};

/// The index shared between the watcher thread (writer) and the bot and GUI (readers).
pub type SharedIndex = Arc<RwLock<OrderIndex>>;

/// While the root is unreachable it is tried this often, so it is back soon after it returns.
const RETRY_UNREACHABLE: Duration = Duration::from_secs(5);

/// Events arriving within this window are handled together (a copy of many folders).
const DEBOUNCE: Duration = Duration::from_millis(150);

/// What the watcher watches.
#[derive(Debug, Clone)]
pub struct WatchSettings {
    pub root: PathBuf,
    pub closed_keyword: String,
    pub rescan_every: Duration,
}

enum Message {
    Changed(Vec<PathBuf>),
    Rescan,
    Stop,
}

/// A running watcher thread; stop it with [`IndexWatcher::stop`] (also done on drop).
#[derive(Debug)]
pub struct IndexWatcher {
    sender: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

impl IndexWatcher {
    /// Scans the root at once (on the watcher thread) and keeps `index` current until stopped.
    pub fn start(
        index: SharedIndex,
        settings: WatchSettings,
        ledger: Box<dyn FirstSeenLedger>,
    ) -> std::io::Result<Self> {
        let (sender, receiver) = mpsc::channel();
        let worker = Worker {
            index,
            settings,
            ledger,
            sender: sender.clone(),
            watcher: None,
        };
        let thread = std::thread::Builder::new()
            .name("order-index".into())
            .spawn(move || worker.run(&receiver))?;
        Ok(Self {
            sender,
            thread: Some(thread),
        })
    }

    /// Asks for a full rescan now (the GUI's "refresh", or after the config changed).
    pub fn rescan(&self) {
        let _ = self.sender.send(Message::Rescan);
    }

    /// Stops the thread and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.sender.send(Message::Stop);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("order index watcher thread panicked");
        }
    }
}

impl Drop for IndexWatcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}

struct Worker {
    index: SharedIndex,
    settings: WatchSettings,
    ledger: Box<dyn FirstSeenLedger>,
    sender: Sender<Message>,
    watcher: Option<notify::RecommendedWatcher>,
}

impl Worker {
    fn run(mut self, receiver: &Receiver<Message>) {
        let mut next_rescan = Instant::now() + self.full_rescan();
        loop {
            let wait = next_rescan.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(wait) {
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Message::Rescan) | Err(RecvTimeoutError::Timeout) => {
                    next_rescan = Instant::now() + self.full_rescan();
                }
                Ok(Message::Changed(paths)) => {
                    let mut paths: BTreeSet<PathBuf> = paths.into_iter().collect();
                    let deadline = Instant::now() + DEBOUNCE;
                    while let Ok(message) =
                        receiver.recv_timeout(deadline.saturating_duration_since(Instant::now()))
                    {
                        match message {
                            Message::Changed(more) => paths.extend(more),
                            Message::Rescan => {
                                paths.insert(self.settings.root.clone());
                            }
                            Message::Stop => return,
                        }
                    }
                    if let Some(delay) = self.apply_changes(&paths) {
                        next_rescan = Instant::now() + delay;
                    }
                }
            }
        }
    }

    /// Lists the whole root into the index; returns when to do it again.
    fn full_rescan(&mut self) -> Duration {
        let now = Utc::now();
        let settings = &self.settings;
        let result = scan::scan_root(
            &settings.root,
            &settings.closed_keyword,
            self.ledger.as_mut(),
            now,
        );
        let mut index = match self.index.write() {
            Ok(index) => index,
            Err(poisoned) => poisoned.into_inner(),
        };
        match result {
            Ok(orders) => {
                let count = orders.len();
                let was_ready = matches!(index.state(), super::RootState::Ready { .. });
                index.replace_all(orders, now);
                drop(index);
                if !was_ready {
                    tracing::info!(root = %settings.root.display(), orders = count, "orders folder is readable");
                }
                if self.watcher.is_none() {
                    self.watcher = self.start_watcher();
                }
                settings.rescan_every
            }
            Err(ScanError::NotConfigured) => {
                index.set_not_configured();
                settings.rescan_every
            }
            Err(error) => {
                let first_failure = !matches!(index.state(), super::RootState::Unreachable { .. });
                index.set_unreachable(error.to_string(), now);
                drop(index);
                if first_failure {
                    tracing::warn!(%error, "orders folder is unreachable; keeping the last known orders");
                }
                self.watcher = None;
                RETRY_UNREACHABLE.min(self.settings.rescan_every)
            }
        }
    }

    fn start_watcher(&self) -> Option<notify::RecommendedWatcher> {
        let sender = self.sender.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            let message = match event {
                Ok(event) => Message::Changed(event.paths),
                // Lost events (overflow) or a broken watch: list everything again.
                Err(_) => Message::Rescan,
            };
            let _ = sender.send(message);
        };
        let mut watcher = match notify::recommended_watcher(handler) {
            Ok(watcher) => watcher,
            Err(error) => {
                tracing::warn!(%error, "cannot watch the orders folder; relying on periodic rescans");
                return None;
            }
        };
        match watcher.watch(&self.settings.root, RecursiveMode::NonRecursive) {
            Ok(()) => Some(watcher),
            Err(error) => {
                tracing::warn!(%error, "cannot watch the orders folder; relying on periodic rescans");
                None
            }
        }
    }

    /// Updates the index for changed entries of the root. When the root itself changed, lists
    /// it all and returns when to do that again.
    fn apply_changes(&mut self, paths: &BTreeSet<PathBuf>) -> Option<Duration> {
        let root = self.settings.root.clone();
        if paths.iter().any(|p| p == &root) || !root.is_dir() {
            return Some(self.full_rescan());
        }
        let now = Utc::now();
        for path in paths {
            let Some(name) = direct_child_name(&root, path) else {
                continue;
            };
            let order = scan::scan_folder(
                &root,
                &name,
                &self.settings.closed_keyword,
                self.ledger.as_mut(),
                now,
            );
            let mut index = match self.index.write() {
                Ok(index) => index,
                Err(poisoned) => poisoned.into_inner(),
            };
            match order {
                Some(order) => index.upsert(order),
                None => {
                    index.remove(&name);
                }
            }
        }
        None
    }
}

/// The name of `path` when it is directly inside `root`.
fn direct_child_name(root: &Path, path: &Path) -> Option<String> {
    (path.parent()? == root)
        .then(|| path.file_name()?.to_str().map(str::to_owned))
        .flatten()
}
