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

// Layers, lowest first (a module imports only from layers above it in this list):
// vocabulary — what Telegram and the outbox speak;
pub mod api;
mod payload;
// dependencies — what every step is given;
mod context;
mod cx;
// effect executors — turning decisions into outbox rows, sending them, fetching files;
mod delivery;
mod files;
mod keyboards;
mod menus;
pub mod outbox;
mod receipts;
mod storage;
// the one gate;
mod auth;
// features;
mod admin;
mod approvals;
mod card;
mod clients;
mod links;
mod materials;
mod media;
mod onboarding;
mod staff;
// wiring.
mod poller;
mod process;
mod schema;
mod supervisor;

pub use context::{BotDeps, Deps};
pub use files::FileTuning;
pub use outbox::OutboxTuning;
pub use payload::{EditTarget, GroupItem, OutboxPayload};
pub use poller::PollTuning;
pub use supervisor::{BOT_USERNAME_KEY, BotStatus, BotSupervisor, Tuning};

/// What handlers may fail with; the processor rolls the update back and logs it.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;
