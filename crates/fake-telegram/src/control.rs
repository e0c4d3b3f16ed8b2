//! The control API tests use: users, updates pushed as them, what the bot sent, faults.

use std::time::Duration;

use serde_json::json;

use crate::FakeTelegram;
use crate::faults::{Fault, FaultRule};
use crate::json as tg;
use crate::state::{AlbumItem, CallbackAnswer, Chat, MediaKind, SentMessage, State, TgUser};

impl FakeTelegram {
    /// Creates a Telegram user (and their private chat with the bot).
    pub fn user(&self, first_name: &str) -> TgUser {
        self.user_with(first_name, None, None)
    }

    pub fn user_with(
        &self,
        first_name: &str,
        last_name: Option<&str>,
        username: Option<&str>,
    ) -> TgUser {
        let mut state = self.state();
        let id = state.next_user_id;
        state.next_user_id += 1;
        let user = TgUser {
            id,
            first_name: first_name.to_owned(),
            last_name: last_name.map(str::to_owned),
            username: username.map(str::to_owned),
        };
        state.users.insert(id, user.clone());
        user
    }

    /// Pushes a message from `user` in their private chat; returns its message id.
    fn push_user_message(
        &self,
        user: &TgUser,
        chat_id: i64,
        fill: impl FnOnce(&mut State, &mut SentMessage),
    ) -> i32 {
        let id = {
            let mut state = self.state();
            let date = state.now();
            let mut message =
                SentMessage::new(chat_id, state.next_message_id(chat_id), false, "user", date);
            message.from_user = Some(user.id);
            fill(&mut state, &mut message);
            let json = tg::message(&state, &message);
            let id = message.message_id;
            state.push_message(message);
            state.push_update("message", json);
            id
        };
        self.shared.changed();
        id
    }

    /// A text message.
    pub fn send_text(&self, user: &TgUser, text: &str) -> i32 {
        let text = text.to_owned();
        self.push_user_message(user, user.id, move |_, m| m.text = Some(text))
    }

    /// A command, with an optional payload after a space: `/start abc123`.
    pub fn send_command(&self, user: &TgUser, command_line: &str) -> i32 {
        let text = command_line.to_owned();
        let command_len = text
            .split_whitespace()
            .next()
            .map_or(0, |c| c.encode_utf16().count());
        self.push_user_message(user, user.id, move |_, m| {
            m.entities =
                Some(json!([{ "type": "bot_command", "offset": 0, "length": command_len }]));
            m.text = Some(text);
        })
    }

    /// A shared contact. `contact_user_id` is the id of the person the contact belongs to:
    /// the sender's own id when they pressed "share my number", another id (or `None`) for
    /// someone else's contact card.
    pub fn send_contact(&self, user: &TgUser, phone: &str, contact_user_id: Option<i64>) -> i32 {
        let mut contact = json!({ "phone_number": phone, "first_name": user.first_name });
        if let Some(id) = contact_user_id {
            contact["user_id"] = json!(id);
        }
        self.push_user_message(user, user.id, move |_, m| m.contact = Some(contact))
    }

    /// A photo with three sizes; the largest holds `bytes`, the smaller ones prefixes of it.
    pub fn send_photo(&self, user: &TgUser, bytes: Vec<u8>, caption: Option<&str>) -> i32 {
        let caption = caption.map(str::to_owned);
        self.push_user_message(user, user.id, move |state, m| {
            m.media = Some(photo_media(state, bytes));
            m.caption = caption;
        })
    }

    pub fn send_video(&self, user: &TgUser, bytes: Vec<u8>, caption: Option<&str>) -> i32 {
        self.send_file(user, AlbumItem::video(bytes), caption)
    }

    pub fn send_document(
        &self,
        user: &TgUser,
        file_name: &str,
        mime_type: &str,
        bytes: Vec<u8>,
        caption: Option<&str>,
    ) -> i32 {
        self.send_file(
            user,
            AlbumItem::document(file_name, mime_type, bytes),
            caption,
        )
    }

    pub fn send_voice(&self, user: &TgUser, bytes: Vec<u8>) -> i32 {
        self.send_file(user, AlbumItem::voice(bytes), None)
    }

    pub fn send_video_note(&self, user: &TgUser, bytes: Vec<u8>) -> i32 {
        self.send_file(user, AlbumItem::video_note(bytes), None)
    }

    pub fn send_audio(&self, user: &TgUser, file_name: &str, bytes: Vec<u8>) -> i32 {
        self.send_file(user, AlbumItem::audio(file_name, bytes), None)
    }

