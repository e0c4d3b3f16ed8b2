//! Files held in the spool while the orders folder was unreachable are moved into place when
//! it is back, and their records updated (saving itself is the file jobs' work, `files.rs`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use servicebot_core::media_store::Drained;
use servicebot_core::store::Store;

use crate::context::BotDeps;

/// Moves spooled files into place when the orders folder is back, and records where they went.
pub async fn drain_spool_loop(
    deps: Arc<BotDeps>,
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut unrecorded = UnrecordedPlacements::default();
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
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
    use servicebot_core::store::{
        MediaKind, NewMedia, RelayStatus, StorageStatus, TelegramProfile,
    };

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
            duration_secs: None,
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
