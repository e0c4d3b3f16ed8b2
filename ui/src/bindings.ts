// Generated from crates/app/src/dto.rs by ts-rs: do not edit.
// Regenerate: UPDATE_BINDINGS=1 cargo test -p servicebot-app bindings

export type CommandError = { code: string, message: string, details: string | null, fields: Array<FieldError>, };

export type FieldError = { 
/**
 * The config key: `telegram.token`, `orders.root`, `stages[2].folder`, …
 */
field: string, code: string, message: string, };

export type UiTexts = { 
/**
 * `ru` or `en`.
 */
language: string, 
/**
 * Label id (`ui-nav-settings`) → text.
 */
labels: { [key in string]: string }, };

export type StageDto = { title: string, folder: string, client_visible: boolean, approval: boolean, };

export type TokenHint = { set: boolean, 
/**
 * `••1234`: the last four characters, or empty when not set.
 */
ends_with: string, };

export type SettingsView = { token: TokenHint, api_url: string, orders_root: string, organization_name: string, closed_keyword: string, language: string, default_country_code: string, stages: Array<StageDto>, 
/**
 * Where the settings are saved.
 */
config_path: string, 
/**
 * No settings file yet: the app runs on the embedded defaults.
 */
first_run: boolean, 
/**
 * What the bot still needs before it can start (token, orders folder), marked on the page.
 */
missing: Array<FieldError>, };

export type SettingsDraft = { token: string | null, api_url: string, orders_root: string, organization_name: string, closed_keyword: string, language: string, default_country_code: string, stages: Array<StageDto>, };

export type OrderBrief = { folder: string, 
/**
 * The creation date, `YYYY-MM-DD`, local time.
 */
created: string, };

export type OrdersRootCheck = { path: string, readable: boolean, 
/**
 * `ok`, `not_set`, `not_absolute`, `not_found`, `not_folder`, `denied`.
 */
code: string, 
/**
 * What the check found or why the folder cannot be used, in the user's language.
 */
message: string, details: string | null, open_orders: number, with_phone_file: number, newest: Array<OrderBrief>, };

export type BotState = "stopped" | "starting" | "running" | "error";

export type ErrorNote = { message: string, details: string | null, 
/**
 * RFC 3339.
 */
at: string, };

export type StatusDto = { bot_state: BotState, 
/**
 * "Работает", "Остановлен", "Ошибка: …".
 */
headline: string, 
/**
 * The bot's @username while it runs (without @).
 */
username: string | null, 
/**
 * The tray's tooltip.
 */
tooltip: string, last_error: ErrorNote | null, 
/**
 * RFC 3339; set when the bot is not running and once was.
 */
offline_since: string | null, outbox_queue: number, files_today: number, messages_today: number, orders_root: string, orders_found: number, 
/**
 * `ready`, `pending`, `not_configured`, `unreachable`.
 */
orders_state: string, orders_message: string, 
/**
 * The bot can be started (a token is set).
 */
can_start: boolean, };

export type UserRow = { telegram_id: number, 
/**
 * The name the admin set (staff speak under it), if any.
 */
display_name: string | null, 
/**
 * First and last name as in Telegram.
 */
telegram_name: string, 
/**
 * Without @.
 */
username: string | null, 
/**
 * The verified phone, `+7 912 345-67-89`.
 */
phone: string | null, 
/**
 * 1 admin, 2 staff, 3 client.
 */
level: number, active: boolean, 
/**
 * The user blocked the bot in Telegram.
 */
blocked_bot: boolean, 
/**
 * RFC 3339.
 */
last_seen: string | null, created: string, };

export type UsersPageDto = { total: number, offset: number, limit: number, users: Array<UserRow>, 
/**
 * No active admin exists: the page offers to appoint the first one.
 */
needs_first_admin: boolean, };

export type UserEdit = { display_name: string | null, level: number | null, active: boolean | null, };

export type OrderRow = { folder: string, number: string, plate: string | null, 
/**
 * `YYYY-MM-DD`, the folder's creation date.
 */
created: string, };

export type OrdersPageDto = { total: number, offset: number, orders: Array<OrderRow>, };

export type CalendarDayDto = { day: number, orders: number, };

export type CalendarMonthDto = { 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Only days with orders.
 */
days: Array<CalendarDayDto>, 
/**
 * `YYYY-MM-DD`, local.
 */
today: string, };

export type ConnectedClient = { telegram_id: number, name: string, active: boolean, blocked_bot: boolean, };

export type OrderPhone = { phone: string, clients: Array<ConnectedClient>, };

export type StageFiles = { title: string, folder: string, client_visible: boolean, files: number, };

export type OrderDetail = { folder: string, number: string, plate: string | null, 
/**
 * The folder's full path.
 */
path: string, 
/**
 * `YYYY-MM-DD`.
 */
created: string, 
/**
 * `birth` (the folder's creation time) or `first_seen` (when ServiceBot first saw it).
 */
created_from: string, phones: Array<OrderPhone>, 
/**
 * The configured stages, then the clients' own folder.
 */
stages: Array<StageFiles>, organization: string, };

export type InviteDto = { order_no: string, url: string, 
/**
 * An SVG image as a `data:` URL, made on this computer.
 */
qr_data_url: string, 
/**
 * The text to send by SMS.
 */
sms_text: string, organization: string, };

export type VersionDto = { at: string, text: string | null, };

export type TimelineMedia = { media_id: number, 
/**
 * `photo`, `video`, `document`, `voice`, `video_note`, `audio`.
 */
kind: string, 
/**
 * The kind in words.
 */
kind_text: string, 
/**
 * The file's name, when stored.
 */
name: string | null, 
/**
 * Relative to the orders root, for `thumbnail`; set for stored photos only.
 */
thumbnail_path: string | null, size: number | null, 
/**
 * How long a video, voice message, round video or audio plays, as `1:05` or `1:02:03`.
 */
duration: string | null, 
/**
 * The stage's title (or folder).
 */
stage: string, 
/**
 * `stored`, `spooled`, `too_big`, `failed`, `pending`.
 */
storage: string, 
/**
 * `sent`, `internal`, `no_client`, `failed`, `pending`, `from_client`.
 */
relay: string, };

export type TimelineApproval = { 
/**
 * `approve` or `decline`.
 */
decision: string, description: string, 
/**
 * The verified phone.
 */
phone: string, decided_at: string, };

export type TimelineItem = { 
/**
 * Stable within the timeline (for lists).
 */
key: string, at: string, 
/**
 * `staff`, `client` or `system`.
 */
side: string, 
/**
 * `text`, `media`, `approval`, `event`, `user_change`.
 */
kind: string, 
/**
 * Who said or did it (a name; empty for the system).
 */
who: string, 
/**
 * Texts and captions: the original first, then each edit.
 */
versions: Array<VersionDto>, media: TimelineMedia | null, approval: TimelineApproval | null, 
/**
 * What happened, for events and user changes, in words.
 */
event: string | null, 
/**
 * The message did not reach the client.
 */
failed: boolean, };

export type TimelineDto = { items: Array<TimelineItem>, };

export type FileFlag = { media_id: number, 
/**
 * `changed` or `missing`.
 */
check: string, name: string, };

export type FileChecks = { checked: number, flagged: Array<FileFlag>, };

export type ExportDto = { path: string, files: number, flagged: number, };

export type UnansweredDto = { order_no: string, order_folder: string, client_id: number, client: string, 
/**
 * RFC 3339.
 */
since: string, 
/**
 * Waited longer than `notify.unanswered_minutes`.
 */
overdue: boolean, };
