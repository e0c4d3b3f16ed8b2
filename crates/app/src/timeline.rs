//! An order's transcript as the window's timeline: core's `evidence::timeline` merges the
//! records; here they get names, words in the user's language and paths the window may ask
//! thumbnails for.

use std::collections::HashMap;
use std::path::Path;

use servicebot_core::config::FROM_CLIENT_FOLDER;
use servicebot_core::evidence::duration;
use servicebot_core::evidence::guard::relative_to_root;
use servicebot_core::evidence::timeline::{self, Body, Item, Sources};
use servicebot_core::orders::Order;
use servicebot_core::store::{
    ApprovalDecision, ApprovalRequest, AuditEvent, Direction, MediaKind, MediaRecord,
    StorageStatus, TranscriptEntry,
};
use servicebot_core::texts::{TextKey, Texts};

use crate::dto::{TimelineApproval, TimelineDto, TimelineItem, TimelineMedia, VersionDto};
use crate::{App, Result};

/// Everything recorded about one order, with the names of its people.
pub(crate) struct OrderRecords {
    pub entries: Vec<TranscriptEntry>,
    pub media: Vec<MediaRecord>,
    pub approvals: Vec<(ApprovalRequest, Vec<ApprovalDecision>)>,
    pub audit: Vec<AuditEvent>,
    pub names: HashMap<i64, String>,
}

impl OrderRecords {
    pub fn items(&self) -> Vec<Item> {
        timeline::build(Sources {
            entries: &self.entries,
            media: &self.media,
            approvals: &self.approvals,
            audit: &self.audit,
        })
    }

    pub fn name(&self, id: Option<i64>) -> String {
        id.map(|id| {
            self.names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        })
        .unwrap_or_default()
    }
}

pub(crate) fn side(direction: Direction) -> &'static str {
    match direction {
        Direction::StaffToClient => "staff",
        Direction::ClientToStaff => "client",
        Direction::System => "system",
    }
}

/// Whether the window can show a thumbnail of this file.
fn has_picture(media: &MediaRecord) -> bool {
    let m = &media.media;
    if m.storage != StorageStatus::Stored {
        return false;
    }
    match m.kind {
        MediaKind::Photo => true,
        MediaKind::Document => m.path.as_deref().is_some_and(|p| {
            let p = p.to_ascii_lowercase();
            [".jpg", ".jpeg", ".png"].iter().any(|e| p.ends_with(e))
        }),
        _ => false,
    }
}

/// The file name of a stored path (Windows or Unix separators).
pub(crate) fn file_name_of(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_owned()
}

/// What an audit event says, in words.
pub(crate) fn user_change_text(
    texts: &Texts,
    records: &OrderRecords,
    event: &AuditEvent,
) -> String {
    let details = if event.action == "set_level" {
        event
            .details
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse::<i64>().ok())
            .map(|n| texts.get(TextKey::LevelName, &[("level", n.into())]))
            .unwrap_or_else(|| event.details.clone())
    } else {
        event.details.clone()
    };
    let actor = match (event.actor_id, event.channel.as_str()) {
        (Some(id), _) => records.name(Some(id)),
        (None, "gui") => texts.get(TextKey::GuiActorGui, &[]),
        (None, _) => texts.get(TextKey::GuiActorCli, &[]),
    };
    texts.get(
        TextKey::PackUserChange,
        &[
            ("action", event.action.as_str().into()),
            ("details", details.into()),
            ("target", records.name(event.target_id).into()),
            ("actor", actor.into()),
        ],
    )
}

