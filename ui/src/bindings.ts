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
