//! `servicebot-core`: the ServiceBot domain.
//!
//! Owns the configuration, phone numbers, order folders and their in-memory index, the SQLite
//! store, the media store (the only writer under the orders root) and the user-facing texts.
//!
//! It must not depend on an async runtime, teloxide, Tauri or any HTTP client: everything here is
//! plain, synchronous and testable on its own. Time is passed in (`now` arguments) so behaviour is
//! deterministic under test.

pub mod access;
mod atomic_file;
pub mod config;
pub mod dialogue;
pub mod evidence;
pub mod legacy;
pub mod media_store;
pub mod orders;
pub mod pacing;
pub mod phone;
pub mod store;
pub mod texts;
pub mod user_changes;
mod win_names;
pub mod win_paths;

pub use config::Config;
pub use phone::Phone;
