//! User management shared by the command line, the GUI and (through the same rules) the
//! Telegram admin menu.

use chrono::Utc;
use servicebot_core::Phone;
use servicebot_core::store::{Level, Store, User, UserPage};
use servicebot_core::user_changes::{ChangedBy, UserChange, UserChangeError, change_user};

use crate::{App, AppError, ErrorCode, Result};

/// How an operator names a user: a Telegram id or a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(i64),
    Phone(Phone),
    /// Digits that could be either; resolved against the database.
    IdOrPhone(i64, Phone),
}

impl UserRef {
    pub fn parse(text: &str, default_country_code: &str) -> Result<Self> {
        let text = text.trim();
        let invalid = || {
            AppError::new(
                ErrorCode::InvalidInput,
                format!("{text:?} is neither a Telegram id nor a phone number"),
            )
        };
        let digits_only = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
        let phone = Phone::parse_strict(text, default_country_code);
        match (
            digits_only.then(|| text.parse::<i64>().ok()).flatten(),
            phone,
        ) {
            (Some(id), Some(phone)) => Ok(Self::IdOrPhone(id, phone)),
            (Some(id), None) => Ok(Self::Id(id)),
            (None, Some(phone)) => Ok(Self::Phone(phone)),
            (None, None) => Err(invalid()),
        }
    }
}

/// Where a change came from, for the audit record.
const CHANNEL_CLI: &str = "cli";
/// Changes made in the desktop window.
pub(crate) const CHANNEL_GUI: &str = "gui";

impl App {
    pub fn list_users(&self, query: &str, offset: usize, limit: usize) -> Result<UserPage> {
        Ok(self.store().users().list(query, offset, limit)?)
    }

    pub fn find_user(&self, user: &UserRef) -> Result<User> {
        resolve(&self.store(), user)
    }

    /// Sets the level. The last active admin cannot be demoted.
    pub fn set_level(&self, user: &UserRef, level: Level) -> Result<User> {
        self.change(user, UserChange::Level(level))
    }

    /// Makes the user an admin (the first admin is created this way).
    pub fn promote(&self, user: &UserRef) -> Result<User> {
        self.set_level(user, Level::Admin)
    }

    /// Sets the display name staff speak under.
    pub fn rename_user(&self, user: &UserRef, name: &str) -> Result<User> {
        self.change(user, UserChange::Rename(name.to_owned()))
    }

    /// Blocks (`active = false`) or unblocks a user. The last active admin cannot be blocked.
    pub fn set_active(&self, user: &UserRef, active: bool) -> Result<User> {
        self.change(user, UserChange::Active(active))
    }

    /// Resolves the user and applies `change` under the shared rules (with its audit record).
    fn change(&self, user: &UserRef, change: UserChange) -> Result<User> {
        self.change_from(user, change, CHANNEL_CLI)
    }

    /// [`App::change`] recorded as coming from `channel` (`cli` or `gui`).
    pub(crate) fn change_from(
        &self,
        user: &UserRef,
        change: UserChange,
        channel: &'static str,
    ) -> Result<User> {
        let store = self.store();
        let target = resolve(&store, user)?;
        let by = ChangedBy {
            actor_id: None,
            channel,
        };
        let changed =
            change_user(&store, target.telegram_id, &change, &by, Utc::now()).map_err(|error| {
                match error {
                    UserChangeError::NotFound(_) => not_found(&describe(user)),
                    UserChangeError::LastAdmin(_) => {
                        AppError::new(ErrorCode::LastAdmin, error.to_string())
                    }
                    UserChangeError::InvalidName => {
                        AppError::new(ErrorCode::InvalidInput, error.to_string())
                    }
                    UserChangeError::Store(error) => error.into(),
                }
            })?;
        tracing::info!(user = changed.telegram_id, ?change, "user changed");
        Ok(changed)
    }
}

fn resolve(store: &Store, user: &UserRef) -> Result<User> {
    let by_phone = |phone: &Phone| -> Result<Vec<User>> { Ok(store.users().find_by_phone(phone)?) };
    let mut candidates = match user {
        UserRef::Id(id) => store.users().get(*id)?.into_iter().collect(),
        UserRef::Phone(phone) => by_phone(phone)?,
        UserRef::IdOrPhone(id, phone) => {
            let mut found: Vec<User> = store.users().get(*id)?.into_iter().collect();
            for user in by_phone(phone)? {
                if !found.iter().any(|u| u.telegram_id == user.telegram_id) {
                    found.push(user);
                }
            }
            found
        }
    };
    match candidates.len() {
        0 => Err(not_found(&describe(user))),
        1 => Ok(candidates.remove(0)),
        _ => Err(AppError::new(
            ErrorCode::Ambiguous,
            format!(
                "{} matches several users ({}); use the Telegram id",
                describe(user),
                candidates
                    .iter()
                    .map(|u| u.telegram_id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

fn describe(user: &UserRef) -> String {
    match user {
        UserRef::Id(id) | UserRef::IdOrPhone(id, _) => format!("user {id}"),
        UserRef::Phone(phone) => format!("the user with phone {}", phone.display_full()),
    }
}

fn not_found(what: &str) -> AppError {
    AppError::new(
        ErrorCode::NotFound,
        format!("{what} is not known; users appear after they press Start in the bot"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_refs_parse() {
        assert!(matches!(
            UserRef::parse("123456", "7"),
            Ok(UserRef::Id(123456))
        ));
        assert!(matches!(
            UserRef::parse("+7 912 345-67-89", "7"),
            Ok(UserRef::Phone(_))
        ));
        assert!(matches!(
            UserRef::parse("89123456789", "7"),
            Ok(UserRef::IdOrPhone(89123456789, _))
        ));
        assert!(UserRef::parse("ivan", "7").is_err());
        assert!(UserRef::parse("", "7").is_err());
    }
}
