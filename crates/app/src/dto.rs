//! The data shapes that cross to the desktop window (ENGINEERING.md invariant 4): plain,
//! serialisable, with every text already in the user's language. Their TypeScript twins in
//! `ui/src/bindings.ts` are generated from these definitions by ts-rs; the test
//! `bindings::the_committed_typescript_is_current` fails when that file is stale
//! (`UPDATE_BINDINGS=1 cargo test -p servicebot-app bindings` rewrites it).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The error every command returns: `code` to branch on, `message` to show (in the user's
/// language), `details` for the expandable "подробности" line (technical, may be English),
/// and per-field problems when the input was a settings draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub details: Option<String>,
    pub fields: Vec<FieldError>,
}

/// One problem of one settings field, shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    /// The config key: `telegram.token`, `orders.root`, `stages[2].folder`, …
    pub field: String,
    pub code: String,
    pub message: String,
}

/// The window's labels in the configured language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UiTexts {
    /// `ru` or `en`.
    pub language: String,
    /// Label id (`ui-nav-settings`) → text.
    pub labels: std::collections::BTreeMap<String, String>,
}

/// A stage as the settings page edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageDto {
    pub title: String,
    pub folder: String,
    pub client_visible: bool,
    pub approval: bool,
}

/// The saved token as it may be shown: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TokenHint {
    pub set: bool,
    /// `••1234`: the last four characters, or empty when not set.
    pub ends_with: String,
}

/// The settings page as loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SettingsView {
    pub token: TokenHint,
    pub api_url: String,
    pub orders_root: String,
    pub organization_name: String,
    pub closed_keyword: String,
    pub language: String,
    pub default_country_code: String,
    pub stages: Vec<StageDto>,
    /// Where the settings are saved.
    pub config_path: String,
    /// No settings file yet: the app runs on the embedded defaults.
    pub first_run: bool,
    /// What the bot still needs before it can start (token, orders folder), marked on the page.
    pub missing: Vec<FieldError>,
}

impl SettingsView {
    /// The page's values as a draft that changes nothing (the token kept).
    pub fn to_draft(&self) -> SettingsDraft {
        SettingsDraft {
            token: None,
            api_url: self.api_url.clone(),
            orders_root: self.orders_root.clone(),
            organization_name: self.organization_name.clone(),
            closed_keyword: self.closed_keyword.clone(),
            language: self.language.clone(),
            default_country_code: self.default_country_code.clone(),
            stages: self.stages.clone(),
        }
    }
}

/// What the user has typed; `token` is `None` to keep the saved one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettingsDraft {
    pub token: Option<String>,
    pub api_url: String,
    pub orders_root: String,
    pub organization_name: String,
    pub closed_keyword: String,
    pub language: String,
    pub default_country_code: String,
    pub stages: Vec<StageDto>,
}

/// One order among the newest of a checked folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrderBrief {
    pub folder: String,
    /// The creation date, `YYYY-MM-DD`, local time.
    pub created: String,
}

/// The live check of an orders folder, shown as it is picked or typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrdersRootCheck {
    pub path: String,
    pub readable: bool,
    /// `ok`, `not_set`, `not_absolute`, `not_found`, `not_folder`, `denied`.
    pub code: String,
    /// What the check found or why the folder cannot be used, in the user's language.
    pub message: String,
    pub details: Option<String>,
    pub open_orders: u32,
    pub with_phone_file: u32,
    pub newest: Vec<OrderBrief>,
}

/// The bot's state, as the window and the tray show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BotState {
    Stopped,
    Starting,
    Running,
    Error,
}

/// An error the bot reported, with when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorNote {
    pub message: String,
    pub details: Option<String>,
    /// RFC 3339.
    pub at: String,
}

/// The Состояние page; pushed to the window whenever any of it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StatusDto {
    pub bot_state: BotState,
    /// "Работает", "Остановлен", "Ошибка: …".
    pub headline: String,
    /// The bot's @username while it runs (without @).
    pub username: Option<String>,
    /// The tray's tooltip.
    pub tooltip: String,
    pub last_error: Option<ErrorNote>,
    /// RFC 3339; set when the bot is not running and once was.
    pub offline_since: Option<String>,
    pub outbox_queue: u32,
    pub files_today: u32,
    pub messages_today: u32,
    pub orders_root: String,
    pub orders_found: u32,
    /// `ready`, `pending`, `not_configured`, `unreachable`.
    pub orders_state: String,
    pub orders_message: String,
    /// The bot can be started (a token is set).
    pub can_start: bool,
}
