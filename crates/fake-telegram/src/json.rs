//! Telegram's JSON shapes for users, chats, messages and files, as teloxide parses them.

use serde_json::{Map, Value, json};

use crate::state::{FileRecord, MediaKind, SentMessage, State, TgUser};
use crate::{BOT_ID, BOT_USERNAME};

pub(crate) fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "ServiceBot", "username": BOT_USERNAME })
}

pub(crate) fn me() -> Value {
    let mut me = bot_user();
    if let Some(object) = me.as_object_mut() {
        for flag in [
            "can_join_groups",
            "can_read_all_group_messages",
            "supports_inline_queries",
            "can_connect_to_business",
            "has_main_web_app",
        ] {
            object.insert(flag.into(), Value::Bool(false));
        }
    }
    me
}

pub(crate) fn user(user: &TgUser) -> Value {
    let mut value = json!({ "id": user.id, "is_bot": false, "first_name": user.first_name, "language_code": "ru" });
    if let Some(last) = &user.last_name {
        value["last_name"] = json!(last);
    }
    if let Some(username) = &user.username {
        value["username"] = json!(username);
    }
    value
}

pub(crate) fn chat(state: &State, chat_id: i64) -> Value {
    if let Some(title) = state
        .chats
        .get(&chat_id)
        .and_then(|c| c.group_title.clone())
    {
        return json!({ "id": chat_id, "type": "group", "title": title });
    }
    match state.users.get(&chat_id) {
        Some(user) => {
            let mut value =
                json!({ "id": chat_id, "type": "private", "first_name": user.first_name });
            if let Some(last) = &user.last_name {
                value["last_name"] = json!(last);
            }
            if let Some(username) = &user.username {
                value["username"] = json!(username);
            }
            value
        }
        None => json!({ "id": chat_id, "type": "private", "first_name": "Unknown" }),
    }
}

/// The `getChat` answer (a ChatFullInfo).
pub(crate) fn chat_full_info(state: &State, chat_id: i64) -> Value {
    let mut value = chat(state, chat_id);
    value["accent_color_id"] = json!(0);
    value["max_reaction_count"] = json!(11);
    value["accepted_gift_types"] = json!({ "unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false });
    value
}

fn file_fields(file: &FileRecord) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("file_id".into(), json!(file.file_id));
    map.insert("file_unique_id".into(), json!(file.file_unique_id));
    map.insert("file_size".into(), json!(file.size()));
    match file.kind {
        MediaKind::Photo => {
            map.insert("width".into(), json!(file.width));
            map.insert("height".into(), json!(file.height));
        }
        MediaKind::Video => {
            map.insert("width".into(), json!(file.width));
            map.insert("height".into(), json!(file.height));
            map.insert("duration".into(), json!(file.duration));
        }
        MediaKind::VideoNote => {
            map.insert("length".into(), json!(240));
            map.insert("duration".into(), json!(file.duration));
        }
        MediaKind::Voice | MediaKind::Audio => {
            map.insert("duration".into(), json!(file.duration));
        }
        MediaKind::Document => {}
    }
    if let Some(mime) = &file.mime_type {
        map.insert("mime_type".into(), json!(mime));
    }
    if let Some(name) = &file.file_name
        && !matches!(
            file.kind,
            MediaKind::Photo | MediaKind::Voice | MediaKind::VideoNote
        )
    {
        map.insert("file_name".into(), json!(name));
    }
    map
}

/// The `getFile` answer.
pub(crate) fn file(file: &FileRecord) -> Value {
    json!({
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": file.size(),
        "file_path": file.file_path,
    })
}

/// A full Message object.
pub(crate) fn message(state: &State, m: &SentMessage) -> Value {
    let mut value = json!({
        "message_id": m.message_id,
        "date": m.date,
        "chat": chat(state, m.chat_id),
    });
    let from = if m.from_bot {
        Some(bot_user())
    } else {
        m.from_user.and_then(|id| state.users.get(&id)).map(user)
    };
    if let Some(from) = from {
        value["from"] = from;
    }
    if let Some(text) = &m.text {
        value["text"] = json!(text);
        if let Some(entities) = &m.entities {
            value["entities"] = entities.clone();
        }
    }
    if let Some(caption) = &m.caption {
        value["caption"] = json!(caption);
    }
    if let Some(media) = &m.media {
        let field = media.kind.field();
        if media.kind == MediaKind::Photo {
            let sizes: Vec<Value> = media
                .photo_sizes
                .iter()
                .filter_map(|id| state.files.get(id))
                .map(|f| Value::Object(file_fields(f)))
                .collect();
            value[field] = Value::Array(sizes);
        } else if let Some(file) = state.files.get(&media.file_id) {
            value[field] = Value::Object(file_fields(file));
        }
    }
    if let Some(contact) = &m.contact {
        value["contact"] = contact.clone();
    }
    if let Some(group) = &m.media_group_id {
        value["media_group_id"] = json!(group);
    }
    // Telegram echoes only inline keyboards in Message objects.
    if let Some(markup) = &m.reply_markup
        && markup.get("inline_keyboard").is_some()
    {
        value["reply_markup"] = markup.clone();
    }
    value
}

/// Telegram's error envelope.
pub(crate) fn error(code: u16, description: &str, retry_after: Option<u32>) -> Value {
    let mut value = json!({ "ok": false, "error_code": code, "description": description });
    if let Some(seconds) = retry_after {
        value["parameters"] = json!({ "retry_after": seconds });
    }
    value
}
