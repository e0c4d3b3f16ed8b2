//! The Пользователи page: a searchable, paginated table and inline edits (display name, level,
//! activity) through core's one set of user rules — the last active admin stays. Changes are
//! in the shared database, so the running bot applies them from its next update.

use servicebot_core::store::{Level, User};
use servicebot_core::user_changes::UserChange;

use crate::dto::{UserEdit, UserRow, UsersPageDto};
use crate::users::CHANNEL_GUI;
use crate::{App, AppError, ErrorCode, Result, UserRef};

/// The largest page the window may ask for.
pub const MAX_PAGE: usize = 200;

pub(crate) fn user_row(user: &User) -> UserRow {
    let telegram_name = match &user.last_name {
        Some(last) => format!("{} {last}", user.first_name),
        None => user.first_name.clone(),
    };
    UserRow {
        telegram_id: user.telegram_id,
        display_name: user.display_name.clone().filter(|n| !n.trim().is_empty()),
        telegram_name: telegram_name.trim().to_owned(),
        username: user.username.clone(),
        phone: user.phone.as_ref().map(|p| p.display_full()),
        level: user.level.number(),
        active: user.active,
        blocked_bot: user.blocked_bot,
        last_seen: user.last_seen_at.map(|at| at.to_rfc3339()),
        created: user.created_at.to_rfc3339(),
    }
}

impl App {
    /// One page of users matching `query` (part of a name, @username, phone digits or id).
    pub fn users_page(&self, query: &str, offset: usize, limit: usize) -> Result<UsersPageDto> {
        let limit = limit.clamp(1, MAX_PAGE);
        let store = self.store();
        let page = store.users().list(query, offset, limit)?;
        let needs_first_admin = store.users().active_admins()?.is_empty();
        Ok(UsersPageDto {
            total: u32::try_from(page.total).unwrap_or(u32::MAX),
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
            limit: u32::try_from(limit).unwrap_or(u32::MAX),
            users: page.users.iter().map(user_row).collect(),
            needs_first_admin,
        })
    }

    /// Applies the set fields of `edit` to user `telegram_id`, each under the shared rules
    /// and audited as a change from the desktop app; stops at the first refusal.
    pub fn edit_user(&self, telegram_id: i64, edit: &UserEdit) -> Result<UserRow> {
        let user = UserRef::Id(telegram_id);
        let mut changes = Vec::new();
        if let Some(name) = &edit.display_name {
            changes.push(UserChange::Rename(name.clone()));
        }
        if let Some(level) = edit.level {
            let level = Level::from_number(i64::from(level)).ok_or_else(|| {
                AppError::new(ErrorCode::InvalidInput, format!("no level {level}"))
            })?;
            changes.push(UserChange::Level(level));
        }
        if let Some(active) = edit.active {
            changes.push(UserChange::Active(active));
        }
        let mut changed = self.find_user(&user)?;
        for change in changes {
            changed = self.change_from(&user, change, CHANNEL_GUI)?;
        }
        Ok(user_row(&changed))
    }

    /// Makes the user named by `who` (a Telegram id or a phone) an admin: the first admin of a
    /// fresh install.
    pub fn appoint_admin(&self, who: &str) -> Result<UserRow> {
        let user = UserRef::parse(who, &self.config.phone.default_country_code)?;
        let changed = self.change_from(&user, UserChange::Level(Level::Admin), CHANNEL_GUI)?;
        Ok(user_row(&changed))
    }
}
