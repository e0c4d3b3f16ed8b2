//! An order's timeline: the transcript's entries, its files, the clients' approval decisions
//! and the changes made to its people (level, blocking) merged in time order. An edit is a new
//! version of the message it edits, never an entry of its own.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::store::{
    ApprovalDecision, ApprovalRequest, AuditEvent, Delivery, Direction, EntryKind, MediaRecord,
    TranscriptEntry,
};

/// One version of a message's text (the first is the original).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub at: DateTime<Utc>,
    pub text: Option<String>,
}

/// What a timeline item is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A text message; edits follow the original.
    Text { versions: Vec<Version> },
    /// A file, with its caption's versions (an edited caption).
    Media {
        media: Option<MediaRecord>,
        versions: Vec<Version>,
    },
    /// A client's decision on recommended work, with the request it answers.
    Approval {
        text: Option<String>,
        decision: Option<ApprovalDecision>,
        request: Option<ApprovalRequest>,
    },
    /// Something that happened: a client connected, a delivery failed, a decision fixed.
    Event { text: Option<String> },
    /// A person of the order was changed (level, name, blocked) — from the audit record.
    UserChange(AuditEvent),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The transcript entry, when the item is one.
    pub entry_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub direction: Direction,
    pub author_id: Option<i64>,
    pub delivery: Delivery,
    pub body: Body,
}

/// Everything recorded about one order.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// In time order (`Transcript::by_order`).
    pub entries: &'a [TranscriptEntry],
    pub media: &'a [MediaRecord],
    pub approvals: &'a [(ApprovalRequest, Vec<ApprovalDecision>)],
    /// Changes to the order's people.
    pub audit: &'a [AuditEvent],
}

