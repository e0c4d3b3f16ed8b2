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

/// One row of the Пользователи table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UserRow {
    #[ts(type = "number")]
    pub telegram_id: i64,
    /// The name the admin set (staff speak under it), if any.
    pub display_name: Option<String>,
    /// First and last name as in Telegram.
    pub telegram_name: String,
    /// Without @.
    pub username: Option<String>,
    /// The verified phone, `+7 912 345-67-89`.
    pub phone: Option<String>,
    /// 1 admin, 2 staff, 3 client.
    pub level: u8,
    pub active: bool,
    /// The user blocked the bot in Telegram.
    pub blocked_bot: bool,
    /// RFC 3339.
    pub last_seen: Option<String>,
    pub created: String,
}

/// A page of the Пользователи table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UsersPageDto {
    pub total: u32,
    pub offset: u32,
    pub limit: u32,
    pub users: Vec<UserRow>,
    /// No active admin exists: the page offers to appoint the first one.
    pub needs_first_admin: bool,
}

/// One inline edit of a user; only the fields that are set change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UserEdit {
    pub display_name: Option<String>,
    pub level: Option<u8>,
    pub active: Option<bool>,
}

/// An open order in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrderRow {
    pub folder: String,
    pub number: String,
    pub plate: Option<String>,
    /// `YYYY-MM-DD`, the folder's creation date.
    pub created: String,
}

/// A page of orders (a search, a day, the newest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrdersPageDto {
    pub total: u32,
    pub offset: u32,
    pub orders: Vec<OrderRow>,
}

/// Open orders created on one day of the month shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CalendarDayDto {
    pub day: u32,
    pub orders: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CalendarMonthDto {
    /// `YYYY-MM`.
    pub month: String,
    /// Only days with orders.
    pub days: Vec<CalendarDayDto>,
    /// `YYYY-MM-DD`, local.
    pub today: String,
}

/// A client whose verified phone is in the order's phone file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConnectedClient {
    #[ts(type = "number")]
    pub telegram_id: i64,
    pub name: String,
    pub active: bool,
    pub blocked_bot: bool,
}

/// One number of the order's phone file and who uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrderPhone {
    pub phone: String,
    pub clients: Vec<ConnectedClient>,
}

/// A stage folder of the order and how many files it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StageFiles {
    pub title: String,
    pub folder: String,
    pub client_visible: bool,
    pub files: u32,
}

/// The order page's header: where it is, who it is for, what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrderDetail {
    pub folder: String,
    pub number: String,
    pub plate: Option<String>,
    /// The folder's full path.
    pub path: String,
    /// `YYYY-MM-DD`.
    pub created: String,
    /// `birth` (the folder's creation time) or `first_seen` (when ServiceBot first saw it).
    pub created_from: String,
    pub phones: Vec<OrderPhone>,
    /// The configured stages, then the clients' own folder.
    pub stages: Vec<StageFiles>,
    pub organization: String,
}

/// The order's invite for the client: the link, its QR code and texts to hand over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct InviteDto {
    pub order_no: String,
    pub url: String,
    /// An SVG image as a `data:` URL, made on this computer.
    pub qr_data_url: String,
    /// The text to send by SMS.
    pub sms_text: String,
    pub organization: String,
}

/// One version of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VersionDto {
    pub at: String,
    pub text: Option<String>,
}

/// A file in the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineMedia {
    #[ts(type = "number")]
    pub media_id: i64,
    /// `photo`, `video`, `document`, `voice`, `video_note`, `audio`.
    pub kind: String,
    /// The kind in words.
    pub kind_text: String,
    /// The file's name, when stored.
    pub name: Option<String>,
    /// Relative to the orders root, for `thumbnail`; set for stored photos only.
    pub thumbnail_path: Option<String>,
    pub size: Option<u32>,
    /// How long a video, voice message, round video or audio plays, as `1:05` or `1:02:03`.
    pub duration: Option<String>,
    /// The stage's title (or folder).
    pub stage: String,
    /// `stored`, `spooled`, `too_big`, `failed`, `pending`.
    pub storage: String,
    /// `sent`, `internal`, `no_client`, `failed`, `pending`, `from_client`.
    pub relay: String,
}

/// A client's decision on recommended work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineApproval {
    /// `approve` or `decline`.
    pub decision: String,
    pub description: String,
    /// The verified phone.
    pub phone: String,
    pub decided_at: String,
}

/// One item of an order's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineItem {
    /// Stable within the timeline (for lists).
    pub key: String,
    pub at: String,
    /// `staff`, `client` or `system`.
    pub side: String,
    /// `text`, `media`, `approval`, `event`, `user_change`.
    pub kind: String,
    /// Who said or did it (a name; empty for the system).
    pub who: String,
    /// Texts and captions: the original first, then each edit.
    pub versions: Vec<VersionDto>,
    pub media: Option<TimelineMedia>,
    pub approval: Option<TimelineApproval>,
    /// What happened, for events and user changes, in words.
    pub event: Option<String>,
    /// The message did not reach the client.
    pub failed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineDto {
    pub items: Vec<TimelineItem>,
}

/// A file whose bytes no longer match what was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileFlag {
    #[ts(type = "number")]
    pub media_id: i64,
    /// `changed` or `missing`.
    pub check: String,
    pub name: String,
}

/// The check of every stored file of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileChecks {
    pub checked: u32,
    pub flagged: Vec<FileFlag>,
}

/// Where the evidence pack went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportDto {
    pub path: String,
    pub files: u32,
    pub flagged: u32,
}

/// A client waiting for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnansweredDto {
    pub order_no: String,
    pub order_folder: String,
    #[ts(type = "number")]
    pub client_id: i64,
    pub client: String,
    /// RFC 3339.
    pub since: String,
    /// Waited longer than `notify.unanswered_minutes`.
    pub overdue: bool,
}
