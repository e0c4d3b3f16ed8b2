//! The context of processing one inbox entry: the bot's dependencies, the open transaction,
//! and the one clock reading every decision of this entry uses. Handlers never call Telegram:
//! everything they send is an outbox row written in this transaction, so the entry's effects
//! land together with marking it done, or not at all.

use chrono::{DateTime, NaiveDate, Utc};
use servicebot_core::dialogue::Screen;
use servicebot_core::dialogue::split::{TEXT_LIMIT, split_text};
use servicebot_core::store::{Store, StoreError};
use servicebot_core::texts::{Arg, TextKey};
use teloxide::types::ChatId;
use teloxide::utils::html;

use crate::context::BotDeps;
use crate::keyboards::inline_keyboard;
use crate::payload::{EditTarget, OutboxPayload};

/// Processing one inbox entry.
#[derive(Debug)]
pub struct Cx<'a> {
    pub deps: &'a BotDeps,
    store: &'a Store,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl std::ops::Deref for Cx<'_> {
    type Target = BotDeps;
    fn deref(&self) -> &BotDeps {
        self.deps
    }
}

impl<'a> Cx<'a> {
    pub fn new(deps: &'a BotDeps, store: &'a Store, now: DateTime<Utc>, today: NaiveDate) -> Self {
        Self {
            deps,
            store,
            now,
            today,
        }
    }

    /// The database, inside this entry's transaction.
    pub fn store(&self) -> &'a Store {
        self.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn text(&self, key: TextKey, args: &[(&str, Arg<'_>)]) -> String {
        self.deps.texts.get(key, args)
    }

    /// Queues `payload` for `chat` (in the chat's lane unless it is a button answer).
    pub fn send(&self, chat: i64, payload: &OutboxPayload) -> Result<i64, StoreError> {
        self.send_with(chat, payload, None, None)
    }

    /// Queues `payload`, recorded against a transcript entry and reported in a receipt.
    pub fn send_with(
        &self,
        chat: i64,
        payload: &OutboxPayload,
        transcript_id: Option<i64>,
        receipt_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        crate::queue::enqueue(
            self.store,
            chat,
            payload,
            transcript_id,
            receipt_id,
            self.now,
        )
    }

    /// Sends a plain text (escaped here), split into parts Telegram accepts when it is long.
    pub fn say(&self, chat: ChatId, text: impl AsRef<str>) -> Result<i64, StoreError> {
        self.say_with_markup(chat, text.as_ref(), None)
    }

    /// Sends a plain text with a keyboard (on its last part).
    pub fn say_with_markup(
        &self,
        chat: ChatId,
        text: &str,
        markup: Option<serde_json::Value>,
    ) -> Result<i64, StoreError> {
        self.html_with_markup(chat, "", text, markup)
    }

    /// Sends `header_html` followed by the plain `body`, split into whole parts under
    /// Telegram's limit; the keyboard goes on the last part. Returns the last part's item.
    pub fn html_with_markup(
        &self,
        chat: ChatId,
        header_html: &str,
        body: &str,
        markup: Option<serde_json::Value>,
    ) -> Result<i64, StoreError> {
        let parts = split_text(header_html, body, TEXT_LIMIT);
        let count = parts.len();
        let mut last = 0;
        for (i, html) in parts.into_iter().enumerate() {
            let payload = OutboxPayload::Text {
                html,
                markup: if i + 1 == count { markup.clone() } else { None },
                silent: false,
            };
            last = self.send(chat.0, &payload)?;
        }
        Ok(last)
    }

    /// Answers a pressed button: stops its spinner, with a short notice or an alert.
    pub fn answer(
        &self,
        query_id: &str,
        text: Option<String>,
        alert: bool,
    ) -> Result<i64, StoreError> {
        let payload = OutboxPayload::Answer {
            query_id: query_id.to_owned(),
            text,
            alert,
        };
        // The lane of a button answer is its own, so the chat is only where it is recorded.
        self.send(0, &payload)
    }

    /// Sends a screen: its text and buttons (their actions stored server-side).
    pub fn screen(&self, chat: ChatId, screen: &Screen) -> Result<i64, StoreError> {
        let markup = self.markup(chat, screen)?;
        self.say_with_markup(chat, &screen.text, markup)
    }

    /// Shows a screen in place of an earlier message (the one whose button was pressed).
    pub fn edit_screen(
        &self,
        chat: ChatId,
        message_id: i32,
        screen: &Screen,
    ) -> Result<i64, StoreError> {
        let markup = self.markup(chat, screen)?;
        let payload = OutboxPayload::Edit {
            target: EditTarget::Message(message_id),
            html: html::escape(&screen.text),
            markup,
        };
        self.send(chat.0, &payload)
    }

    /// The inline keyboard of `screen` for `chat` (its actions stored server-side).
    pub fn keyboard(
        &self,
        chat: i64,
        screen: &Screen,
    ) -> Result<Option<teloxide::types::InlineKeyboardMarkup>, StoreError> {
        inline_keyboard(self.store, self.now, chat, screen)
    }

    fn markup(
        &self,
        chat: ChatId,
        screen: &Screen,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let keyboard = self.keyboard(chat.0, screen)?;
        keyboard
            .map(|k| serde_json::to_value(k).map_err(|e| crate::queue::bad_payload(&e)))
            .transpose()
    }
}

/// The button press an input came from, if any.
#[derive(Debug, Clone)]
pub struct Pressed {
    pub query_id: String,
    /// The message carrying the button (edited in place by navigation).
    pub message_id: Option<i32>,
}
