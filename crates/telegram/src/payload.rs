//! What the bot sends, as stored in an outbox row (JSON), and the Bot API call each becomes.
//! Everything the bot sends — replies, screens, cards, receipts, relays, button answers — is
//! one of these, so all of it is durable and paced the same way.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One outbox item's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxPayload {
    /// An HTML text (already escaped), with an optional keyboard (inline or reply).
    Text {
        html: String,
        #[serde(default, alias = "keyboard", skip_serializing_if = "Option::is_none")]
        markup: Option<Value>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        silent: bool,
    },
    /// A copy of an existing message (relay by file id), with an HTML caption.
    Copy {
        from_chat_id: i64,
        message_id: i32,
        caption_html: Option<String>,
        #[serde(default, alias = "keyboard", skip_serializing_if = "Option::is_none")]
        markup: Option<Value>,
    },
    /// An album of existing files (by file id).
    MediaGroup { items: Vec<GroupItem> },
    /// A new text (and keyboard) for a message sent earlier.
    Edit {
        target: EditTarget,
        html: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        markup: Option<Value>,
    },
    /// A new keyboard for a message sent earlier (the text stays).
    EditMarkup { message_id: i32, markup: Value },
    /// The answer to a pressed button (stops its spinner; an alert when `alert`).
    Answer {
        query_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(default)]
        alert: bool,
    },
    /// The staff member's pinned card: edited in place, or sent (then pinned) when there is
    /// none or it was deleted.
    Card { staff_id: i64, html: String },
    /// Pins a message without notifying.
    Pin { message_id: i32 },
    /// An HTML file (a transcript), uploaded.
    Document {
        file_name: String,
        content: String,
        caption_html: Option<String>,
    },
    /// The command menu of one chat (`scope_chat`) or of all private chats.
    Commands {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope_chat: Option<i64>,
        commands: Vec<(String, String)>,
    },
    /// Leaves a group the bot was added to.
    LeaveChat,
}

/// Which message an edit changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditTarget {
    /// A message whose id is known (a pressed button's message).
    Message(i32),
    /// The message an earlier outbox item sent (a receipt); resolved when the edit is sent.
    Item(i64),
}

/// One file of an album to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupItem {
    /// `photo`, `video`, `document` or `audio`.
    pub kind: String,
    pub file_id: String,
    pub caption_html: Option<String>,
}

impl OutboxPayload {
    /// Whether the item counts against Telegram's per-chat message limits. Button answers and
    /// menu changes do not, and a reply to a user's own action must never wait for pacing.
    pub fn is_paced(&self) -> bool {
        !matches!(
            self,
            OutboxPayload::Answer { .. }
                | OutboxPayload::Commands { .. }
                | OutboxPayload::LeaveChat
        )
    }

    /// Whether the item belongs to its chat's ordered lane (button answers do not: they must
    /// arrive within seconds whatever the chat is waiting for).
    pub fn in_chat_lane(&self) -> bool {
        !matches!(
            self,
            OutboxPayload::Answer { .. } | OutboxPayload::Commands { .. }
        )
    }

    pub fn text(html: String) -> Self {
        OutboxPayload::Text {
            html,
            markup: None,
            silent: false,
        }
    }
}

/// A Bot API call: its method and JSON parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: &'static str,
    pub params: Value,
}

/// The call for a text message.
pub fn send_message(chat_id: i64, html: &str, markup: Option<&Value>, silent: bool) -> Call {
    let mut params = json!({"chat_id": chat_id, "text": html, "parse_mode": "HTML"});
    if let Some(markup) = markup {
        params["reply_markup"] = markup.clone();
    }
    if silent {
        params["disable_notification"] = json!(true);
    }
    Call {
        method: "sendMessage",
        params,
    }
}

pub fn edit_message(chat_id: i64, message_id: i32, html: &str, markup: Option<&Value>) -> Call {
    let mut params = json!({
        "chat_id": chat_id, "message_id": message_id, "text": html, "parse_mode": "HTML"
    });
    if let Some(markup) = markup {
        params["reply_markup"] = markup.clone();
    }
    Call {
        method: "editMessageText",
        params,
    }
}

