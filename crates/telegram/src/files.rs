//! The file job workers (SPEC §6): every recorded file is downloaded (or, from a local Bot API
//! server, copied from disk) and saved through the core media store, by a pool that runs
//! beside the inbox, so a large video never holds up the chat's next messages. The pool is
//! limited by count and by bytes in flight; transient failures are retried with backoff; jobs
//! live in the database, so they resume after a restart; a job run again writes the same file
//! name and so never a second copy.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use servicebot_core::media_store::{Saved, Target};
use servicebot_core::store::{FileJob, StorageStatus, StoreError};
use tokio::sync::{mpsc, watch};

use crate::api::{Api, CallError, Refusal};
use crate::context::BotDeps;
use crate::delivery::backoff;

/// How many files are fetched at once, and how many bytes may be in flight together.
#[derive(Debug, Clone)]
pub struct FileTuning {
    pub max_jobs: usize,
    pub byte_budget: u64,
    /// One download's timeout (a 2 GB video from a local server must not be cut off).
    pub download_timeout: Duration,
}

impl Default for FileTuning {
    fn default() -> Self {
        Self {
            max_jobs: 4,
            byte_budget: 64 * 1024 * 1024,
            download_timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// A file whose size Telegram did not report is budgeted at this.
const UNKNOWN_SIZE: u64 = 4 * 1024 * 1024;
const IDLE_WAKE: Duration = Duration::from_secs(30);

/// What became of one attempt.
#[derive(Debug)]
enum Attempt {
    Stored {
        path: String,
        size: u64,
        sha256: String,
    },
    Held {
        spool_id: String,
        size: u64,
        sha256: String,
    },
    TooBig,
    /// Try again later (network, Telegram unavailable).
    Retry(String),
    /// Cannot succeed: `download: …` or `write: …` (the prefix picks the staff's reason).
    Failed(String),
}

/// Runs until `stop` turns true.
pub async fn run(
    api: Api,
    deps: Arc<BotDeps>,
    tuning: FileTuning,
    mut stop: watch::Receiver<bool>,
) {
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<i64>();
    let mut running: HashMap<i64, u64> = HashMap::new();
    loop {
        if *stop.borrow() {
            return;
        }
        let busy: Vec<i64> = running.keys().copied().collect();
        let due = deps
            .store()
            .file_jobs()
            .due(Utc::now(), &busy, tuning.max_jobs * 2);
        match due {
            Ok(due) => {
                for job in due {
                    let size = job.file_size.unwrap_or(UNKNOWN_SIZE);
                    let in_flight: u64 = running.values().sum();
                    let fits = running.is_empty() || in_flight + size <= tuning.byte_budget;
                    if running.len() >= tuning.max_jobs || !fits {
                        break;
                    }
                    running.insert(job.media_id, size);
                    let (api, deps, done) = (api.clone(), Arc::clone(&deps), done_tx.clone());
                    let timeout = tuning.download_timeout;
                    tokio::spawn(async move {
                        let id = job.media_id;
                        let attempt = attempt(&api, &deps, &job, timeout).await;
                        let deps2 = Arc::clone(&deps);
                        let recorded =
                            tokio::task::spawn_blocking(move || record(&deps2, &job, attempt))
                                .await;
                        if !matches!(recorded, Ok(Ok(()))) {
                            tracing::error!(media = id, "cannot record a file job's outcome");
                        }
                        let _ = done.send(id);
                    });
                }
            }
            Err(error) => tracing::error!(%error, "cannot read the file jobs"),
        }
        let wake = match deps.store().file_jobs().next_due_at() {
            Ok(Some(at)) => (at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE_WAKE),
            _ => IDLE_WAKE,
        };
        // Waiting or running jobs are due "now": wait for one to finish instead of spinning.
        let wake = if wake.is_zero() && !running.is_empty() {
            IDLE_WAKE
        } else {
            wake
        };
        tokio::select! {
            () = deps.files_ready.notified() => {}
            () = tokio::time::sleep(wake) => {}
            Some(id) = done_rx.recv() => {
                running.remove(&id);
                while let Ok(id) = done_rx.try_recv() {
                    running.remove(&id);
                }
            }
            _ = stop.changed() => {}
        }
    }
}

async fn attempt(api: &Api, deps: &BotDeps, job: &FileJob, timeout: Duration) -> Attempt {
    let file = match api.get_file(&job.file_id).await {
        Ok(file) => file,
        Err(CallError::Refused {
            reason: Refusal::FileTooBig,
            ..
        }) => return Attempt::TooBig,
        Err(error) if error.is_transient() || error.retry_after().is_some() => {
            return Attempt::Retry(error.to_string());
        }
        Err(error) => return Attempt::Failed(format!("download: {error}")),
    };
    let target = Target {
        order_folder: job.order_folder.clone(),
        stage_folder: job.stage_folder.clone(),
        file_name: job.file_name.clone(),
    };
    let store = deps.media.clone();
    let saved = if Path::new(&file.file_path).is_absolute() {
        // A local Bot API server: the file is already on this machine.
        let path = std::path::PathBuf::from(&file.file_path);
        tokio::task::spawn_blocking(move || store.save_from_path(&target, &path)).await
    } else {
        let bytes = match api.download(&file.file_path, timeout).await {
            Ok(bytes) => bytes,
            Err(error) if error.is_transient() || error.retry_after().is_some() => {
                return Attempt::Retry(error.to_string());
            }
            Err(error) => return Attempt::Failed(format!("download: {error}")),
        };
        tokio::task::spawn_blocking(move || store.save(&target, &mut bytes.as_slice())).await
    };
    match saved {
        Ok(Ok(Saved::Stored { path, size, sha256 })) => Attempt::Stored {
            path: path.to_string_lossy().into_owned(),
            size,
            sha256,
        },
        Ok(Ok(Saved::Spooled {
            spool_id,
            size,
            sha256,
            reason,
        })) => {
            tracing::warn!(%reason, "file held in the spool");
            Attempt::Held {
                spool_id,
                size,
                sha256,
            }
        }
        Ok(Err(error)) => Attempt::Failed(format!("write: {error}")),
        Err(error) => Attempt::Failed(format!("write: {error}")),
    }
}

/// Records the attempt and, once the file's job has ended, refreshes its receipt.
fn record(deps: &BotDeps, job: &FileJob, attempt: Attempt) -> Result<(), StoreError> {
    let now = Utc::now();
    let store = deps.store();
    store.transaction(|store| {
        let media = store.media();
        let id = job.media_id;
        match &attempt {
            Attempt::Stored { path, size, sha256 } => {
                media.set_storage(
                    id,
                    StorageStatus::Stored,
                    Some(path),
                    None,
                    Some(*size),
                    Some(sha256),
                )?;
            }
            Attempt::Held {
                spool_id,
                size,
                sha256,
            } => {
                media.set_storage(
                    id,
                    StorageStatus::Spooled,
                    None,
                    Some(spool_id),
                    Some(*size),
                    Some(sha256),
                )?;
            }
            Attempt::TooBig => {
                media.set_storage(id, StorageStatus::TooBig, None, None, None, None)?;
            }
            Attempt::Retry(error) => {
                let wait = backoff(job.attempts + 1, 0.5).min(Duration::from_secs(60));
                tracing::warn!(%error, media = id, ?wait, "file download failed; will retry");
                let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
                store.file_jobs().retry_later(id, now + wait, error)?;
                return Ok(());
            }
            Attempt::Failed(error) => {
                tracing::error!(%error, media = id, "a file could not be stored");
                media.set_storage(id, StorageStatus::Failed, None, None, None, None)?;
                store.file_jobs().set_error(id, error)?;
            }
        }
        if let Some(receipt) = job.receipt_id {
            crate::receipts::refresh(store, deps, receipt, now)?;
        }
        Ok::<_, StoreError>(())
    })?;
    drop(store);
    deps.outbox_ready.notify_one();
    Ok(())
}
