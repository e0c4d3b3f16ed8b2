//! Storing incoming files: each recorded file is downloaded (or, from a local Bot API server,
//! copied from disk) and saved through the core media store; what became of it is recorded.
//! Files held in the spool while the orders folder was unreachable are moved into place later.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Local;
use servicebot_core::media_store::naming::{NameParts, file_name};
use servicebot_core::media_store::{Saved, Target};
use servicebot_core::store::StorageStatus;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::FileId;
use teloxide::{ApiError, RequestError};

use crate::context::BotDeps;
use crate::media::{IncomingMedia, MediaBot};

/// What became of one file.
pub(crate) enum FileOutcome {
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
    Failed(String),
}

impl FileOutcome {
    /// Records where the file of media record `media_id` ended up.
    pub(crate) fn record(
        &self,
        deps: &BotDeps,
        media_id: i64,
    ) -> Result<(), servicebot_core::store::StoreError> {
        let (storage, path, spool_id, size, sha256) = match self {
            FileOutcome::Stored { path, size, sha256 } => (
                StorageStatus::Stored,
                Some(path.as_str()),
                None,
                Some(*size),
                Some(sha256.as_str()),
            ),
            FileOutcome::Held {
                spool_id,
                size,
                sha256,
            } => (
                StorageStatus::Spooled,
                None,
                Some(spool_id.as_str()),
                Some(*size),
                Some(sha256.as_str()),
            ),
            FileOutcome::TooBig => (StorageStatus::TooBig, None, None, None, None),
            FileOutcome::Failed(reason) => {
                tracing::warn!(%reason, media_id, "a file could not be stored");
                (StorageStatus::Failed, None, None, None, None)
            }
        };
        deps.store()
            .media()
            .set_storage(media_id, storage, path, spool_id, size, sha256)?;
        Ok(())
    }
}

/// Downloads and saves each file of a recorded batch into `<order>/<stage>/`, named by SPEC
/// (taken-at time, author, position), and records where each ended up.
pub(crate) async fn save_batch(
    media_bot: &MediaBot,
    deps: &BotDeps,
    author: &str,
    (order_folder, stage_folder): (&str, &str),
    items: &[IncomingMedia],
    media_ids: &[i64],
) -> Result<Vec<FileOutcome>, servicebot_core::store::StoreError> {
    let mut outcomes = Vec::new();
    for (i, (item, media_id)) in items.iter().zip(media_ids).enumerate() {
        let name = file_name(&NameParts {
            taken_at: item.date.with_timezone(&Local).naive_local(),
            author,
            index: u32::try_from(i + 1).unwrap_or(u32::MAX),
            kind: item.kind,
            original_name: item.file_name.as_deref(),
            mime_type: item.mime_type.as_deref(),
        });
        let target = Target {
            order_folder: order_folder.to_owned(),
            stage_folder: stage_folder.to_owned(),
            file_name: name,
        };
        let outcome = download_and_save(media_bot, deps, item, target).await;
        outcome.record(deps, *media_id)?;
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

pub(crate) async fn download_and_save(
    media_bot: &MediaBot,
    deps: &BotDeps,
    item: &IncomingMedia,
    target: Target,
) -> FileOutcome {
    let file = match media_bot.0.get_file(FileId(item.file_id.clone())).await {
        Ok(file) => file,
        Err(RequestError::Api(ApiError::Unknown(text))) if text.contains("file is too big") => {
            return FileOutcome::TooBig;
        }
        Err(error) => return FileOutcome::Failed(error.to_string()),
    };
    let store = deps.media.clone();
    let saved = if Path::new(&file.path).is_absolute() {
        // A local Bot API server: the file is already on this machine.
        let path = std::path::PathBuf::from(&file.path);
        tokio::task::spawn_blocking(move || store.save_from_path(&target, &path)).await
    } else {
        let mut bytes = Vec::new();
        if let Err(error) = media_bot.0.download_file(&file.path, &mut bytes).await {
            return FileOutcome::Failed(error.to_string());
        }
        tokio::task::spawn_blocking(move || store.save(&target, &mut bytes.as_slice())).await
    };
    match saved {
        Ok(Ok(Saved::Stored { path, size, sha256 })) => FileOutcome::Stored {
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
            FileOutcome::Held {
                spool_id,
                size,
                sha256,
            }
        }
        Ok(Err(error)) => FileOutcome::Failed(error.to_string()),
        Err(error) => FileOutcome::Failed(error.to_string()),
    }
}

/// Moves spooled files into place when the orders folder is back, and records where they went.
pub async fn drain_spool_loop(deps: Arc<BotDeps>, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(10)) => {}
            _ = stop.changed() => return,
        }
        let media = deps.media.clone();
        let Ok(Ok(drained)) = tokio::task::spawn_blocking(move || media.drain_spool()).await else {
            continue;
        };
        for placed in drained {
            if let servicebot_core::media_store::Drained::Placed { spool_id, path } = placed {
                let store = deps.store();
                let record = store.media().by_spool_id(&spool_id);
                if let Ok(Some(record)) = record
                    && let Err(error) = store
                        .media()
                        .mark_stored(record.id, &path.to_string_lossy())
                {
                    tracing::error!(%error, "cannot record a placed spool file");
                }
            }
        }
    }
}
