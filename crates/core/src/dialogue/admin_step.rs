//! The admin menu's decisions (SPEC §4.5), beside the staff dialogue's `step`: what a pressed
//! admin button or the answer to an admin prompt does, as effects the adapter executes (it reads
//! the users list, applies user changes through `user_changes`, sends transcripts).

use super::AdminAction;
use crate::store::{Level, PendingInput};
use crate::texts::TextKey;
use crate::user_changes::UserChange;

/// What the admin did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminInput {
    /// A button of the admin menu.
    Pressed(AdminAction),
    /// A text answering the prompt `pending`.
    Text { pending: PendingInput, text: String },
}

/// What to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminEffect {
    /// The menu, in place of the pressed message.
    Menu,
    /// A page of users matching `query` (empty: everyone).
    Users { query: String, page: usize },
    /// A user's card (or "unknown user" if there is none).
    Card { id: i64 },
    /// Change a user under core's rules, then show their card again.
    Change { id: i64, change: UserChange },
    /// Ask for a text: what the next text means is `input`; `text` is the prompt's key.
    Prompt { input: PendingInput, text: TextKey },
    /// Orders matching `query` whose transcript can be read.
    TranscriptSearch { query: String },
    /// Send an order's transcript (and record that the admin read it).
    Transcript { order_no: String },
    /// Forget the awaited text and say so.
    Cancel,
    /// The button means nothing any more: an alert with this text.
    Stale,
    /// Nothing to do (a text for a prompt that is not the admin menu's).
    Nothing,
}

/// The one admin step: pure, so the menu is testable as a table.
pub fn step(input: AdminInput) -> AdminEffect {
    match input {
        AdminInput::Pressed(action) => match action {
            AdminAction::Menu => AdminEffect::Menu,
            AdminAction::Users { query, page } => AdminEffect::Users { query, page },
            AdminAction::User { id } => AdminEffect::Card { id },
            AdminAction::SetLevel { id, level } => match Level::from_number(i64::from(level)) {
                Some(level) => AdminEffect::Change {
                    id,
                    change: UserChange::Level(level),
                },
                None => AdminEffect::Stale,
            },
            AdminAction::SetActive { id, active } => AdminEffect::Change {
                id,
                change: UserChange::Active(active),
            },
            AdminAction::Rename { id } => AdminEffect::Prompt {
                input: PendingInput::Rename { target: id },
                text: TextKey::AdminRenamePrompt,
            },
            AdminAction::UserSearch => AdminEffect::Prompt {
                input: PendingInput::UserSearch,
                text: TextKey::AdminUserSearchPrompt,
            },
            AdminAction::TranscriptSearch => AdminEffect::Prompt {
                input: PendingInput::TranscriptSearch,
                text: TextKey::AdminTranscriptPrompt,
            },
            AdminAction::Transcript { order_no } => AdminEffect::Transcript { order_no },
            AdminAction::Cancel => AdminEffect::Cancel,
        },
        AdminInput::Text { pending, text } => match pending {
            PendingInput::UserSearch => AdminEffect::Users {
                query: text.trim().to_owned(),
                page: 0,
            },
            // The name's rules (trimmed, 1–64 characters) are `user_changes`'.
            PendingInput::Rename { target } => AdminEffect::Change {
                id: target,
                change: UserChange::Rename(text),
            },
            PendingInput::TranscriptSearch => AdminEffect::TranscriptSearch {
                query: text.trim().to_owned(),
            },
            // The staff dialogue answers its own search.
            PendingInput::OrderSearch => AdminEffect::Nothing,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_admin_input_has_its_effect() {
        use AdminAction as A;
        use AdminEffect as E;
        let pressed = |action| AdminInput::Pressed(action);
        let text = |pending, text: &str| AdminInput::Text {
            pending,
            text: text.to_owned(),
        };
        let cases: Vec<(AdminInput, AdminEffect)> = vec![
            (pressed(A::Menu), E::Menu),
            (
                pressed(A::Users {
                    query: "ив".into(),
                    page: 2,
                }),
                E::Users {
                    query: "ив".into(),
                    page: 2,
                },
            ),
            (pressed(A::User { id: 7 }), E::Card { id: 7 }),
            (
                pressed(A::SetLevel { id: 7, level: 2 }),
                E::Change {
                    id: 7,
                    change: UserChange::Level(Level::Staff),
                },
            ),
            (pressed(A::SetLevel { id: 7, level: 9 }), E::Stale),
            (
                pressed(A::SetActive {
                    id: 7,
                    active: false,
                }),
                E::Change {
                    id: 7,
                    change: UserChange::Active(false),
                },
            ),
            (
                pressed(A::Rename { id: 7 }),
                E::Prompt {
                    input: PendingInput::Rename { target: 7 },
                    text: TextKey::AdminRenamePrompt,
                },
            ),
            (
                pressed(A::UserSearch),
                E::Prompt {
                    input: PendingInput::UserSearch,
                    text: TextKey::AdminUserSearchPrompt,
                },
            ),
            (
                pressed(A::TranscriptSearch),
                E::Prompt {
                    input: PendingInput::TranscriptSearch,
                    text: TextKey::AdminTranscriptPrompt,
                },
            ),
            (
                pressed(A::Transcript {
                    order_no: "ЗН-1".into(),
                }),
                E::Transcript {
                    order_no: "ЗН-1".into(),
                },
            ),
            (pressed(A::Cancel), E::Cancel),
            (
                text(PendingInput::UserSearch, "  ива "),
                E::Users {
                    query: "ива".into(),
                    page: 0,
                },
            ),
            (
                text(PendingInput::Rename { target: 3 }, " Анна "),
                E::Change {
                    id: 3,
                    change: UserChange::Rename(" Анна ".into()),
                },
            ),
            (
                text(PendingInput::TranscriptSearch, " а123 "),
                E::TranscriptSearch {
                    query: "а123".into(),
                },
            ),
            (text(PendingInput::OrderSearch, "а123"), E::Nothing),
        ];
        for (input, effect) in cases {
            assert_eq!(step(input.clone()), effect, "{input:?}");
        }
    }
}
