//! Where a client's message goes: to which of their open orders it belongs, and which staff
//! chats receive it. Pure rules over plain data; the adapter reads the transcript, the staff
//! sessions and the users from the store, calls these, and sends.

use std::cmp::Reverse;

use chrono::{DateTime, Duration, Utc};

use crate::orders::Order;
use crate::store::{Direction, Level, NewEntry, User};

/// How far back "staff who worked on the order" looks.
pub const RECENT_STAFF_DAYS: i64 = 7;

/// One of a client's open orders with its latest transcript activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderActivity<'a> {
    pub order: &'a Order,
    /// The time of the order's newest transcript entry; `None` when it has none.
    pub last_activity: Option<DateTime<Utc>>,
}

/// The order a client's message belongs to: the one with the latest transcript activity. On a
/// tie, or when no order has any, the newest order (latest `created`, then the smaller folder
/// name) — the order the phone directory lists first. `None` when the client has no open order.
/// The result does not depend on the order of `orders`.
pub fn current_order<'a>(orders: &[OrderActivity<'a>]) -> Option<&'a Order> {
    orders
        .iter()
        .max_by(|a, b| rank(a).cmp(&rank(b)))
        .map(|a| a.order)
}

fn rank<'a>(a: &OrderActivity<'a>) -> (Option<DateTime<Utc>>, DateTime<Utc>, Reverse<&'a str>) {
    let order: &'a Order = a.order;
    (
        a.last_activity,
        order.created,
        Reverse(order.folder.as_str()),
    )
}

/// One transcript entry of the order, as routing sees it: only staff-to-client entries with an
/// author count (a staff member's text or media to the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffActivity {
    pub author_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub direction: Direction,
}

impl StaffActivity {
    /// The staff member who wrote this entry to the client, if it is one.
    fn staff_author(&self) -> Option<i64> {
        match self.direction {
            Direction::StaffToClient => self.author_id,
            Direction::ClientToStaff | Direction::System => None,
        }
    }
}

impl From<&NewEntry> for StaffActivity {
    fn from(entry: &NewEntry) -> Self {
        Self {
            author_id: entry.author_id,
            at: entry.at,
            direction: entry.direction,
        }
    }
}

/// A user who might receive the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub active: bool,
    pub level: Level,
}

impl Candidate {
    fn is_active_staff(&self) -> bool {
        self.active && self.level.is_staff()
    }

    fn is_active_admin(&self) -> bool {
        self.active && self.level == Level::Admin
    }
}

impl From<&User> for Candidate {
    fn from(user: &User) -> Self {
        Self {
            id: user.telegram_id,
            active: user.active,
            level: user.level,
        }
    }
}

/// What the store knows about who works on an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderStaff<'a> {
    /// The order's transcript, oldest first (as `Transcript::by_order` returns it).
    pub transcript: &'a [StaffActivity],
    /// Staff members whose current order it is (`StaffSessions::in_order`), in that order.
    pub in_order: &'a [i64],
}

impl OrderStaff<'_> {
    /// The staff members who wrote to the client there, newest first: each time they wrote.
    fn writers(&self) -> impl Iterator<Item = (i64, DateTime<Utc>)> + '_ {
        self.transcript
            .iter()
            .rev()
            .filter_map(|e| e.staff_author().map(|id| (id, e.at)))
    }

    /// The ids [`recipients`] may look at, without repeats: the users the adapter must load
    /// (together with every active admin) into its `users`.
    pub fn users_needed(&self, now: DateTime<Utc>) -> Vec<i64> {
        let since = now - Duration::days(RECENT_STAFF_DAYS);
        let last = self.writers().next().map(|(id, _)| id);
        let recent = self
            .writers()
            .filter(|(_, at)| *at >= since)
            .map(|(id, _)| id);
        let mut ids = Vec::new();
        for id in last
            .into_iter()
            .chain(recent)
            .chain(self.in_order.iter().copied())
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }
}

/// Who receives a client's message, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    /// The staff member who last wrote or sent media to the client in the order, still active
    /// staff.
    LastWriter(i64),
    /// Active staff who worked on the order in the last [`RECENT_STAFF_DAYS`] days: those who
    /// wrote there (the latest writer first), then those who have it as their current order.
    RecentStaff(Vec<i64>),
    /// Nobody works on it: every active admin, by Telegram id. May be empty (nobody to tell).
    Admins(Vec<i64>),
}