/// The ids of everyone who appears in the order's transcript.
pub fn people(entries: &[TranscriptEntry]) -> Vec<i64> {
    let mut ids: Vec<i64> = entries.iter().filter_map(|e| e.entry.author_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The timeline, oldest first.
pub fn build(sources: Sources<'_>) -> Vec<Item> {
    let media: HashMap<i64, &MediaRecord> = sources.media.iter().map(|m| (m.id, m)).collect();
    let mut decisions: Vec<(&ApprovalRequest, &ApprovalDecision, bool)> = sources
        .approvals
        .iter()
        .flat_map(|(request, ds)| ds.iter().map(move |d| (request, d, false)))
        .collect();
    let mut items: Vec<Item> = Vec::with_capacity(sources.entries.len() + sources.audit.len());
    // Transcript id → the item it became (edits point at their original, or at an edit).
    let mut item_of: HashMap<i64, usize> = HashMap::new();
    for TranscriptEntry { id, entry } in sources.entries {
        if let Some(original) = entry.edit_of.and_then(|o| item_of.get(&o).copied()) {
            let version = Version {
                at: entry.at,
                text: entry.text.clone(),
            };
            if let Body::Text { versions } | Body::Media { versions, .. } =
                &mut items[original].body
            {
                versions.push(version);
                item_of.insert(*id, original);
                continue;
            }
        }
        let first = vec![Version {
            at: entry.at,
            text: entry.text.clone(),
        }];
        let body = match entry.kind {
            EntryKind::Text => Body::Text { versions: first },
            EntryKind::Media => Body::Media {
                media: entry
                    .media_id
                    .and_then(|m| media.get(&m).map(|r| (*r).clone())),
                versions: first,
            },
            EntryKind::Approval => {
                // The decision recorded in the same moment by the same client.
                let found = decisions.iter_mut().find(|(_, d, used)| {
                    !used && Some(d.client_id) == entry.author_id && d.decided_at == entry.at
                });
                let (decision, request) = match found {
                    Some((request, decision, used)) => {
                        *used = true;
                        (Some((*decision).clone()), Some((*request).clone()))
                    }
                    None => (None, None),
                };
                Body::Approval {
                    text: entry.text.clone(),
                    decision,
                    request,
                }
            }
            EntryKind::Event => Body::Event {
                text: entry.text.clone(),
            },
        };
        item_of.insert(*id, items.len());
        items.push(Item {
            entry_id: Some(*id),
            at: entry.at,
            direction: entry.direction,
            author_id: entry.author_id,
            delivery: entry.delivery,
            body,
        });
    }
    for event in sources.audit {
        items.push(Item {
            entry_id: None,
            at: event.at,
            direction: Direction::System,
            author_id: event.actor_id,
            delivery: Delivery::NotApplicable,
            body: Body::UserChange(event.clone()),
        });
    }
    // Stable: entries keep their recorded order within one millisecond.
    items.sort_by_key(|item| item.at);
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::Phone;
    use crate::store::test_support::t;
    use crate::store::{Decision, MediaKind, NewEntry, NewMedia, RelayStatus, StorageStatus};

    fn photo(order_no: &str, seconds: i64) -> NewMedia {
        NewMedia {
            order_no: order_no.into(),
            order_folder: order_no.into(),
            stage_folder: "Inspection".into(),
            kind: MediaKind::Photo,
            storage: StorageStatus::Stored,
            path: Some(format!("/photo/{order_no}/Inspection/a.jpg")),
            spool_id: None,
            size: Some(1234),
            sha256: Some("ab".repeat(32)),
            file_id: format!("file-{seconds}"),
            file_unique_id: format!("uniq-{seconds}"),
            author_id: 2,
            media_group_id: None,
            caption: Some("Колодки".into()),
            relay: RelayStatus::Sent,
            created_at: t(seconds),
            duration_secs: None,
        }
    }

    fn entry(
        id: i64,
        at: i64,
        direction: Direction,
        kind: EntryKind,
        text: &str,
    ) -> TranscriptEntry {
        let mut e = NewEntry::new("ЗН-1", "ЗН-1", t(at), direction, kind);
        e.text = Some(text.to_owned());
        e.author_id = Some(if direction == Direction::StaffToClient {
            2
        } else {
            3
        });
        TranscriptEntry { id, entry: e }
    }

    #[test]
    fn edits_are_versions_and_everything_is_in_time_order() {
        let mut edited = entry(3, 30, Direction::ClientToStaff, EntryKind::Text, "Сколько?");
        edited.entry.edit_of = Some(2);
        let mut edited_again = entry(
            5,
            50,
            Direction::ClientToStaff,
            EntryKind::Text,
            "Сколько стоит?!",
        );
        edited_again.entry.edit_of = Some(3);
        let mut with_photo = entry(4, 40, Direction::StaffToClient, EntryKind::Media, "Колодки");
        with_photo.entry.media_id = Some(7);
        let entries = vec![
            entry(
                1,
                10,
                Direction::StaffToClient,
                EntryKind::Text,
                "Здравствуйте",
            ),
            entry(2, 20, Direction::ClientToStaff, EntryKind::Text, "Скoлько"),
            edited,
            with_photo,
            edited_again,
        ];
        let photo = MediaRecord {
            id: 7,
            media: photo("ЗН-1", 40),
        };
        let audit = vec![AuditEvent {
            at: t(25),
            actor_id: Some(1),
            channel: "telegram".into(),
            action: "set_level".into(),
            target_id: Some(3),
            details: "level 2".into(),
        }];
        let items = build(Sources {
            entries: &entries,
            media: std::slice::from_ref(&photo),
            approvals: &[],
            audit: &audit,
        });
        let at: Vec<i64> = items.iter().map(|i| (i.at - t(0)).num_seconds()).collect();
        assert_eq!(
            at,
            vec![10, 20, 25, 40],
            "edits fold into the message they edit"
        );
        let Body::Text { versions } = &items[1].body else {
            panic!("a text: {:?}", items[1]);
        };
        let texts: Vec<_> = versions.iter().map(|v| v.text.as_deref()).collect();
        assert_eq!(
            texts,
            vec![Some("Скoлько"), Some("Сколько?"), Some("Сколько стоит?!")]
        );
        assert!(matches!(&items[2].body, Body::UserChange(e) if e.target_id == Some(3)));
        assert!(matches!(&items[3].body, Body::Media { media: Some(m), .. } if m.id == 7));
    }

    #[test]
    fn approvals_carry_the_decision_recorded_with_them() {
        let phone = Phone::normalize("89123456789", "7").expect("phone");
        let request = ApprovalRequest {
            id: 1,
            order_no: "ЗН-1".into(),
            order_folder: "ЗН-1".into(),
            staff_id: 2,
            description: "Замена колодок — 4 500 ₽".into(),
            created_at: t(5),
            closed_at: None,
        };
        let decision = |id, at, decision| ApprovalDecision {
            id,
            request_id: 1,
            client_id: 3,
            phone: phone.clone(),
            decision,
            decided_at: t(at),
        };
        let approvals = vec![(
            request,
            vec![
                decision(1, 10, Decision::Approve),
                decision(2, 20, Decision::Decline),
            ],
        )];
        let entries = vec![
            entry(
                1,
                10,
                Direction::ClientToStaff,
                EntryKind::Approval,
                "Согласовано",
            ),
            entry(
                2,
                20,
                Direction::ClientToStaff,
                EntryKind::Approval,
                "Отказ",
            ),
        ];
        let items = build(Sources {
            entries: &entries,
            media: &[],
            approvals: &approvals,
            audit: &[],
        });
        let decided: Vec<_> = items
            .iter()
            .map(|i| match &i.body {
                Body::Approval {
                    decision: Some(d),
                    request: Some(r),
                    ..
                } => (d.decision, r.description.clone()),
                other => panic!("an approval with its decision: {other:?}"),
            })
            .collect();
        assert_eq!(decided[0].0, Decision::Approve);
        assert_eq!(
            decided[1].0,
            Decision::Decline,
            "each entry its own decision"
        );
        assert_eq!(people(&entries), vec![3]);
    }
}
