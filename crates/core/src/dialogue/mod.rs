//! The conversation logic, sans-IO: pure functions of (state, input, context) → (new state,
//! effects). They never read the clock, the network or the disk; the Telegram adapter turns
//! updates into inputs, passes `today` and a read-only view of the order index, and executes the
//! effects. Every dialogue is therefore testable as a table.

pub mod admin;
pub mod admin_step;
pub mod approval;
pub mod media;
pub mod receipts;
pub mod relay;
pub mod routing;
pub mod screens;
pub mod split;
pub mod staff;
pub mod transcript;

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

/// What an admin-menu button does (SPEC §4.5).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "a", rename_all = "snake_case")]
pub enum AdminAction {
    /// The admin menu.
    Menu,
    /// One page of the users list, filtered by `query` (empty: everyone).
    Users { query: String, page: usize },
    /// Ask for a search text for the users list.
    UserSearch,
    /// A user's card.
    User { id: i64 },
    /// Set a user's level (1 admin, 2 staff, 3 client).
    SetLevel { id: i64, level: u8 },
    /// Ask for a user's new display name.
    Rename { id: i64 },
    /// Block (`active = false`) or unblock a user.
    SetActive { id: i64, active: bool },
    /// Ask for an order number or plate for a transcript.
    TranscriptSearch,
    /// Send the transcript of an order (by order number: closed orders have transcripts too).
    Transcript { order_no: String },
    /// Forget the awaited text.
    Cancel,
}

/// What any inline button does, whoever it was sent to. Each kind needs a role to press it,
/// checked by the one authorisation step when the button is pressed (see [`crate::access`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "k", content = "v", rename_all = "snake_case")]
pub enum Action {
    /// Staff navigation: calendar, search, orders, stages.
    Nav(NavAction),
    /// The admin menu.
    Admin(AdminAction),
    /// A client asks for the client-visible materials of an order.
    Materials { folder: String },
    /// A client approves or declines recommended work.
    Decide { request: i64, approve: bool },
    /// Staff fix the client's decision (no more changes).
    CloseApproval {
        request: i64,
        /// The decision the staff notice reported (buttons issued before this was kept have
        /// none).
        #[serde(default)]
        decision: Option<i64>,
    },
}

impl From<NavAction> for Action {
    fn from(action: NavAction) -> Self {
        Action::Nav(action)
    }
}

impl PartialEq<NavAction> for Action {
    fn eq(&self, other: &NavAction) -> bool {
        matches!(self, Action::Nav(nav) if nav == other)
    }
}

impl From<AdminAction> for Action {
    fn from(action: AdminAction) -> Self {
        Action::Admin(action)
    }
}

/// A button: its label and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub action: Action,
}

impl Button {
    pub fn new(label: impl Into<String>, action: impl Into<Action>) -> Self {
        Self {
            label: label.into(),
            action: action.into(),
        }
    }
}

/// A message with an inline keyboard. `text` is plain text (the adapter escapes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    pub text: String,
    pub rows: Vec<Vec<Button>>,
}