impl App {
    /// The records of `order` and the names of everyone in them.
    pub(crate) fn order_records(&self, order: &Order) -> Result<OrderRecords> {
        let store = self.store();
        let entries = store.transcript().by_order(&order.number)?;
        let media = store.media().by_order(&order.number)?;
        let approvals = store.approvals().by_order(&order.number)?;
        let mut people = timeline::people(&entries);
        people.extend(media.iter().map(|m| m.media.author_id));
        people.sort_unstable();
        people.dedup();
        let audit = store.audit().for_targets(&people)?;
        let mut names = HashMap::new();
        let actors = audit.iter().filter_map(|e| e.actor_id);
        let staff = approvals.iter().map(|(r, _)| r.staff_id);
        for id in people.iter().copied().chain(actors).chain(staff) {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id)
                && let Some(user) = store.users().get(id)?
            {
                slot.insert(user.name());
            }
        }
        Ok(OrderRecords {
            entries,
            media,
            approvals,
            audit,
            names,
        })
    }

    /// The title of the stage a file went to.
    pub(crate) fn stage_title(&self, texts: &Texts, folder: &str) -> String {
        if folder == FROM_CLIENT_FOLDER {
            return texts.get(TextKey::GuiStageFromClient, &[]);
        }
        self.config
            .stage(folder)
            .map_or_else(|| folder.to_owned(), |s| s.title.clone())
    }

    /// The order's timeline, oldest first.
    pub fn order_timeline(&self, folder: &str) -> Result<TimelineDto> {
        let order = self.open_order(folder)?;
        let records = self.order_records(&order)?;
        let texts = self.texts()?;
        let root = self.config.orders.root.clone();
        let items = records
            .items()
            .into_iter()
            .enumerate()
            .map(|(n, item)| self.timeline_item(n, &item, &records, &texts, &root))
            .collect();
        Ok(TimelineDto { items })
    }

    fn timeline_item(
        &self,
        n: usize,
        item: &Item,
        records: &OrderRecords,
        texts: &Texts,
        root: &Path,
    ) -> TimelineItem {
        let versions = |vs: &[timeline::Version]| {
            vs.iter()
                .map(|v| VersionDto {
                    at: v.at.to_rfc3339(),
                    text: v.text.clone(),
                })
                .collect::<Vec<_>>()
        };
        let mut out = TimelineItem {
            key: item
                .entry_id
                .map_or_else(|| format!("a{n}"), |id| format!("t{id}")),
            at: item.at.to_rfc3339(),
            side: side(item.direction).to_owned(),
            kind: String::new(),
            who: if item.direction == Direction::System {
                String::new()
            } else {
                records.name(item.author_id)
            },
            versions: Vec::new(),
            media: None,
            approval: None,
            event: None,
            failed: item.delivery == servicebot_core::store::Delivery::Failed,
        };
        match &item.body {
            Body::Text { versions: vs } => {
                out.kind = "text".into();
                out.versions = versions(vs);
            }
            Body::Media {
                media,
                versions: vs,
            } => {
                out.kind = "media".into();
                out.versions = versions(vs)
                    .into_iter()
                    .filter(|v| v.text.is_some())
                    .collect();
                out.media = media.as_ref().map(|record| {
                    let m = &record.media;
                    TimelineMedia {
                        media_id: record.id,
                        kind: m.kind.as_str().to_owned(),
                        kind_text: texts
                            .get(TextKey::MediaKind, &[("kind", m.kind.as_str().into())]),
                        name: m.path.as_deref().map(file_name_of),
                        thumbnail_path: has_picture(record)
                            .then_some(m.path.as_deref())
                            .flatten()
                            .and_then(|p| relative_to_root(root, Path::new(p))),
                        size: m.size.map(|s| u32::try_from(s).unwrap_or(u32::MAX)),
                        duration: m.duration_secs.map(duration::text),
                        stage: self.stage_title(texts, &m.stage_folder),
                        storage: m.storage.as_str().to_owned(),
                        relay: m.relay.as_str().to_owned(),
                    }
                });
            }
            Body::Approval {
                text,
                decision,
                request,
            } => {
                out.kind = "approval".into();
                out.versions = vec![VersionDto {
                    at: item.at.to_rfc3339(),
                    text: text.clone(),
                }];
                out.approval = decision.as_ref().map(|d| TimelineApproval {
                    decision: d.decision.as_str().to_owned(),
                    description: request
                        .as_ref()
                        .map(|r| r.description.clone())
                        .unwrap_or_default(),
                    phone: d.phone.display_full(),
                    decided_at: d.decided_at.to_rfc3339(),
                });
            }
            Body::Event { text } => {
                out.kind = "event".into();
                out.event = text.clone();
            }
            Body::UserChange(event) => {
                out.kind = "user_change".into();
                out.event = Some(user_change_text(texts, records, event));
            }
        }
        out
    }
}
