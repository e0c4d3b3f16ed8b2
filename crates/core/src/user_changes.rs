//! Changing a user — level, display name, activity — under the same rules whoever does it (the
//! command line, the GUI, the Telegram admin menu): the last active admin can be neither demoted
//! nor blocked, names are validated, and every change is recorded as an audit event in the same
//! transaction.

use chrono::{DateTime, Utc};

use crate::store::{AuditEvent, Level, Store, StoreError, User};

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    Level(Level),
    Rename(String),
    Active(bool),
}

impl UserChange {
    fn audit(&self) -> (&'static str, String) {
        match self {
            Self::Level(level) => ("set_level", format!("level {}", level.number())),
            Self::Rename(name) => ("rename", name.trim().to_owned()),
            Self::Active(true) => ("unblock", String::new()),
            Self::Active(false) => ("block", String::new()),
        }
    }
}

/// Who made a change, for the audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedBy {
    /// The admin's Telegram id, when known (the command line has none).
    pub actor_id: Option<i64>,
    /// `cli`, `gui` or `telegram`.
    pub channel: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum UserChangeError {
    #[error("user {0} is not known")]
    NotFound(i64),
    #[error("{0} is the last active admin; promote another admin first")]
    LastAdmin(String),
    #[error("a name must be 1 to {MAX_NAME_CHARS} characters without control characters")]
    InvalidName,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A display name as it will be stored, or `None` when it is not acceptable.
pub fn valid_name(name: &str) -> Option<&str> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(char::is_control);
    ok.then_some(name)
}

/// Applies `change` to user `target` with its audit event, in one transaction; returns the user
/// as stored afterwards.
pub fn change_user(
    store: &Store,
    target: i64,
    change: &UserChange,
    by: &ChangedBy,
    now: DateTime<Utc>,
) -> Result<User, UserChangeError> {
    store.transaction(|store| {
        let user = store
            .users()
            .get(target)?
            .ok_or(UserChangeError::NotFound(target))?;
        let loses_admin = match change {
            UserChange::Level(level) => user.level == Level::Admin && *level != Level::Admin,
            UserChange::Active(active) => !active && user.level == Level::Admin && user.active,
            UserChange::Rename(_) => false,
        };
        if loses_admin && user.active {
            let admins = store.users().active_admins()?;
            if admins.iter().all(|admin| admin.telegram_id == target) {
                return Err(UserChangeError::LastAdmin(user.name()));
            }
        }
        let users = store.users();
        match change {
            UserChange::Level(level) => users.set_level(target, *level)?,
            UserChange::Active(active) => users.set_active(target, *active)?,
            UserChange::Rename(name) => {
                let name = valid_name(name).ok_or(UserChangeError::InvalidName)?;
                users.rename(target, Some(name))?
            }
        };
        let (action, details) = change.audit();
        store.audit().record(&AuditEvent {
            at: now,
            actor_id: by.actor_id,
            channel: by.channel.to_owned(),
            action: action.to_owned(),
            target_id: Some(target),
            details,
        })?;
        store
            .users()
            .get(target)?
            .ok_or(UserChangeError::NotFound(target))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{store_with_users, t};

    const BY: ChangedBy = ChangedBy {
        actor_id: Some(1),
        channel: "telegram",
    };

    #[test]
    fn the_last_active_admin_stays() {
        let store = store_with_users();
        for change in [UserChange::Level(Level::Staff), UserChange::Active(false)] {
            let refused = change_user(&store, 1, &change, &BY, t(1));
            assert!(
                matches!(refused, Err(UserChangeError::LastAdmin(_))),
                "{change:?}"
            );
        }
        assert_eq!(
            store.audit().recent(10).expect("audit").len(),
            0,
            "nothing recorded"
        );
        change_user(&store, 2, &UserChange::Level(Level::Admin), &BY, t(2)).expect("promote");
        let demoted = change_user(&store, 1, &UserChange::Level(Level::Client), &BY, t(3))
            .expect("another admin exists now");
        assert_eq!(demoted.level, Level::Client);
        let events = store.audit().recent(10).expect("audit");
        assert_eq!(events.len(), 2);
        assert!(
            events
                .iter()
                .all(|e| e.actor_id == Some(1) && e.channel == "telegram")
        );
    }

    #[test]
    fn names_are_validated_and_trimmed() {
        let store = store_with_users();
        for bad in ["", "   ", "a\u{7}b", &"я".repeat(65)] {
            assert!(matches!(
                change_user(&store, 3, &UserChange::Rename(bad.into()), &BY, t(1)),
                Err(UserChangeError::InvalidName)
            ));
        }
        let renamed = change_user(&store, 3, &UserChange::Rename("  Анна  ".into()), &BY, t(1))
            .expect("rename");
        assert_eq!(renamed.name(), "Анна");
        assert!(matches!(
            change_user(&store, 99, &UserChange::Active(false), &BY, t(1)),
            Err(UserChangeError::NotFound(99))
        ));
    }
}