    /// Any single file message.
    pub fn send_file(&self, user: &TgUser, item: AlbumItem, caption: Option<&str>) -> i32 {
        let caption = caption.map(str::to_owned);
        self.push_user_message(user, user.id, move |state, m| {
            m.media = Some(file_media(state, item));
            m.caption = caption;
        })
    }

    /// An album: one update per item sharing a `media_group_id`; the caption goes on the
    /// first item, as Telegram clients send it.
    pub fn send_album(
        &self,
        user: &TgUser,
        items: Vec<AlbumItem>,
        caption: Option<&str>,
    ) -> Vec<i32> {
        let group = {
            let mut state = self.state();
            state.next_group += 1;
            format!("UG{:08}", state.next_group)
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let group = group.clone();
                let caption = if i == 0 {
                    caption.map(str::to_owned)
                } else {
                    None
                };
                self.push_user_message(user, user.id, move |state, m| {
                    m.media = Some(file_media(state, item));
                    m.caption = caption;
                    m.media_group_id = Some(group);
                })
            })
            .collect()
    }

    /// The user edits their text message: an `edited_message` update.
    pub fn edit_text(&self, user: &TgUser, message_id: i32, new_text: &str) {
        {
            let mut state = self.state();
            let Some(message) = state
                .message_mut(user.id, message_id)
                .filter(|m| m.from_user == Some(user.id))
            else {
                panic!("user {} has no message {message_id} to edit", user.id);
            };
            message.text = Some(new_text.to_owned());
            message.edits += 1;
            let message = message.clone();
            let mut json = tg::message(&state, &message);
            json["edit_date"] = json!(state.now());
            state.push_update("edited_message", json);
        }
        self.shared.changed();
    }

    /// Presses the button labelled `text` on the newest bot message in the user's chat that
    /// has it; returns the callback query id.
    pub fn press_button(&self, user: &TgUser, text: &str) -> String {
        let message_id = {
            let state = self.state();
            let found = state.messages.get(&user.id).and_then(|messages| {
                messages
                    .iter()
                    .rev()
                    .filter(|m| m.from_bot && !m.deleted)
                    .find(|m| m.button_texts().iter().any(|b| b == text))
            });
            match found {
                Some(message) => message.message_id,
                None => panic!(
                    "no button {text:?} in the chat with user {}; buttons: {:?}",
                    user.id,
                    all_buttons(&state, user.id)
                ),
            }
        };
        self.press_button_on(user, message_id, text)
    }

    /// Presses the button labelled `text` on one message.
    pub fn press_button_on(&self, user: &TgUser, message_id: i32, text: &str) -> String {
        let data = {
            let state = self.state();
            let message = state
                .message(user.id, message_id)
                .unwrap_or_else(|| panic!("no message {message_id}"));
            let button = message
                .inline_buttons()
                .into_iter()
                .flatten()
                .find(|b| b.text == text);
            match button.and_then(|b| b.callback_data) {
                Some(data) => data,
                None => panic!(
                    "message {message_id} has no callback button {text:?}: {:?}",
                    message.button_texts()
                ),
            }
        };
        self.press_callback_data(user, message_id, &data)
    }

    /// Sends a callback query with arbitrary data for a message, as a forged client could.
    pub fn press_callback_data(&self, user: &TgUser, message_id: i32, data: &str) -> String {
        let id = {
            let mut state = self.state();
            state.next_callback += 1;
            let id = format!("CB{:08}", state.next_callback);
            let message = state
                .message(user.id, message_id)
                .map(|m| tg::message(&state, m));
            let mut query = json!({
                "id": id,
                "from": tg::user(user),
                "chat_instance": format!("ci{}", user.id),
                "data": data,
            });
            if let Some(message) = message {
                query["message"] = message;
            }
            state.callback_queries.insert(id.clone(), None);
            state.push_update("callback_query", query);
            id
        };
        self.shared.changed();
        id
    }

    /// A message from `user` in a group chat with the bot; returns the group's chat id.
    pub fn send_group_text(&self, user: &TgUser, group_title: &str, text: &str) -> i64 {
        let chat_id = {
            let mut state = self.state();
            state.next_group += 1;
            let chat_id = -1_000_000_000_000 - state.next_group as i64;
            state.chats.insert(
                chat_id,
                Chat {
                    group_title: Some(group_title.to_owned()),
                },
            );
            chat_id
        };
        let text = text.to_owned();
        self.push_user_message(user, chat_id, move |_, m| m.text = Some(text));
        chat_id
    }

    /// Queues every update from `from_update_id` on again, with the same ids, as Telegram does
    /// for updates whose confirmation it never got (a bot that stopped abruptly).
    pub fn redeliver_from(&self, from_update_id: i64) {
        {
            let mut state = self.state();
            let again: Vec<(i64, serde_json::Value)> = state
                .history
                .iter()
                .filter(|(id, _)| *id >= from_update_id)
                .cloned()
                .collect();
            for update in again {
                if !state.updates.iter().any(|(id, _)| *id == update.0) {
                    state.updates.push(update);
                }
            }
            state.updates.sort_by_key(|(id, _)| *id);
        }
        self.shared.changed();
    }

    /// The id the next pushed update will get.
    pub fn next_update_id(&self) -> i64 {
        self.state().next_update_id
    }

    /// The user blocks the bot: sending to them now fails with 403.
    pub fn block_bot(&self, user: &TgUser) {
        self.state().blocked_by.insert(user.id);
    }

    pub fn unblock_bot(&self, user: &TgUser) {
        self.state().blocked_by.remove(&user.id);
    }

    /// What the bot sent to `chat_id` and did not delete, oldest first.
    pub fn sent_to(&self, chat_id: i64) -> Vec<SentMessage> {
        self.state()
            .messages
            .get(&chat_id)
            .map(|m| {
                m.iter()
                    .filter(|m| m.from_bot && !m.deleted)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every message in the chat, both ways, deleted ones included.
    pub fn chat_history(&self, chat_id: i64) -> Vec<SentMessage> {
        self.state()
            .messages
            .get(&chat_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Waits until the bot has sent at least `count` messages to `chat_id` (deleted ones
    /// count too: they were sent), then returns what it sent; panics after `timeout` with
    /// what arrived.
    pub async fn wait_for_sent(
        &self,
        chat_id: i64,
        count: usize,
        timeout: Duration,
    ) -> Vec<SentMessage> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mut changes = self.shared.subscribe();
            let sent: Vec<SentMessage> = self
                .chat_history(chat_id)
                .into_iter()
                .filter(|m| m.from_bot)
                .collect();
            if sent.len() >= count {
                return sent;
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                panic!(
                    "waited {timeout:?} for {count} bot messages in chat {chat_id}, got {}: {:?}",
                    sent.len(),
                    sent.iter()
                        .map(|m| (m.method.as_str(), m.body().to_owned()))
                        .collect::<Vec<_>>()
                );
            }
        }
    }

    /// Waits until `condition` holds for the fake's state as seen through this handle.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        mut condition: impl FnMut(&FakeTelegram) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mut changes = self.shared.subscribe();
            if condition(self) {
                return true;
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                return condition(self);
            }
        }
    }

    /// The bytes of a file the bot uploaded or a user sent.
    pub fn file_bytes(&self, file_id: &str) -> Option<Vec<u8>> {
        self.state()
            .files
            .get(file_id)
            .map(|f| f.bytes.as_ref().clone())
    }

    /// How the bot answered a callback query (`None`: not answered yet).
    pub fn callback_answer(&self, query_id: &str) -> Option<CallbackAnswer> {
        self.state()
            .callback_queries
            .get(query_id)
            .cloned()
            .flatten()
    }

    /// The commands set for a scope: `default`, `all_private_chats`, `chat:<id>`…
    pub fn commands(&self, scope: &str) -> Vec<(String, String)> {
        self.state()
            .commands
            .get(scope)
            .cloned()
            .unwrap_or_default()
    }

    /// How many times the bot called `method` (case-insensitive).
    pub fn requests(&self, method: &str) -> u64 {
        self.state()
            .requests
            .get(&method.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }

    pub fn left_chats(&self) -> Vec<i64> {
        self.state().left_chats.clone()
    }

    pub fn chat_actions(&self) -> Vec<(i64, String)> {
        self.state().chat_actions.clone()
    }

    /// Updates not yet confirmed by the bot.
    pub fn pending_updates(&self) -> usize {
        self.state().updates.len()
    }

    /// The next `times` calls of `method` get `fault`. The method `"*"` means every call:
    /// each Bot API method and file downloads; a rule for the exact method goes first.
    pub fn inject(&self, method: &str, fault: Fault, times: u32) {
        self.add_rule(
            method,
            FaultRule {
                fault,
                remaining: Some(times),
                percent: 0,
                calls: 0,
            },
        );
    }

    /// `percent` of the calls of `method` (`"*"`: of all calls) get `fault`, spread evenly,
    /// until cleared.
    pub fn inject_percent(&self, method: &str, fault: Fault, percent: u32) {
        self.add_rule(
            method,
            FaultRule {
                fault,
                remaining: None,
                percent: percent.min(100),
                calls: 0,
            },
        );
    }

    /// Adds `latency` to every call and download from now on (benchmarks model the network).
    pub fn set_latency(&self, latency: Duration) {
        self.state().latency = latency;
    }

    /// Limits file downloads and uploads to `bytes_per_second` (0: unlimited), to model a real
    /// line: loopback moves 15 MB in milliseconds, a service centre's uplink does not.
    pub fn set_bandwidth(&self, bytes_per_second: u64) {
        self.state().bandwidth = bytes_per_second;
    }

    /// Takes the fake off the network (`true`) or back on (`false`). While offline every
    /// request, methods and downloads alike, and every request in flight gets its connection
    /// dropped without an answer, as an unreachable network would; a `getUpdates` made while
    /// offline confirms nothing. Requests are still counted by [`FakeTelegram::requests`].
    pub fn set_offline(&self, offline: bool) {
        self.state().offline = offline;
        self.shared.changed();
    }

    /// Enforces Telegram's sending limits from now on (`true`) or stops (`false`): a private
    /// chat gets about one message a second after a burst of three, a group 20 a minute, all
    /// chats together 30 a second; a send beyond them is refused with 429 and `retry_after`.
    /// See the `limits` module for exactly what counts.
    pub fn enforce_limits(&self, enforce: bool) {
        self.state().limits.enforce = enforce;
    }

    /// Every message-creating call the fake answered successfully, oldest first, with when it
    /// was answered (recorded whether or not limits are enforced).
    pub fn send_log(&self) -> Vec<crate::SendRecord> {
        self.state().limits.log.clone()
    }

    /// How many sends to `chat_id` the enforced limits refused with 429.
    pub fn limit_refusals(&self, chat_id: i64) -> u64 {
        let state = self.state();
        state
            .limits
            .refused
            .iter()
            .filter(|r| r.chat_id == chat_id)
            .count() as u64
    }

    /// How many sends the enforced limits refused with 429, over all chats.
    pub fn limit_refusals_total(&self) -> u64 {
        self.state().limits.refused.len() as u64
    }

    /// Every send the enforced limits refused, oldest first, with the limit in the way.
    pub fn limit_refusal_log(&self) -> Vec<crate::LimitRefusal> {
        self.state().limits.refused.clone()
    }

    pub fn clear_faults(&self) {
        self.state().faults.clear();
    }

    fn add_rule(&self, method: &str, rule: FaultRule) {
        self.state()
            .faults
            .entry(method.to_ascii_lowercase())
            .or_default()
            .push(rule);
    }
}

fn all_buttons(state: &State, chat_id: i64) -> Vec<String> {
    state
        .messages
        .get(&chat_id)
        .into_iter()
        .flatten()
        .filter(|m| m.from_bot && !m.deleted)
        .flat_map(|m| m.button_texts())
        .collect()
}

fn photo_media(state: &mut State, bytes: Vec<u8>) -> crate::state::SentMedia {
    let mut sizes = Vec::new();
    for (divisor, width, height) in [(16, 90, 67), (4, 320, 240), (1, 1280, 960)] {
        let part = bytes[..(bytes.len() / divisor).max(1).min(bytes.len())].to_vec();
        let mut file = state.add_file(MediaKind::Photo, part, None, Some("image/jpeg".into()));
        file.width = width;
        file.height = height;
        state.files.insert(file.file_id.clone(), file.clone());
        sizes.push(file);
    }
    let largest = sizes
        .last()
        .cloned()
        .unwrap_or_else(|| state.add_file(MediaKind::Photo, Vec::new(), None, None));
    state.media_of(&largest, sizes.iter().map(|f| f.file_id.clone()).collect())
}

fn file_media(state: &mut State, item: AlbumItem) -> crate::state::SentMedia {
    if item.kind == MediaKind::Photo {
        return photo_media(state, item.bytes);
    }
    let mut file = state.add_file(item.kind, item.bytes, item.file_name, item.mime_type);
    if let Some(seconds) = item.duration {
        file.duration = seconds;
        state.files.insert(file.file_id.clone(), file.clone());
    }
    state.media_of(&file, Vec::new())
}
