//! `users`: everyone who pressed Start, with their level (1 admin, 2 staff, 3 client) and
//! activity. Users are never deleted (SPEC §1).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::{Result, StoreError, from_ms, to_ms};
use crate::phone::Phone;

/// Access level (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Admin = 1,
    Staff = 2,
    Client = 3,
}

impl Level {
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Admin),
            2 => Some(Self::Staff),
            3 => Some(Self::Client),
            _ => None,
        }
    }

    /// Admins are staff too.
    pub fn is_staff(self) -> bool {
        self <= Self::Staff
    }
}

/// What Telegram tells about a user with every update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramProfile {
    pub telegram_id: i64,
    pub chat_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub telegram_id: i64,
    pub chat_id: Option<i64>,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    /// The name the admin set; staff speak to clients under it.
    pub display_name: Option<String>,
    /// The verified phone (from the user's own contact).
    pub phone: Option<Phone>,
    pub level: Level,
    pub active: bool,
    /// The user blocked the bot in Telegram (403 on send).
    pub blocked_bot: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

impl User {
    /// The name to show: the admin-set display name, else the Telegram name, else @username,
    /// else the id.
    pub fn name(&self) -> String {
        if let Some(name) = self
            .display_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
        {
            return name.trim().to_owned();
        }
        let full = match &self.last_name {
            Some(last) => format!("{} {last}", self.first_name),
            None => self.first_name.clone(),
        };
        if !full.trim().is_empty() {
            return full.trim().to_owned();
        }
        match &self.username {
            Some(username) => format!("@{username}"),
            None => self.telegram_id.to_string(),
        }
    }
}

/// One page of users and how many matched in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserPage {
    pub total: usize,
    pub users: Vec<User>,
}

const COLUMNS: &str = "telegram_id, chat_id, first_name, last_name, username, display_name, \
     phone, level, active, blocked_bot, created_at, last_seen_at";

#[derive(Debug)]
pub struct Users<'a> {
    conn: &'a Connection,
}

