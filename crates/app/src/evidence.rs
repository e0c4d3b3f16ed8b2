//! The evidence pack of an order ("Экспорт", `servicebot orders export`): every stored file is
//! hashed again and compared with the SHA-256 recorded when it was saved, thumbnails are
//! embedded, and core's `evidence::pack` writes the HTML. Also the order page's check of its
//! files.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Offset as _, Utc};
use servicebot_core::evidence::guard::relative_to_root;
use servicebot_core::evidence::pack::{
    self, FileCheck, FileDelivery, Pack, PackApproval, PackFile, PackLine, Side,
};
use servicebot_core::evidence::timeline::Body;
use servicebot_core::store::{Direction, FileRelay, MediaRecord, OutboxState, RelayStatus};
use servicebot_core::texts::{TextKey, Texts};
use sha2::{Digest, Sha256};

use crate::dto::{ExportDto, FileChecks, FileFlag};
use crate::thumbnails::jpeg_data_url;
use crate::timeline::{OrderRecords, file_name_of, user_change_text};
use crate::{App, AppError, ErrorCode, Result};

/// The SHA-256 of the file at `path`, streamed.
pub fn sha256_of(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// What the disk says about a recorded file now.
fn check(record: &MediaRecord) -> FileCheck {
    let m = &record.media;
    match (&m.path, &m.sha256) {
        (Some(path), Some(recorded)) => {
            let actual = sha256_of(Path::new(path)).ok();
            FileCheck::of(Some(recorded), actual.as_deref())
        }
        _ => FileCheck::NotStored,
    }
}

fn reason_text(texts: &Texts, reason: Option<&str>) -> String {
    let key = match reason {
        Some("blocked") => TextKey::ReasonBlockedBot,
        Some("undeliverable") => TextKey::ReasonUndeliverable,
        _ => TextKey::ReasonRefused,
    };
    texts.get(key, &[])
}

impl App {
    /// Hashes every stored file of the order `folder` and reports the ones that no longer
    /// match their record. Reads every file: call off the async threads.
    pub fn check_order_files(&self, folder: &str) -> Result<FileChecks> {
        let order = self.open_order(folder)?;
        let media = self.store().media().by_order(&order.number)?;
        let mut checked = 0;
        let mut flagged = Vec::new();
        for record in &media {
            let result = check(record);
            if result != FileCheck::NotStored {
                checked += 1;
            }
            let code = match result {
                FileCheck::Changed { .. } => "changed",
                FileCheck::Missing => "missing",
                _ => continue,
            };
            flagged.push(FileFlag {
                media_id: record.id,
                check: code.to_owned(),
                name: record
                    .media
                    .path
                    .as_deref()
                    .map(file_name_of)
                    .unwrap_or_default(),
            });
        }
        Ok(FileChecks { checked, flagged })
    }

    /// The evidence pack of the order `folder` as HTML, made at `now`.
    pub fn evidence_pack(&self, folder: &str, now: DateTime<Utc>) -> Result<(String, Pack)> {
        let order = self.open_order(folder)?;
        let records = self.order_records(&order)?;
        let texts = self.texts()?;
        let relays = self.store().media().relays_of_order(&order.number)?;
        let order_dir = self.config.orders.root.join(&order.folder);
        let files = records
            .media
            .iter()
            .map(|record| self.pack_file(record, &records, &relays, &texts, &order_dir))
            .collect();
        let lines = pack_lines(&records, &texts);
        let approvals = records
            .approvals
            .iter()
            .flat_map(|(request, decisions)| {
                decisions.iter().map(|d| PackApproval {
                    description: request.description.clone(),
                    client: records.name(Some(d.client_id)),
                    phone: d.phone.display_full(),
                    decision: d.decision,
                    decided_at: d.decided_at,
                })
            })
            .collect();
        let pack = Pack {
            organization: self.config.organization.name.clone(),
            order_no: order.number.clone(),
            folder: order.folder.clone(),
            created: order.date,
            generated_at: now,
            files,
            lines,
            approvals,
        };
        let offset = now.with_timezone(&Local).offset().fix();
        Ok((pack::render(&pack, &texts, offset), pack))
    }

    fn pack_file(
        &self,
        record: &MediaRecord,
        records: &OrderRecords,
        relays: &[FileRelay],
        texts: &Texts,
        order_dir: &Path,
    ) -> PackFile {
        let m = &record.media;
        let check = check(record);
        let thumbnail = (check == FileCheck::Matches)
            .then_some(m.path.as_deref())
            .flatten()
            .and_then(|p| relative_to_root(&self.config.orders.root, Path::new(p)))
            .and_then(|relative| self.thumbnail_jpeg(&relative).ok())
            .map(|jpeg| jpeg_data_url(&jpeg));
        let mut deliveries: Vec<FileDelivery> = Vec::new();
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for relay in relays.iter().filter(|r| r.media_id == record.id) {
            let to = records.name(Some(relay.chat_id));
            let delivery = match relay.state {
                OutboxState::Sent => FileDelivery::Delivered {
                    to,
                    at: relay.finished_at,
                },
                OutboxState::Pending => FileDelivery::None {
                    reason: format!("{to}: {}", texts.get(TextKey::PackDeliveryPending, &[])),
                },
                _ => FileDelivery::NotDelivered {
                    to,
                    reason: reason_text(texts, relay.reason.as_deref()),
                },
            };
            // One line per recipient: an album's follow-up message does not repeat it.
            match seen.get(&relay.chat_id) {
                Some(_) => {}
                None => {
                    seen.insert(relay.chat_id, deliveries.len());
                    deliveries.push(delivery);
                }
            }
        }
        if deliveries.is_empty() {
            let key = match m.relay {
                RelayStatus::Internal => Some(TextKey::PackInternal),
                RelayStatus::NoClient => Some(TextKey::PackNoClient),
                RelayStatus::FromClient => Some(TextKey::PackFromClient),
                RelayStatus::Pending => Some(TextKey::PackDeliveryPending),
                RelayStatus::Sent | RelayStatus::Failed => None,
            };
            deliveries.push(match (key, m.relay) {
                (Some(key), _) => FileDelivery::None {
                    reason: texts.get(key, &[]),
                },
                (None, RelayStatus::Sent) => FileDelivery::Delivered {
                    to: String::new(),
                    at: None,
                },
                (None, _) => FileDelivery::NotDelivered {
                    to: String::new(),
                    reason: texts.get(TextKey::ReasonRefused, &[]),
                },
            });
        }
        PackFile {
            link: m
                .path
                .as_deref()
                .and_then(|p| relative_to_root(order_dir, Path::new(p))),
            name: m
                .path
                .as_deref()
                .map(file_name_of)
                .unwrap_or_else(|| texts.get(TextKey::PackNotStored, &[])),
            stage: self.stage_title(texts, &m.stage_folder),
            kind: m.kind,
            size: m.size,
            duration_secs: m.duration_secs,
            at: m.created_at,
            author: records.name(Some(m.author_id)),
            recorded_sha256: m.sha256.clone(),
            check,
            deliveries,
            caption: m.caption.clone(),
            thumbnail,
        }
    }

    /// Writes the order's evidence pack to `out`, or into the order folder as
    /// `ServiceBot-<order>-<YYYY-MM-DD>.html`.
    pub fn export_order(
        &self,
        folder: &str,
        out: Option<&Path>,
        now: DateTime<Utc>,
    ) -> Result<ExportDto> {
        let (html, pack) = self.evidence_pack(folder, now)?;
        let write_error = |e: servicebot_core::media_store::MediaStoreError| {
            AppError::new(ErrorCode::Storage, e.to_string())
        };
        let path: PathBuf = match out {
            Some(path) => {
                servicebot_core::media_store::write_file(path, html.as_bytes())
                    .map_err(write_error)?;
                path.to_owned()
            }
            None => {
                let name = pack::file_name(&pack.order_no, now.with_timezone(&Local).date_naive());
                servicebot_core::media_store::write_into_order(
                    &self.config.orders.root,
                    &pack.folder,
                    &name,
                    html.as_bytes(),
                )
                .map_err(write_error)?
            }
        };
        tracing::info!(order = %pack.order_no, path = %path.display(), "evidence pack written");
        Ok(ExportDto {
            path: path.display().to_string(),
            files: u32::try_from(pack.files.len()).unwrap_or(u32::MAX),
            flagged: u32::try_from(pack.files.iter().filter(|f| f.check.is_flagged()).count())
                .unwrap_or(u32::MAX),
        })
    }
}

/// The messages and events of the pack, in time order.
fn pack_lines(records: &OrderRecords, texts: &Texts) -> Vec<PackLine> {
    records
        .items()
        .iter()
        .map(|item| {
            let (side, direction) = match item.direction {
                Direction::StaffToClient => (Side::Staff, "staff"),
                Direction::ClientToStaff => (Side::Client, "client"),
                Direction::System => (Side::System, "system"),
            };
            let who = texts.get(
                TextKey::TranscriptWho,
                &[
                    ("direction", direction.into()),
                    ("name", records.name(item.author_id).into()),
                ],
            );
            let versions: Vec<String> = match &item.body {
                Body::Text { versions } => versions
                    .iter()
                    .map(|v| v.text.clone().unwrap_or_default())
                    .collect(),
                Body::Media { media, versions } => {
                    let kind = media.as_ref().map_or_else(String::new, |m| {
                        texts.get(
                            TextKey::MediaKind,
                            &[("kind", m.media.kind.as_str().into())],
                        )
                    });
                    let name = media
                        .as_ref()
                        .and_then(|m| m.media.path.as_deref())
                        .map_or_else(
                            || texts.get(TextKey::TranscriptNotStored, &[]),
                            file_name_of,
                        );
                    let file = texts.get(
                        TextKey::TranscriptMedia,
                        &[("kind", kind.into()), ("path", name.into())],
                    );
                    let captions: Vec<String> =
                        versions.iter().filter_map(|v| v.text.clone()).collect();
                    if captions.is_empty() {
                        vec![file]
                    } else {
                        captions.iter().map(|c| format!("{file} — {c}")).collect()
                    }
                }
                Body::Approval { text, .. } | Body::Event { text } => {
                    vec![text.clone().unwrap_or_default()]
                }
                Body::UserChange(event) => vec![user_change_text(texts, records, event)],
            };
            PackLine {
                at: item.at,
                side,
                who,
                versions,
                failed: item.delivery == servicebot_core::store::Delivery::Failed,
            }
        })
        .collect()
}