/// The call for an item whose content needs nothing resolved at send time.
pub fn simple_call(chat_id: i64, payload: &OutboxPayload) -> Option<Call> {
    Some(match payload {
        OutboxPayload::Text {
            html,
            markup,
            silent,
        } => send_message(chat_id, html, markup.as_ref(), *silent),
        OutboxPayload::Copy {
            from_chat_id,
            message_id,
            caption_html,
            markup,
        } => {
            let mut params = json!({
                "chat_id": chat_id, "from_chat_id": from_chat_id, "message_id": message_id
            });
            if let Some(caption) = caption_html {
                params["caption"] = json!(caption);
                params["parse_mode"] = json!("HTML");
            }
            if let Some(markup) = markup {
                params["reply_markup"] = markup.clone();
            }
            Call {
                method: "copyMessage",
                params,
            }
        }
        OutboxPayload::MediaGroup { items } => {
            let media: Vec<Value> = items
                .iter()
                .map(|item| {
                    let mut media = json!({"type": item.kind, "media": item.file_id});
                    if let Some(caption) = &item.caption_html {
                        media["caption"] = json!(caption);
                        media["parse_mode"] = json!("HTML");
                    }
                    media
                })
                .collect();
            Call {
                method: "sendMediaGroup",
                params: json!({"chat_id": chat_id, "media": media}),
            }
        }
        OutboxPayload::Edit {
            target: EditTarget::Message(message_id),
            html,
            markup,
        } => edit_message(chat_id, *message_id, html, markup.as_ref()),
        OutboxPayload::EditMarkup { message_id, markup } => Call {
            method: "editMessageReplyMarkup",
            params: json!({"chat_id": chat_id, "message_id": message_id, "reply_markup": markup}),
        },
        OutboxPayload::Answer {
            query_id,
            text,
            alert,
        } => {
            let mut params = json!({"callback_query_id": query_id});
            if let Some(text) = text {
                params["text"] = json!(text);
                params["show_alert"] = json!(alert);
            }
            Call {
                method: "answerCallbackQuery",
                params,
            }
        }
        OutboxPayload::Pin { message_id } => Call {
            method: "pinChatMessage",
            params: json!({
                "chat_id": chat_id, "message_id": message_id, "disable_notification": true
            }),
        },
        OutboxPayload::Commands {
            scope_chat,
            commands,
        } => {
            let scope = match scope_chat {
                Some(chat) => json!({"type": "chat", "chat_id": chat}),
                None => json!({"type": "all_private_chats"}),
            };
            let commands: Vec<Value> = commands
                .iter()
                .map(|(command, description)| {
                    json!({"command": command, "description": description})
                })
                .collect();
            Call {
                method: "setMyCommands",
                params: json!({"commands": commands, "scope": scope}),
            }
        }
        OutboxPayload::LeaveChat => Call {
            method: "leaveChat",
            params: json!({"chat_id": chat_id}),
        },
        OutboxPayload::Edit {
            target: EditTarget::Item(_),
            ..
        }
        | OutboxPayload::Card { .. }
        | OutboxPayload::Document { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, reason = "test code")]
    use super::*;

    #[test]
    fn rows_written_by_the_previous_version_still_read() {
        let old = r#"{"kind":"text","html":"<b>x</b>","keyboard":{"inline_keyboard":[]}}"#;
        let payload: OutboxPayload = serde_json::from_str(old).expect("old text row");
        assert_eq!(
            payload,
            OutboxPayload::Text {
                html: "<b>x</b>".into(),
                markup: Some(json!({"inline_keyboard": []})),
                silent: false
            }
        );
        let old = r#"{"kind":"copy","from_chat_id":1,"message_id":2,"caption_html":null}"#;
        assert!(serde_json::from_str::<OutboxPayload>(old).is_ok());
    }

    #[test]
    fn button_answers_are_neither_paced_nor_queued_behind_messages() {
        let answer = OutboxPayload::Answer {
            query_id: "q".into(),
            text: None,
            alert: false,
        };
        assert!(!answer.is_paced() && !answer.in_chat_lane());
        let text = OutboxPayload::text("x".into());
        assert!(text.is_paced() && text.in_chat_lane());
    }

    #[test]
    fn calls_carry_html_parse_mode_and_markup() {
        let call = simple_call(
            5,
            &OutboxPayload::Text {
                html: "a".into(),
                markup: Some(json!({"remove_keyboard": true})),
                silent: true,
            },
        )
        .expect("call");
        assert_eq!(call.method, "sendMessage");
        assert_eq!(call.params["parse_mode"], "HTML");
        assert_eq!(call.params["reply_markup"]["remove_keyboard"], true);
        assert_eq!(call.params["disable_notification"], true);
    }
}
