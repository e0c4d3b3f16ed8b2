//! `servicebot-telegram`: the teloxide adapter.
//!
//! It turns Telegram updates into inputs of the sans-IO dialogue in `servicebot-core`, executes
//! the effects (messages, edits, the pinned card, relays through the durable outbox), and runs
//! the bot under a [`BotSupervisor`] that reports its state (stopped, starting, running as
//! @username, error with the reason) and stops it through teloxide's `ShutdownToken` with a hard
//! deadline. It never touches the orders folder or the database except through core.
//!
//! Everything user-facing comes from `servicebot_core::texts`; texts sent with a parse mode
//! are escaped here.

mod admin;
mod approvals;
mod auth;
mod card;
mod clients;
mod context;
mod errors;
mod keyboards;
mod links;
mod materials;
mod media;
mod menus;
mod onboarding;
pub mod outbox;
mod schema;
mod staff;
mod storage;
mod supervisor;

pub use context::{BotDeps, Deps};
pub use media::MediaBot;
pub use schema::schema;
pub use supervisor::{BOT_USERNAME_KEY, BotStatus, BotSupervisor};

/// The bot type every handler uses: sending paced to Telegram's limits.
pub type TgBot = teloxide::adaptors::Throttle<teloxide::Bot>;

/// What handlers may fail with; teloxide logs it.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;
