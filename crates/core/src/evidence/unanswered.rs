//! Clients waiting for an answer: a client wrote (text or file) in an order and no staff
//! message has gone to that order's clients since. Staff answer an order, not one person (their
//! text reaches every connected client), so any staff message ends every wait in that order.

use chrono::{DateTime, Duration, Utc};

use crate::store::{Direction, TranscriptEntry};

/// A client waiting in one order, since their first unanswered message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Waiting {
    pub order_no: String,
    pub order_folder: String,
    pub client_id: i64,
    pub since: DateTime<Utc>,
}

/// How far back the app looks for waiting clients: older silences are not "waiting" any more
/// but lost, and the status page would only grow.
pub const LOOK_BACK: Duration = Duration::days(7);

/// Who is waiting after `entries` (time order; texts and files both ways, no edits), oldest
/// wait first.
pub fn waiting(entries: &[TranscriptEntry]) -> Vec<Waiting> {
    let mut open: Vec<Waiting> = Vec::new();
    for TranscriptEntry { entry, .. } in entries {
        if entry.edit_of.is_some() {
            continue;
        }
        match entry.direction {
            Direction::StaffToClient => open.retain(|w| w.order_no != entry.order_no),
            Direction::ClientToStaff => {
                let Some(client_id) = entry.author_id else {
                    continue;
                };
                let known = open
                    .iter()
                    .any(|w| w.order_no == entry.order_no && w.client_id == client_id);
                if !known {
                    open.push(Waiting {
                        order_no: entry.order_no.clone(),
                        order_folder: entry.order_folder.clone(),
                        client_id,
                        since: entry.at,
                    });
                }
            }
            Direction::System => {}
        }
    }
    open.sort_by_key(|w| w.since);
    open
}

/// Whether a wait is long enough for a notification; `minutes == 0` turns them off.
pub fn overdue(wait: &Waiting, now: DateTime<Utc>, minutes: u32) -> bool {
    minutes > 0 && now - wait.since >= Duration::minutes(i64::from(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::t;
    use crate::store::{EntryKind, NewEntry};

    fn said(id: i64, order: &str, at: i64, direction: Direction, author: i64) -> TranscriptEntry {
        let mut entry = NewEntry::new(order, order, t(at), direction, EntryKind::Text);
        entry.author_id = Some(author);
        TranscriptEntry { id, entry }
    }

    #[test]
    fn a_staff_message_in_the_order_ends_every_wait_there() {
        use Direction::{ClientToStaff as C, StaffToClient as S, System as Y};
        type Case = (
            &'static str,
            Vec<TranscriptEntry>,
            Vec<(&'static str, i64, i64)>,
        );
        let cases: &[Case] = &[
            ("nothing said", vec![], vec![]),
            (
                "one question",
                vec![said(1, "A", 10, C, 3)],
                vec![("A", 3, 10)],
            ),
            (
                "the first unanswered message counts",
                vec![said(1, "A", 10, C, 3), said(2, "A", 20, C, 3)],
                vec![("A", 3, 10)],
            ),
            (
                "answered",
                vec![said(1, "A", 10, C, 3), said(2, "A", 20, S, 2)],
                vec![],
            ),
            (
                "asked again after the answer",
                vec![
                    said(1, "A", 10, C, 3),
                    said(2, "A", 20, S, 2),
                    said(3, "A", 30, C, 3),
                ],
                vec![("A", 3, 30)],
            ),
            (
                "an answer in another order does not count",
                vec![said(1, "A", 10, C, 3), said(2, "B", 20, S, 2)],
                vec![("A", 3, 10)],
            ),
            (
                "system events are no answer",
                vec![said(1, "A", 10, C, 3), said(2, "A", 20, Y, 2)],
                vec![("A", 3, 10)],
            ),
            (
                "two clients, oldest first",
                vec![
                    said(1, "B", 10, C, 4),
                    said(2, "A", 20, C, 3),
                    said(3, "A", 25, C, 4),
                ],
                vec![("B", 4, 10), ("A", 3, 20), ("A", 4, 25)],
            ),
        ];
        for (name, entries, expected) in cases {
            let found: Vec<(String, i64, i64)> = waiting(entries)
                .iter()
                .map(|w| {
                    (
                        w.order_no.clone(),
                        w.client_id,
                        (w.since - t(0)).num_seconds(),
                    )
                })
                .collect();
            let expected: Vec<(String, i64, i64)> = expected
                .iter()
                .map(|(o, c, s)| ((*o).to_owned(), *c, *s))
                .collect();
            assert_eq!(found, expected, "{name}");
        }
    }

    #[test]
    fn overdue_after_the_minutes_and_never_when_off() {
        let wait = Waiting {
            order_no: "A".into(),
            order_folder: "A".into(),
            client_id: 3,
            since: t(0),
        };
        assert!(!overdue(&wait, t(14 * 60 + 59), 15));
        assert!(overdue(&wait, t(15 * 60), 15));
        assert!(!overdue(&wait, t(100 * 60), 0), "0 turns notifications off");
    }
}
