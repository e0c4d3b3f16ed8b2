//! Migration from the previous Python bot: its users (`users` table of its SQLite database) and
//! its transcript files (`<order>/recording_dialog_<order>.txt`). Idempotent — users already
//! known are left as they are, transcript entries carry a source key — and bad rows are reported,
//! not fatal.

use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use crate::phone::Phone;
use crate::store::{Direction, EntryKind, Level, NewEntry, Store, StoreError, User};

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub users_imported: usize,
    pub users_skipped: usize,
    pub entries_imported: usize,
    pub entries_skipped: usize,
    /// Rows and blocks that could not be imported, each with the reason.
    pub problems: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the previous bot's database {path}: {source}")]
    Legacy {
        path: String,
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One message of a legacy transcript file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyMessage {
    /// The block's position in the file (its identity for idempotence).
    pub position: usize,
    pub at: NaiveDateTime,
    pub order_no: String,
    pub telegram_id: i64,
    pub text: String,
}

/// A `ctime()` line: `Mon Nov 23 14:05:01 2026` (the day may be space-padded).
fn parse_ctime(line: &str) -> Option<NaiveDateTime> {
    let normalised = line.split_whitespace().collect::<Vec<_>>().join(" ");
    NaiveDateTime::parse_from_str(&normalised, "%a %b %d %H:%M:%S %Y").ok()
}

/// Parses a `recording_dialog_<order>.txt` file: blocks of a timestamp line, a line
/// `Заказ наряд <order> Пользователь <telegram_id>` and a line `Сообщение "<text>"` (the text
/// may span lines). Returns the messages and the problems found.
pub fn parse_dialog(content: &str) -> (Vec<LegacyMessage>, Vec<String>) {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut blocks: Vec<(usize, NaiveDateTime, Vec<&str>)> = Vec::new();
    for (number, line) in content.lines().enumerate() {
        if let Some(at) = parse_ctime(line) {
            blocks.push((number + 1, at, Vec::new()));
        } else if let Some((_, _, lines)) = blocks.last_mut() {
            lines.push(line);
        } else if !line.trim().is_empty() {
            // Text before the first timestamp: nothing to attach it to.
            return (
                Vec::new(),
                vec![format!("line {}: no timestamp before it", number + 1)],
            );
        }
    }
    let mut messages = Vec::new();
    let mut problems = Vec::new();
    for (position, at, lines) in blocks {
        match parse_block(&lines) {
            Some((order_no, telegram_id, text)) => messages.push(LegacyMessage {
                position,
                at,
                order_no,
                telegram_id,
                text,
            }),
            None => problems.push(format!("line {position}: not a message block")),
        }
    }
    (messages, problems)
}

fn parse_block(lines: &[&str]) -> Option<(String, i64, String)> {
    let header = lines.first()?.trim();
    let rest = header.strip_prefix("Заказ наряд ")?;
    let (order_no, user) = rest.rsplit_once(" Пользователь ")?;
    let telegram_id = user.trim().parse().ok()?;
    let body = lines[1..].join("\n");
    let body = body.trim_end();
    let text = body.strip_prefix("Сообщение \"")?;
    let text = text.strip_suffix('"').unwrap_or(text);
    Some((order_no.trim().to_owned(), telegram_id, text.to_owned()))
}

/// Imports the previous bot's users from `database` and the transcript files under
/// `orders_root` into `store`. `to_utc` turns the files' local times into UTC.
pub fn import(
    store: &mut Store,
    database: &Path,
    orders_root: &Path,
    default_country_code: &str,
    to_utc: &dyn Fn(NaiveDateTime) -> DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let users = read_users(database, default_country_code, now, &mut report.problems)?;
    store.transaction(|store| {
        for user in &users {
            if store.users().insert_imported(user)? {
                report.users_imported += 1;
            } else {
                report.users_skipped += 1;
            }
        }
        Ok::<_, StoreError>(())
    })?;
    import_dialogs(store, orders_root, to_utc, &mut report)?;
    Ok(report)
}

fn read_users(
    database: &Path,
    default_country_code: &str,
    now: DateTime<Utc>,
    problems: &mut Vec<String>,
) -> Result<Vec<User>, ImportError> {
    let legacy_error = |source| ImportError::Legacy {
        path: database.display().to_string(),
        source,
    };
    let conn = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(legacy_error)?;
    let mut statement = conn
        .prepare("SELECT telegram_id, name, phone, user_type, active FROM users")
        .map_err(legacy_error)?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, rusqlite::types::Value>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, rusqlite::types::Value>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })
        .map_err(legacy_error)?;
    let mut users = Vec::new();
    for (number, row) in rows.enumerate() {
        let (id, name, phone, user_type, active) = match row {
            Ok(row) => row,
            Err(error) => {
                problems.push(format!("users row {}: {error}", number + 1));
                continue;
            }
        };
        let id_text = value_text(&id);
        let Some(telegram_id) = id_text.trim().parse::<i64>().ok().filter(|id| *id > 0) else {
            problems.push(format!(
                "users row {}: telegram_id {id_text:?} is not an id",
                number + 1
            ));
            continue;
        };
        let Some(level) = user_type.and_then(Level::from_number) else {
            problems.push(format!(
                "user {telegram_id}: user_type {user_type:?} is not 1, 2 or 3"
            ));
            continue;
        };
        let active = match active {
            Some(1) => true,
            Some(2) => false,
            other => {
                problems.push(format!(
                    "user {telegram_id}: active {other:?} is not 1 or 2"
                ));
                continue;
            }
        };
        let phone_text = value_text(&phone);
        let phone = Phone::normalize(&phone_text, default_country_code);
        if phone.is_none() && !phone_text.trim().is_empty() {
            problems.push(format!(
                "user {telegram_id}: phone {phone_text:?} is not a phone number; imported without it"
            ));
        }
        let name = name.unwrap_or_default().trim().to_owned();
        users.push(User {
            telegram_id,
            chat_id: Some(telegram_id),
            first_name: name.clone(),
            last_name: None,
            username: None,
            display_name: (!name.is_empty()).then_some(name),
            phone,
            level,
            active,
            blocked_bot: false,
            created_at: now,
            last_seen_at: None,
        });
    }
    Ok(users)
}

