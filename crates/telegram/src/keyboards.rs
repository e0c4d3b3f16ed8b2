//! Turning core screens into inline keyboards: each button's action is stored server-side and
//! the button carries only its short key.

use chrono::Duration;
use chrono::{DateTime, Utc};
use servicebot_core::dialogue::{Action, Screen};
use servicebot_core::store::{Store, StoreError};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Keys for the same action in the same chat are reused for this long.
const REUSE_KEYS_FOR: Duration = Duration::hours(1);
/// Buttons older than this answer "expired": yesterday's calendar may show other counts.
pub const KEY_LIFETIME: Duration = Duration::hours(24);

/// The keyboard of `screen` for `chat_id`, its actions stored in one transaction.
pub fn inline_keyboard(
    store: &Store,
    now: DateTime<Utc>,
    chat_id: i64,
    screen: &Screen,
) -> Result<Option<InlineKeyboardMarkup>, StoreError> {
    if screen.rows.is_empty() {
        return Ok(None);
    }
    let rows = store.transaction(|store| {
        let keys = store.callback_keys();
        screen
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|button| {
                        let payload = serde_json::to_string(&button.action).map_err(|e| {
                            StoreError::BadValue {
                                column: "callback_keys.payload",
                                value: e.to_string(),
                            }
                        })?;
                        let key = keys.issue(chat_id, &payload, now - REUSE_KEYS_FOR, now)?;
                        Ok(InlineKeyboardButton::callback(button.label.clone(), key))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            })
            .collect::<Result<Vec<_>, StoreError>>()
    })?;
    Ok(Some(InlineKeyboardMarkup::new(rows)))
}

/// Why a pressed key does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// Unknown, issued to another chat, or too old.
    Stale,
}

/// The action behind a pressed key, if it belongs to `chat_id` and is fresh.
pub fn resolve(
    store: &Store,
    now: DateTime<Utc>,
    chat_id: i64,
    key: &str,
) -> Result<Result<Action, KeyProblem>, StoreError> {
    let issued = store.callback_keys().resolve(key, chat_id)?;
    let Some(issued) = issued else {
        return Ok(Err(KeyProblem::Stale));
    };
    if now - issued.created_at > KEY_LIFETIME {
        return Ok(Err(KeyProblem::Stale));
    }
    Ok(serde_json::from_str(&issued.payload).map_err(|_| KeyProblem::Stale))
}
