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

// The modules in layers, lowest first. A module uses only modules listed before it (checked by
// the `layers` test below), so there are no import cycles:
// vocabulary — what Telegram and the outbox speak;
pub mod api;
mod payload;
mod incoming;
// dependencies — what every step is given;
mod context;
mod queue;
mod keyboards;
mod cx;
// effect executors — turning decisions into outbox rows, sending them, fetching files;
mod receipts;
mod delivery;
pub mod outbox;
mod files;
mod menus;
mod storage;
mod directory;
// the one gate;
mod auth;
// features;
mod relaying;
mod card;
mod staff;
mod approvals;
mod media;
mod clients;
mod materials;
mod links;
mod onboarding;
mod admin;
// wiring.
mod schema;
mod process;
mod poller;
mod supervisor;

#[cfg(test)]
mod layers;

pub use context::{BotDeps, Deps};
pub use files::FileTuning;
pub use outbox::OutboxTuning;
pub use payload::{EditTarget, GroupItem, OutboxPayload};
pub use poller::PollTuning;
pub use supervisor::{BOT_USERNAME_KEY, BotProblem, BotStatus, BotSupervisor, Tuning};

/// What handlers may fail with; the processor rolls the update back and logs it.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
pub type HandlerResult = Result<(), HandlerError>;