/// A column that may hold text or a number (the old bot was not consistent).
fn value_text(value: &rusqlite::types::Value) -> String {
    match value {
        rusqlite::types::Value::Integer(n) => n.to_string(),
        rusqlite::types::Value::Real(f) => format!("{f:.0}"),
        rusqlite::types::Value::Text(text) => text.clone(),
        _ => String::new(),
    }
}

fn import_dialogs(
    store: &mut Store,
    orders_root: &Path,
    to_utc: &dyn Fn(NaiveDateTime) -> DateTime<Utc>,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let Ok(folders) = std::fs::read_dir(orders_root) else {
        report.problems.push(format!(
            "cannot read the orders folder {}; no transcripts imported",
            orders_root.display()
        ));
        return Ok(());
    };
    let mut files = Vec::new();
    for folder in folders.flatten().filter(|e| e.path().is_dir()) {
        let folder_name = folder.file_name().to_string_lossy().into_owned();
        let Ok(entries) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(order) = name
                .strip_prefix("recording_dialog_")
                .and_then(|n| n.strip_suffix(".txt"))
            {
                files.push((folder_name.clone(), order.to_owned(), entry.path()));
            }
        }
    }
    files.sort();
    for (folder, order_no, path) in files {
        let content = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(error) => {
                report.problems.push(format!("{}: {error}", path.display()));
                continue;
            }
        };
        let (messages, problems) = parse_dialog(&content);
        report.problems.extend(
            problems
                .into_iter()
                .map(|p| format!("{}: {p}", path.display())),
        );
        store.transaction(|store| {
            for message in &messages {
                let staff = store
                    .users()
                    .get(message.telegram_id)?
                    .is_some_and(|u| u.level.is_staff());
                let direction = if staff {
                    Direction::StaffToClient
                } else {
                    Direction::ClientToStaff
                };
                let mut entry = NewEntry::new(
                    &order_no,
                    &folder,
                    to_utc(message.at),
                    direction,
                    EntryKind::Text,
                );
                entry.author_id = store
                    .users()
                    .get(message.telegram_id)?
                    .map(|u| u.telegram_id);
                entry.text = Some(message.text.clone());
                entry.source_key = Some(format!("legacy:{folder}/{order_no}:{}", message.position));
                if store.transcript().append(&entry)?.is_some() {
                    report.entries_imported += 1;
                } else {
                    report.entries_skipped += 1;
                }
            }
            Ok::<_, StoreError>(())
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialog_blocks_parse_with_multiline_text_and_bad_blocks_reported() {
        let content = "Mon Nov  3 14:05:01 2025\nЗаказ наряд ЗН-1 Пользователь 42\nСообщение \"Добрый день\"\n\
                       Tue Nov 18 09:00:00 2025\nЗаказ наряд ЗН-1 Пользователь 7\nСообщение \"Две строки\nвторая \"в кавычках\"\"\n\
                       Wed Nov 19 10:00:00 2025\nчто-то другое\n";
        let (messages, problems) = parse_dialog(content);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].telegram_id, 42);
        assert_eq!(messages[0].order_no, "ЗН-1");
        assert_eq!(messages[0].text, "Добрый день");
        assert_eq!(
            messages[0].at,
            NaiveDateTime::parse_from_str("2025-11-03 14:05:01", "%Y-%m-%d %H:%M:%S")
                .expect("time")
        );
        assert_eq!(messages[1].text, "Две строки\nвторая \"в кавычках\"");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("line 8"), "{problems:?}");
    }
}