impl<'a> Users<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Records that the user wrote to the bot: creates them as an active client the first time,
    /// otherwise refreshes their Telegram names, chat and last-seen time. Clears `blocked_bot`,
    /// since writing to the bot means they unblocked it.
    pub fn upsert_seen(&self, profile: &TelegramProfile, now: DateTime<Utc>) -> Result<User> {
        self.conn.execute(
            "INSERT INTO users (telegram_id, chat_id, first_name, last_name, username, created_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (telegram_id) DO UPDATE SET
                 chat_id = excluded.chat_id, first_name = excluded.first_name,
                 last_name = excluded.last_name, username = excluded.username,
                 last_seen_at = excluded.last_seen_at, blocked_bot = 0",
            params![
                profile.telegram_id,
                profile.chat_id,
                profile.first_name,
                profile.last_name,
                profile.username,
                to_ms(now)
            ],
        )?;
        self.get(profile.telegram_id)?.ok_or(StoreError::BadValue {
            column: "users.telegram_id",
            value: "row vanished after upsert".into(),
        })
    }

    /// Inserts a user known from elsewhere (the previous bot's database). Returns false when the
    /// user already exists; nothing is changed then.
    pub fn insert_imported(&self, user: &User) -> Result<bool> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO users (telegram_id, chat_id, first_name, display_name, phone,
                 level, active, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                user.telegram_id,
                user.chat_id,
                user.first_name,
                user.display_name,
                user.phone.as_ref().map(Phone::digits),
                user.level.number(),
                user.active,
                to_ms(user.created_at)
            ],
        )?;
        Ok(inserted == 1)
    }

    pub fn get(&self, telegram_id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE telegram_id = ?1");
        self.conn
            .query_row(&sql, [telegram_id], read_row)
            .optional()?
            .transpose()
    }

    /// Users whose verified phone is `phone`.
    pub fn find_by_phone(&self, phone: &Phone) -> Result<Vec<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE phone = ?1 ORDER BY telegram_id");
        self.collect(&sql, [phone.digits()])
    }

    /// Users matching `query` (part of a name, @username, phone digits or id; empty matches
    /// everyone), admins first then by name.
    pub fn list(&self, query: &str, offset: usize, limit: usize) -> Result<UserPage> {
        let needle = query.trim().trim_start_matches('@').to_lowercase();
        let digits: String = needle.chars().filter(char::is_ascii_digit).collect();
        let mut users = self.collect(
            &format!("SELECT {COLUMNS} FROM users ORDER BY level, telegram_id"),
            [],
        )?;
        users.retain(|user| {
            needle.is_empty()
                || user.name().to_lowercase().contains(&needle)
                || user
                    .username
                    .as_deref()
                    .is_some_and(|u| u.to_lowercase().contains(&needle))
                || (!digits.is_empty()
                    && digits.len() == needle.len()
                    && (user.telegram_id.to_string().contains(&digits)
                        || user
                            .phone
                            .as_ref()
                            .is_some_and(|p| p.digits().contains(&digits))))
        });
        let total = users.len();
        let users = users.into_iter().skip(offset).take(limit).collect();
        Ok(UserPage { total, users })
    }

    /// Active admins (level 1): the ones who must never drop to zero through the admin menu.
    pub fn active_admins(&self) -> Result<Vec<User>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM users WHERE level = 1 AND active = 1 ORDER BY telegram_id"
        );
        self.collect(&sql, [])
    }

    /// The order's connected clients: active level-3 users whose verified phone is listed.
    pub fn connected_clients(&self, phones: &[Phone]) -> Result<Vec<User>> {
        let mut clients = Vec::new();
        for phone in phones {
            for user in self.find_by_phone(phone)? {
                if user.level == Level::Client
                    && user.active
                    && !clients
                        .iter()
                        .any(|c: &User| c.telegram_id == user.telegram_id)
                {
                    clients.push(user);
                }
            }
        }
        Ok(clients)
    }

    /// Active users of level 2 or 1.
    /// Users whose chat's command menu is not the one of their level and activity now (a
    /// blocked user gets the client menu), oldest first.
    pub fn menus_out_of_date(&self) -> Result<Vec<User>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM users WHERE chat_id IS NOT NULL
                 AND (CASE active WHEN 1 THEN level ELSE 3 END) != COALESCE(menu_level, 3)
             ORDER BY telegram_id"
        );
        self.collect(&sql, [])
    }

    /// Records that the user's chat was given the menu of `level`.
    pub fn set_menu_level(&self, telegram_id: i64, level: Level) -> Result<bool> {
        self.update(
            "UPDATE users SET menu_level = ?2 WHERE telegram_id = ?1",
            telegram_id,
            level.number(),
        )
    }

    pub fn active_staff(&self) -> Result<Vec<User>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM users WHERE level <= 2 AND active = 1 ORDER BY telegram_id"
        );
        self.collect(&sql, [])
    }

    pub fn set_level(&self, telegram_id: i64, level: Level) -> Result<bool> {
        self.update(
            "UPDATE users SET level = ?2 WHERE telegram_id = ?1",
            telegram_id,
            level.number(),
        )
    }

    pub fn set_active(&self, telegram_id: i64, active: bool) -> Result<bool> {
        self.update(
            "UPDATE users SET active = ?2 WHERE telegram_id = ?1",
            telegram_id,
            active,
        )
    }

    /// Sets the display name; `None` (or blank) falls back to the Telegram name.
    pub fn rename(&self, telegram_id: i64, display_name: Option<&str>) -> Result<bool> {
        let name = display_name.map(str::trim).filter(|n| !n.is_empty());
        self.update(
            "UPDATE users SET display_name = ?2 WHERE telegram_id = ?1",
            telegram_id,
            name,
        )
    }

    pub fn set_phone(&self, telegram_id: i64, phone: &Phone) -> Result<bool> {
        self.update(
            "UPDATE users SET phone = ?2 WHERE telegram_id = ?1",
            telegram_id,
            phone.digits(),
        )
    }

    pub fn set_blocked_bot(&self, telegram_id: i64, blocked: bool) -> Result<bool> {
        self.update(
            "UPDATE users SET blocked_bot = ?2 WHERE telegram_id = ?1",
            telegram_id,
            blocked,
        )
    }

    fn update(&self, sql: &str, telegram_id: i64, value: impl rusqlite::ToSql) -> Result<bool> {
        Ok(self.conn.execute(sql, params![telegram_id, value])? == 1)
    }

    fn collect(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<User>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let rows = statement.query_map(params, read_row)?;
        let mut users = Vec::new();
        for row in rows {
            users.push(row??);
        }
        Ok(users)
    }
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<User>> {
    let level: i64 = row.get(7)?;
    let Some(level) = Level::from_number(level) else {
        return Ok(Err(StoreError::BadValue {
            column: "users.level",
            value: level.to_string(),
        }));
    };
    Ok(Ok(User {
        telegram_id: row.get(0)?,
        chat_id: row.get(1)?,
        first_name: row.get(2)?,
        last_name: row.get(3)?,
        username: row.get(4)?,
        display_name: row.get(5)?,
        phone: row.get::<_, Option<String>>(6)?.map(Phone::from_stored),
        level,
        active: row.get(8)?,
        blocked_bot: row.get(9)?,
        created_at: from_ms(row.get(10)?),
        last_seen_at: row.get::<_, Option<i64>>(11)?.map(from_ms),
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{profile, store, store_with_users, t};
    use super::*;

    #[test]
    fn upsert_seen_creates_an_active_client_then_refreshes() {
        let store = store();
        let user = store
            .users()
            .upsert_seen(&profile(10), t(0))
            .expect("insert");
        assert_eq!(
            (user.level, user.active, user.blocked_bot),
            (Level::Client, true, false)
        );
        store.users().set_level(10, Level::Staff).expect("level");
        store.users().set_blocked_bot(10, true).expect("blocked");
        let mut changed = profile(10);
        changed.first_name = "Пётр".into();
        let user = store.users().upsert_seen(&changed, t(60)).expect("update");
        assert_eq!(user.first_name, "Пётр");
        assert_eq!(
            user.level,
            Level::Staff,
            "seeing a user again never resets their level"
        );
        assert!(
            !user.blocked_bot,
            "writing to the bot means it is unblocked"
        );
        assert_eq!(user.created_at, t(0));
        assert_eq!(user.last_seen_at, Some(t(60)));
    }

    #[test]
    fn get_missing_is_none() {
        assert_eq!(store().users().get(42).expect("get"), None);
    }

    #[test]
    fn phone_lookup_and_setters() {
        let store = store_with_users();
        let phone = Phone::normalize("+7 912 345-67-89", "7").expect("phone");
        assert!(store.users().set_phone(3, &phone).expect("set phone"));
        assert!(!store.users().set_phone(99, &phone).expect("missing user"));
        let found = store.users().find_by_phone(&phone).expect("find");
        assert_eq!(found.iter().map(|u| u.telegram_id).collect::<Vec<_>>(), [3]);
        assert!(store.users().rename(3, Some("  Иван  ")).expect("rename"));
        assert_eq!(
            store.users().get(3).expect("get").expect("user").name(),
            "Иван"
        );
        assert!(store.users().rename(3, Some(" ")).expect("rename"));
        assert_eq!(
            store.users().get(3).expect("get").expect("user").name(),
            "User3"
        );
        assert!(store.users().set_active(3, false).expect("block"));
        assert!(!store.users().get(3).expect("get").expect("user").active);
    }

    #[test]
    fn connected_clients_are_active_level_three_users_with_a_listed_phone() {
        let store = store_with_users();
        let phone = Phone::normalize("89123456789", "7").expect("phone");
        let other = Phone::normalize("89990000000", "7").expect("phone");
        for id in [2, 3] {
            store.users().set_phone(id, &phone).expect("phone");
        }
        store.users().upsert_seen(&profile(4), t(0)).expect("user");
        store.users().set_phone(4, &phone).expect("phone");
        store.users().set_active(4, false).expect("block");
        let ids = |phones: &[Phone]| -> Vec<i64> {
            store
                .users()
                .connected_clients(phones)
                .expect("query")
                .iter()
                .map(|u| u.telegram_id)
                .collect()
        };
        assert_eq!(
            ids(&[phone.clone(), other.clone()]),
            [3],
            "staff and blocked users are not clients"
        );
        assert!(ids(&[other]).is_empty());
    }

    #[test]
    fn list_searches_and_pages() {
        let store = store_with_users();
        let phone = Phone::normalize("89123456789", "7").expect("phone");
        store.users().set_phone(3, &phone).expect("phone");
        let all = store.users().list("", 0, 10).expect("list");
        assert_eq!(all.total, 3);
        assert_eq!(all.users[0].level, Level::Admin, "admins first");
        assert_eq!(
            store.users().list("user2", 0, 10).expect("list").users[0].telegram_id,
            2
        );
        assert_eq!(
            store.users().list("3456", 0, 10).expect("list").users[0].telegram_id,
            3
        );
        let page = store.users().list("", 1, 1).expect("list");
        assert_eq!(
            (page.total, page.users.len(), page.users[0].telegram_id),
            (3, 1, 2)
        );
    }

    #[test]
    fn admins_and_staff_queries() {
        let store = store_with_users();
        assert_eq!(store.users().active_admins().expect("admins").len(), 1);
        assert_eq!(store.users().active_staff().expect("staff").len(), 2);
        store.users().set_active(1, false).expect("block");
        assert!(store.users().active_admins().expect("admins").is_empty());
    }

    #[test]
    fn insert_imported_is_idempotent() {
        let store = store();
        let mut user = store.users().upsert_seen(&profile(5), t(0)).expect("seed");
        user.telegram_id = 6;
        user.level = Level::Staff;
        assert!(store.users().insert_imported(&user).expect("import"));
        assert!(!store.users().insert_imported(&user).expect("again"));
        assert_eq!(
            store.users().get(6).expect("get").expect("user").level,
            Level::Staff
        );
    }

    #[test]
    fn display_name_fallbacks() {
        let store = store();
        let mut p = profile(7);
        p.first_name = String::new();
        p.username = Some("ivan".into());
        assert_eq!(
            store.users().upsert_seen(&p, t(0)).expect("insert").name(),
            "@ivan"
        );
        p.username = None;
        assert_eq!(
            store.users().upsert_seen(&p, t(0)).expect("update").name(),
            "7"
        );
    }

    #[test]
    fn a_changed_level_makes_the_menu_out_of_date_until_it_is_given() {
        let store = store_with_users();
        let users = store.users();
        let stale = |users: &Users<'_>| -> Vec<i64> {
            users
                .menus_out_of_date()
                .expect("stale")
                .iter()
                .map(|u| u.telegram_id)
                .collect()
        };
        assert_eq!(
            stale(&users),
            [1, 2],
            "admin and staff never got their menus"
        );
        users.set_menu_level(1, Level::Admin).expect("given");
        users.set_menu_level(2, Level::Staff).expect("given");
        assert!(stale(&users).is_empty());
        users.set_level(3, Level::Staff).expect("promoted");
        assert_eq!(stale(&users), [3]);
        users.set_menu_level(3, Level::Staff).expect("given");
        users.set_active(2, false).expect("blocked");
        assert_eq!(stale(&users), [2], "a blocked user gets the client menu");
    }
}
