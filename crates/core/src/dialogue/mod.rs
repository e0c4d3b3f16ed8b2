//! The conversation logic, sans-IO: pure functions of (state, input, context) → (new state,
//! effects). They never read the clock, the network or the disk; the Telegram adapter turns
//! updates into inputs, passes `today` and a read-only view of the order index, and executes the
//! effects. Every dialogue is therefore testable as a table.

pub mod media;
pub mod screens;
pub mod staff;

use serde::{Deserialize, Serialize};

/// What a button does. Stored server-side behind a short opaque key (Telegram allows 64 bytes
/// of callback data; folder names can be longer and contain any character).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "a", rename_all = "snake_case")]
pub enum NavAction {
    /// Show a month of the calendar.
    Month { year: i32, month: u32 },
    /// List the orders of a day, one page.
    Day {
        date: chrono::NaiveDate,
        page: usize,
    },
    /// Ask for a search text.
    SearchPrompt,
    /// One page of search results.
    Search { query: String, page: usize },
    /// Enter an order (then choose the stage).
    Order { folder: String },
    /// Choose a stage of an order.
    Stage { folder: String, stage: String },
    /// A label with nothing to do (calendar headers, empty days).
    Noop,
}

/// A button: its label and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub action: NavAction,
}

impl Button {
    pub fn new(label: impl Into<String>, action: NavAction) -> Self {
        Self {
            label: label.into(),
            action,
        }
    }
}

/// A message with an inline keyboard. `text` is plain text (the adapter escapes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    pub text: String,
    pub rows: Vec<Vec<Button>>,
}
