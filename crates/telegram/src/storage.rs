//! Storing incoming files: each recorded file is downloaded (or, from a local Bot API server,
//! copied from disk) and saved through the core media store; what became of it is recorded.
//! Files held in the spool while the orders folder was unreachable are moved into place later.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Local;
use servicebot_core::media_store::naming::{NameParts, file_name};
use servicebot_core::media_store::{Drained, Saved, Target};
use servicebot_core::store::{StorageStatus, Store};
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
    let mut unrecorded = UnrecordedPlacements::default();
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(10)) => {}
            _ = stop.changed() => return,
        }
        let media = deps.media.clone();
        let Ok(Ok(drained)) = tokio::task::spawn_blocking(move || media.drain_spool()).await else {
            continue;
        };
        let placed = drained.into_iter().filter_map(|drained| match drained {
            Drained::Placed { spool_id, path } => Some((spool_id, path)),
            Drained::StillHeld { .. } => None,
        });
        unrecorded.record(&deps.store(), placed);
    }
}

/// Spool files already moved into place whose media record does not name them yet.
///
/// Why: a file is spooled first and its media record learns the spool id a moment later, so a
/// drain can place a file between the two. Such a placement is kept and recorded on a later
/// round instead of leaving the record "held" forever.
#[derive(Debug, Default)]
pub(crate) struct UnrecordedPlacements {
    waiting: HashMap<String, (PathBuf, u32)>,
}

impl UnrecordedPlacements {
    /// Rounds (10 s each) a placement waits for its record before it is reported and dropped.
    const MAX_ROUNDS: u32 = 360;

    /// Records `placed` and every earlier placement whose record has appeared since.
    pub(crate) fn record(
        &mut self,
        store: &Store,
        placed: impl IntoIterator<Item = (String, PathBuf)>,
    ) {
        for (spool_id, path) in placed {
            self.waiting.insert(spool_id, (path, 0));
        }
        self.waiting.retain(|spool_id, (path, rounds)| {
            let path_text = path.to_string_lossy();
            let media = store.media();
            match media.by_spool_id(spool_id) {
                Ok(Some(record)) => {
                    if let Err(error) = media.mark_stored(record.id, &path_text) {
                        tracing::error!(%error, "cannot record a placed spool file");
                        return true;
                    }
                    false
                }
                Ok(None) if *rounds < Self::MAX_ROUNDS => {
                    *rounds += 1;
                    true
                }
                Ok(None) => {
                    tracing::error!(path = %path_text, "a placed spool file has no media record");
                    false
                }
                Err(error) => {
                    tracing::error!(%error, "cannot look up a placed spool file");
                    true
                }
            }
        });
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use servicebot_core::store::{MediaKind, NewMedia, RelayStatus, TelegramProfile};

    use super::*;

    fn spooled_photo(spool_id: &str) -> NewMedia {
        NewMedia {
            order_no: "ЗН-1".into(),
            order_folder: "ЗН-1".into(),
            stage_folder: "Приемка".into(),
            kind: MediaKind::Photo,
            storage: StorageStatus::Pending,
            path: None,
            spool_id: None,
            size: None,
            sha256: None,
            file_id: format!("file-{spool_id}"),
            file_unique_id: format!("uniq-{spool_id}"),
            author_id: 7,
            media_group_id: None,
            caption: None,
            relay: RelayStatus::Sent,
            created_at: Utc::now(),
        }
    }

    fn store_with_author() -> Store {
        let store = Store::open_in_memory().expect("store");
        let profile = TelegramProfile {
            telegram_id: 7,
            chat_id: 7,
            first_name: "Иван".into(),
            last_name: None,
            username: None,
        };
        store
            .users()
            .upsert_seen(&profile, Utc::now())
            .expect("user");
        store
    }

    #[test]
    fn a_file_placed_before_its_record_names_it_is_recorded_on_a_later_round() {
        let store = store_with_author();
        let id = store.media().insert(&spooled_photo("a")).expect("insert");
        let mut unrecorded = UnrecordedPlacements::default();

        unrecorded.record(
            &store,
            [("a".to_owned(), PathBuf::from("/orders/ЗН-1/a.jpg"))],
        );
        assert_eq!(unrecorded.len(), 1, "no record names the spool id yet");

        store
            .media()
            .set_storage(
                id,
                StorageStatus::Spooled,
                None,
                Some("a"),
                Some(3),
                Some("ab"),
            )
            .expect("spooled");
        unrecorded.record(&store, []);
        assert_eq!(unrecorded.len(), 0);
        let record = store.media().get(id).expect("get").expect("record");
        assert_eq!(record.media.storage, StorageStatus::Stored);
        assert_eq!(record.media.path.as_deref(), Some("/orders/ЗН-1/a.jpg"));
    }

    #[test]
    fn a_placement_whose_record_never_appears_is_dropped_in_the_end() {
        let store = store_with_author();
        let mut unrecorded = UnrecordedPlacements::default();
        unrecorded.record(
            &store,
            [("lost".to_owned(), PathBuf::from("/orders/x.jpg"))],
        );
        for _ in 0..UnrecordedPlacements::MAX_ROUNDS {
            assert_eq!(unrecorded.len(), 1);
            unrecorded.record(&store, []);
        }
        assert_eq!(unrecorded.len(), 0);
    }
}