impl Recipients {
    /// The Telegram ids to send to, in order.
    pub fn ids(&self) -> &[i64] {
        match self {
            Self::LastWriter(id) => std::slice::from_ref(id),
            Self::RecentStaff(ids) | Self::Admins(ids) => ids,
        }
    }
}

/// Who gets a client's message in an order: the staff member who last wrote or sent media to
/// the client there, if still active staff; else every active staff member who worked on the
/// order in the last [`RECENT_STAFF_DAYS`] days (wrote there, or has it as their current
/// order), each once; else every active admin.
///
/// `users` holds at least the users [`OrderStaff::users_needed`] names and every active admin;
/// an id missing from it is an unknown user and skipped. Blocked (`active = false`) and demoted
/// (now a client) users are skipped.
pub fn recipients(staff: &OrderStaff<'_>, users: &[Candidate], now: DateTime<Utc>) -> Recipients {
    let find = |id: i64| users.iter().find(|u| u.id == id);
    // Only the latest writer is asked here: if they left, the order's recent staff take over.
    if let Some((id, _)) = staff.writers().next()
        && find(id).is_some_and(Candidate::is_active_staff)
    {
        return Recipients::LastWriter(id);
    }
    let since = now - Duration::days(RECENT_STAFF_DAYS);
    let worked = staff
        .writers()
        .filter(|(_, at)| *at >= since)
        .map(|(id, _)| id)
        .chain(staff.in_order.iter().copied());
    let mut recent = Vec::new();
    for id in worked {
        if !recent.contains(&id) && find(id).is_some_and(Candidate::is_active_staff) {
            recent.push(id);
        }
    }
    if !recent.is_empty() {
        return Recipients::RecentStaff(recent);
    }
    let mut admins: Vec<i64> = users
        .iter()
        .filter(|u| u.is_active_admin())
        .map(|u| u.id)
        .collect();
    admins.sort_unstable();
    admins.dedup();
    Recipients::Admins(admins)
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use chrono::TimeZone;

    use super::*;
    use crate::orders::DateSource;

    /// Orders `a` before `b` when it is the better current order: the rule stated as a sort.
    fn better(a: &OrderActivity<'_>, b: &OrderActivity<'_>) -> Ordering {
        rank(b).cmp(&rank(a))
    }

    /// A case: its name, the client's open orders, the folder chosen.
    type OrderCase<'a> = (&'static str, Vec<OrderActivity<'a>>, Option<&'static str>);
    /// A case: its name, the transcript, the order's staff, the users, the recipients.
    type RecipientCase = (
        &'static str,
        Vec<StaffActivity>,
        Vec<i64>,
        Vec<Candidate>,
        Recipients,
    );

    fn t(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 10, 12, 0, 0)
            .single()
            .expect("a valid time")
            + Duration::hours(hours)
    }

    fn order(folder: &str, created_hours: i64) -> Order {
        Order {
            folder: folder.to_owned(),
            number: folder.to_owned(),
            plate: None,
            created: t(created_hours),
            date: t(created_hours).date_naive(),
            date_source: DateSource::FirstSeen,
        }
    }

    #[test]
    fn current_order_is_the_most_recently_active_else_the_newest() {
        let a = order("ЗН-1", -300); // the oldest
        let b = order("ЗН-2", -200);
        let c = order("ЗН-3", -100); // the newest
        let c_twin = order("ЗН-0", -100); // created together with ЗН-3, smaller name
        let act = |order, hours: Option<i64>| OrderActivity {
            order,
            last_activity: hours.map(t),
        };
        let cases: Vec<OrderCase<'_>> = vec![
            ("no open order", vec![], None),
            ("one order, no activity", vec![act(&a, None)], Some("ЗН-1")),
            (
                "the latest activity wins over a newer order",
                vec![act(&c, Some(-5)), act(&b, Some(-1)), act(&a, Some(-3))],
                Some("ЗН-2"),
            ),
            (
                "an order with activity beats one without",
                vec![act(&c, None), act(&a, Some(-50))],
                Some("ЗН-1"),
            ),
            (
                "no activity anywhere: the newest order",
                vec![act(&a, None), act(&c, None), act(&b, None)],
                Some("ЗН-3"),
            ),
            (
                "a tie in activity: the newer order",
                vec![act(&a, Some(-2)), act(&b, Some(-2)), act(&c, Some(-9))],
                Some("ЗН-2"),
            ),
            (
                "created together: the smaller folder name, as the directory lists them",
                vec![act(&c, None), act(&c_twin, None)],
                Some("ЗН-0"),
            ),
        ];
        for (case, orders, expected) in cases {
            let chosen = current_order(&orders).map(|o| o.folder.as_str());
            assert_eq!(chosen, expected, "{case}");
            let mut reversed = orders.clone();
            reversed.reverse();
            let chosen = current_order(&reversed).map(|o| o.folder.as_str());
            assert_eq!(chosen, expected, "{case}: the input order does not matter");
            let mut sorted = orders.clone();
            sorted.sort_by(better);
            assert_eq!(
                sorted.first().map(|o| o.order.folder.as_str()),
                expected,
                "{case}: the rule is a sort"
            );
        }
    }

    const IVAN: i64 = 10;
    const OLEG: i64 = 11;
    const PETR: i64 = 12;
    const ADMIN: i64 = 1;
    const ADMIN_2: i64 = 2;
    const CLIENT: i64 = 100;

    fn wrote(author: i64, hours: i64) -> StaffActivity {
        StaffActivity {
            author_id: Some(author),
            at: t(hours),
            direction: Direction::StaffToClient,
        }
    }

    fn client_wrote(hours: i64) -> StaffActivity {
        StaffActivity {
            author_id: Some(CLIENT),
            at: t(hours),
            direction: Direction::ClientToStaff,
        }
    }

    fn user(id: i64, level: Level, active: bool) -> Candidate {
        Candidate { id, active, level }
    }

    fn everyone() -> Vec<Candidate> {
        vec![
            user(ADMIN_2, Level::Admin, true),
            user(ADMIN, Level::Admin, true),
            user(IVAN, Level::Staff, true),
            user(OLEG, Level::Staff, true),
            user(PETR, Level::Staff, true),
            user(CLIENT, Level::Client, true),
        ]
    }

    /// `everyone()` with `id` changed.
    fn with(id: i64, level: Level, active: bool) -> Vec<Candidate> {
        let mut users = everyone();
        users.retain(|u| u.id != id);
        users.push(user(id, level, active));
        users
    }

    #[test]
    fn recipients_follow_the_last_writer_then_recent_staff_then_admins() {
        let days = |d: i64| d * 24;
        let now = t(0);
        let cases: Vec<RecipientCase> = vec![
            (
                "the staff member who last wrote, alone",
                vec![wrote(IVAN, -5), wrote(OLEG, -3), client_wrote(-1)],
                vec![PETR],
                everyone(),
                Recipients::LastWriter(OLEG),
            ),
            (
                "the last writer even when they wrote long ago",
                vec![wrote(IVAN, -days(30)), client_wrote(-1)],
                vec![OLEG],
                everyone(),
                Recipients::LastWriter(IVAN),
            ),
            (
                "an admin who wrote counts as staff",
                vec![wrote(IVAN, -5), wrote(ADMIN, -3)],
                vec![],
                everyone(),
                Recipients::LastWriter(ADMIN),
            ),
            (
                "client and system entries are not writing to the client",
                vec![
                    wrote(IVAN, -5),
                    client_wrote(-2),
                    StaffActivity {
                        author_id: Some(OLEG),
                        at: t(-1),
                        direction: Direction::System,
                    },
                ],
                vec![],
                everyone(),
                Recipients::LastWriter(IVAN),
            ),
            (
                "an entry without an author is skipped",
                vec![
                    wrote(IVAN, -5),
                    StaffActivity {
                        author_id: None,
                        at: t(-1),
                        direction: Direction::StaffToClient,
                    },
                ],
                vec![],
                everyone(),
                Recipients::LastWriter(IVAN),
            ),
            (
                "the last writer blocked: recent writers newest first, then the order's staff",
                vec![
                    wrote(PETR, -days(2)),
                    wrote(IVAN, -days(1)),
                    wrote(OLEG, -3),
                ],
                vec![PETR, ADMIN],
                with(OLEG, Level::Staff, false),
                Recipients::RecentStaff(vec![IVAN, PETR, ADMIN]),
            ),
            (
                "the last writer demoted to client: the same as blocked",
                vec![wrote(IVAN, -days(1)), wrote(OLEG, -3)],
                vec![],
                with(OLEG, Level::Client, true),
                Recipients::RecentStaff(vec![IVAN]),
            ),
            (
                "the last writer unknown: the same as blocked",
                vec![wrote(IVAN, -days(1)), wrote(77, -3)],
                vec![],
                everyone(),
                Recipients::RecentStaff(vec![IVAN]),
            ),
            (
                "writers older than seven days do not count, exactly seven days do",
                vec![
                    wrote(PETR, -days(7) - 1),
                    wrote(IVAN, -days(7)),
                    wrote(OLEG, -1),
                ],
                vec![],
                with(OLEG, Level::Staff, false),
                Recipients::RecentStaff(vec![IVAN]),
            ),
            (
                "nobody wrote: staff with the order as their current order, as listed",
                vec![client_wrote(-1)],
                vec![PETR, IVAN],
                everyone(),
                Recipients::RecentStaff(vec![PETR, IVAN]),
            ),
            (
                "each once: wrote several times and has the order open",
                vec![
                    wrote(IVAN, -days(3)),
                    wrote(PETR, -days(2)),
                    wrote(IVAN, -days(1)),
                    wrote(OLEG, -1),
                ],
                vec![PETR, IVAN, OLEG],
                with(OLEG, Level::Staff, false),
                Recipients::RecentStaff(vec![IVAN, PETR]),
            ),
            (
                "blocked and demoted staff in the order are skipped",
                vec![],
                vec![OLEG, PETR, IVAN],
                {
                    let mut users = with(OLEG, Level::Staff, false);
                    users.retain(|u| u.id != PETR);
                    users.push(user(PETR, Level::Client, true));
                    users
                },
                Recipients::RecentStaff(vec![IVAN]),
            ),
            (
                "nobody works on it: every active admin, by id",
                vec![client_wrote(-1)],
                vec![],
                everyone(),
                Recipients::Admins(vec![ADMIN, ADMIN_2]),
            ),
            (
                "staff gone: admins, a blocked admin skipped",
                vec![wrote(PETR, -days(10)), wrote(OLEG, -1)],
                vec![OLEG],
                {
                    let mut users = with(OLEG, Level::Staff, false);
                    users.retain(|u| u.id != ADMIN_2);
                    users.push(user(ADMIN_2, Level::Admin, false));
                    users
                },
                Recipients::Admins(vec![ADMIN]),
            ),
            (
                "an admin listed twice is told once",
                vec![],
                vec![],
                {
                    let mut users = everyone();
                    users.push(user(ADMIN, Level::Admin, true));
                    users
                },
                Recipients::Admins(vec![ADMIN, ADMIN_2]),
            ),
            (
                "no admin either: nobody",
                vec![],
                vec![],
                vec![user(IVAN, Level::Staff, true)],
                Recipients::Admins(vec![]),
            ),
        ];
        for (case, transcript, in_order, users, expected) in cases {
            let staff = OrderStaff {
                transcript: &transcript,
                in_order: &in_order,
            };
            let got = recipients(&staff, &users, now);
            assert_eq!(got, expected, "{case}");
            // Loading only what `users_needed` names (and the active admins) decides the same.
            let needed = staff.users_needed(now);
            let loaded: Vec<Candidate> = users
                .iter()
                .filter(|u| needed.contains(&u.id) || u.is_active_admin())
                .copied()
                .collect();
            assert_eq!(recipients(&staff, &loaded, now), expected, "{case}: loaded");
        }
    }

    #[test]
    fn users_needed_names_the_last_writer_recent_writers_and_the_order_staff_once() {
        let now = t(0);
        let transcript = [
            wrote(PETR, -24 * 20),
            wrote(OLEG, -24 * 9),
            wrote(IVAN, -24 * 2),
            client_wrote(-5),
            wrote(ADMIN, -3),
            wrote(IVAN, -2),
        ];
        let staff = OrderStaff {
            transcript: &transcript,
            in_order: &[OLEG, IVAN],
        };
        assert_eq!(
            staff.users_needed(now),
            vec![IVAN, ADMIN, OLEG],
            "the last writer, the writers of the last seven days, the order's staff; no client, \
             nobody older"
        );
    }

    #[test]
    fn recipient_ids_are_in_order() {
        assert_eq!(Recipients::LastWriter(IVAN).ids(), [IVAN]);
        assert_eq!(
            Recipients::RecentStaff(vec![OLEG, IVAN]).ids(),
            [OLEG, IVAN]
        );
        assert_eq!(Recipients::Admins(vec![]).ids(), [] as [i64; 0]);
    }
}
