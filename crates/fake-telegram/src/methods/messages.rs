//! Sending, copying, editing, deleting and pinning messages.

use serde_json::{Value, json};

use crate::json as tg;
use crate::params::{ApiError, ApiResult, Params};
use crate::state::{FileRecord, MediaKind, SentMessage, State};
use crate::validate;

/// Refuses chats the bot cannot write to, as Telegram does.
pub(super) fn writable_chat(state: &State, chat_id: i64) -> ApiResult<()> {
    if state.left_chats.contains(&chat_id) && state.chats.contains_key(&chat_id) {
        return Err(ApiError::forbidden("bot is not a member of the group chat"));
    }
    if state.users.contains_key(&chat_id) {
        if state.blocked_by.contains(&chat_id) {
            return Err(ApiError::forbidden("bot was blocked by the user"));
        }
        return Ok(());
    }
    if state.chats.contains_key(&chat_id) {
        return Ok(());
    }
    Err(ApiError::bad("chat not found"))
}

fn markup(params: &Params) -> ApiResult<Option<Value>> {
    let markup = params.json("reply_markup")?;
    if let Some(markup) = &markup {
        validate::reply_markup(markup)?;
    }
    Ok(markup)
}

fn new_bot_message(state: &mut State, chat_id: i64, method: &str) -> SentMessage {
    let date = state.now();
    SentMessage::new(chat_id, state.next_message_id(chat_id), true, method, date)
}

fn finish(state: &mut State, message: SentMessage) -> Value {
    let value = tg::message(state, &message);
    state.push_message(message);
    value
}

pub(super) fn send_message(state: &mut State, params: &Params) -> ApiResult {
    let chat_id = params.chat_id()?;
    writable_chat(state, chat_id)?;
    let text = params
        .str("text")
        .ok_or_else(|| ApiError::bad("message text is empty"))?;
    let parse_mode = params.str("parse_mode");
    validate::text(&text, parse_mode.as_deref())?;
    let reply_markup = markup(params)?;
    let mut message = new_bot_message(state, chat_id, "sendMessage");
    message.text = Some(text);
    message.parse_mode = parse_mode;
    message.reply_markup = reply_markup;
    Ok(finish(state, message))
}

/// The file a media parameter names: an uploaded part, an `attach://` part, or a file id.
fn resolve_file(
    state: &mut State,
    params: &Params,
    field: &str,
    value: Option<&str>,
    kind: MediaKind,
) -> ApiResult<FileRecord> {
    let part_name = match value {
        Some(v) if v.starts_with("attach://") => Some(v.trim_start_matches("attach://").to_owned()),
        None => Some(field.to_owned()),
        Some(_) => None,
    };
    if let Some(part_name) = part_name {
        let Some(part) = params.attachment(&part_name) else {
            return Err(ApiError::bad(format!("there is no {field} in the request")));
        };
        if part.bytes.is_empty() {
            return Err(ApiError::bad("file must be non-empty"));
        }
        let part = part.clone();
        return Ok(state.add_file(kind, part.bytes, part.file_name, part.content_type));
    }
    let file_id = value.unwrap_or_default();
    if file_id.starts_with("http://") || file_id.starts_with("https://") {
        return Err(ApiError::bad("failed to get HTTP URL content"));
    }
    let file = state
        .files
        .get(file_id)
        .cloned()
        .ok_or_else(|| ApiError::bad("wrong file identifier/HTTP URL specified"))?;
    let compatible = file.kind == kind
        || kind == MediaKind::Document
        || matches!(
            (file.kind, kind),
            (MediaKind::Video, MediaKind::VideoNote) | (MediaKind::VideoNote, MediaKind::Video)
        );
    if !compatible {
        return Err(ApiError::bad(format!(
            "can't use file of type {} as {}",
            title(file.kind),
            title(kind)
        )));
    }
    Ok(file)
}

fn title(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Photo => "Photo",
        MediaKind::Video => "Video",
        MediaKind::Document => "Document",
        MediaKind::Voice => "Voice",
        MediaKind::VideoNote => "VideoNote",
        MediaKind::Audio => "Audio",
    }
}

/// All sizes of the photo `file_id` belongs to (a sent photo keeps its size list).
fn photo_sizes(state: &State, file_id: &str) -> Vec<String> {
    state
        .messages
        .values()
        .flatten()
        .filter_map(|m| m.media.as_ref())
        .find(|media| {
            media.kind == MediaKind::Photo && media.photo_sizes.iter().any(|id| id == file_id)
        })
        .map(|media| {
            let at = media
                .photo_sizes
                .iter()
                .position(|id| id == file_id)
                .unwrap_or(0);
            media.photo_sizes[..=at].to_vec()
        })
        .unwrap_or_else(|| vec![file_id.to_owned()])
}

fn media_message(state: &mut State, chat_id: i64, method: &str, file: &FileRecord) -> SentMessage {
    let sizes = if file.kind == MediaKind::Photo {
        photo_sizes(state, &file.file_id)
    } else {
        Vec::new()
    };
    let media = state.media_of(file, sizes);
    let mut message = new_bot_message(state, chat_id, method);
    message.media = Some(media);
    message
}

pub(super) fn send_media(state: &mut State, method: &str, params: &Params) -> ApiResult {
    let field = match method {
        "sendphoto" => "photo",
        "sendvideo" => "video",
        "senddocument" => "document",
        "sendaudio" => "audio",
        "sendvoice" => "voice",
        _ => "video_note",
    };
    let kind = MediaKind::from_field(field).ok_or_else(|| ApiError::bad("unknown media"))?;
    let chat_id = params.chat_id()?;
    writable_chat(state, chat_id)?;
    let caption = params.str("caption");
    let parse_mode = params.str("parse_mode");
    if let Some(caption) = &caption {
        validate::caption(caption, parse_mode.as_deref())?;
    }
    let reply_markup = markup(params)?;
    let file = resolve_file(state, params, field, params.str(field).as_deref(), kind)?;
    let method_name = format!("send{}", title(kind));
    let mut message = media_message(state, chat_id, &method_name, &file);
    message.caption = caption;
    message.parse_mode = parse_mode;
    message.reply_markup = reply_markup;
    Ok(finish(state, message))
}

pub(super) fn send_media_group(state: &mut State, params: &Params) -> ApiResult {
    let chat_id = params.chat_id()?;
    writable_chat(state, chat_id)?;
    let media = params
        .json("media")?
        .ok_or_else(|| ApiError::bad("parameter \"media\" is required"))?;
    let items = media
        .as_array()
        .ok_or_else(|| ApiError::bad("can't parse media JSON object"))?;
    if items.len() < 2 {
        return Err(ApiError::bad("too few messages to send as an album"));
    }
    if items.len() > 10 {
        return Err(ApiError::bad("Too much messages to send as an album"));
    }
    let kinds: Vec<MediaKind> = items
        .iter()
        .map(|item| {
            let kind = item
                .get("type")
                .and_then(Value::as_str)
                .and_then(MediaKind::from_field);
            kind.filter(|k| {
                matches!(
                    k,
                    MediaKind::Photo | MediaKind::Video | MediaKind::Document | MediaKind::Audio
                )
            })
            .ok_or_else(|| ApiError::bad("can't parse InputMedia: unsupported media type"))
        })
        .collect::<ApiResult<_>>()?;
    for (lonely, name) in [
        (MediaKind::Document, "document"),
        (MediaKind::Audio, "audio"),
    ] {
        if kinds.contains(&lonely) && kinds.iter().any(|k| *k != lonely) {
            return Err(ApiError::bad(format!(
                "{name} can't be mixed with other media types"
            )));
        }
    }
    // Resolve every file before sending anything: a refused album sends nothing.
    let mut resolved = Vec::new();
    for (item, kind) in items.iter().zip(&kinds) {
        let caption = item
            .get("caption")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let parse_mode = item
            .get("parse_mode")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(caption) = &caption {
            validate::caption(caption, parse_mode.as_deref())?;
        }
        let value = item
            .get("media")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::bad("can't parse InputMedia: media not found"))?;
        let file = resolve_file(state, params, kind.field(), Some(value), *kind)?;
        resolved.push((file, caption, parse_mode));
    }
    state.next_group += 1;
    let group_id = format!("MG{:08}", state.next_group);
    let mut results = Vec::new();
    for (file, caption, parse_mode) in resolved {
        let mut message = media_message(state, chat_id, "sendMediaGroup", &file);
        message.caption = caption;
        message.parse_mode = parse_mode;
        message.media_group_id = Some(group_id.clone());
        results.push(finish(state, message));
    }
    Ok(Value::Array(results))
}

fn source_message(state: &State, params: &Params, not_found: &str) -> ApiResult<SentMessage> {
    let from_chat = params
        .i64("from_chat_id")
        .ok_or_else(|| ApiError::bad("from_chat_id is empty"))?;
    let message_id = params.message_id()?;
    state
        .message(from_chat, message_id)
        .cloned()
        .ok_or_else(|| ApiError::bad(not_found))
}

fn copy_of(state: &mut State, source: &SentMessage, chat_id: i64, method: &str) -> SentMessage {
    let mut message = new_bot_message(state, chat_id, method);
    message.text = source.text.clone();
    message.entities = source.entities.clone();
    message.caption = source.caption.clone();
    message.media = source.media.clone();
    message.contact = source.contact.clone();
    message.copied_from = Some((source.chat_id, source.message_id));
    message
}

pub(super) fn copy_message(state: &mut State, params: &Params) -> ApiResult {
    let chat_id = params.chat_id()?;
    writable_chat(state, chat_id)?;
    let source = source_message(state, params, "message to copy not found")?;
    let reply_markup = markup(params)?;
    let mut message = copy_of(state, &source, chat_id, "copyMessage");
    if params.has("caption") {
        let caption = params.str("caption").unwrap_or_default();
        let parse_mode = params.str("parse_mode");
        validate::caption(&caption, parse_mode.as_deref())?;
        message.caption = Some(caption);
        message.parse_mode = parse_mode;
    }
    message.reply_markup = reply_markup;
    let id = message.message_id;
    state.push_message(message);
    Ok(json!({ "message_id": id }))
}

pub(super) fn copy_messages(state: &mut State, params: &Params) -> ApiResult {
    let chat_id = params.chat_id()?;
    writable_chat(state, chat_id)?;
    let from_chat = params
        .i64("from_chat_id")
        .ok_or_else(|| ApiError::bad("from_chat_id is empty"))?;
    let ids = params
        .json("message_ids")?
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    if ids.is_empty() || ids.len() > 100 {
        return Err(ApiError::bad("message_ids must contain 1-100 identifiers"));
    }
    let sources: Vec<SentMessage> = ids
        .iter()
        .filter_map(Value::as_i64)
        .filter_map(|id| state.message(from_chat, i32::try_from(id).ok()?).cloned())
        .collect();
    if sources.is_empty() {
        return Err(ApiError::bad("messages to copy not found"));
    }
    // Albums stay albums: one new group id per source group.
    let mut groups = std::collections::HashMap::new();
    let mut results = Vec::new();
    for source in sources {
        let mut message = copy_of(state, &source, chat_id, "copyMessages");
        if let Some(group) = &source.media_group_id {
            let next = state.next_group + 1;
            let new_group = groups
                .entry(group.clone())
                .or_insert_with(|| format!("MG{next:08}"))
                .clone();
            state.next_group = state.next_group.max(next);
            message.media_group_id = Some(new_group);
        }
        results.push(json!({ "message_id": message.message_id }));
        state.push_message(message);
    }
    Ok(Value::Array(results))
}

pub(super) fn forward_message(state: &mut State, params: &Params) -> ApiResult {
    let chat_id = params.chat_id()?;
    writable_chat(state, chat_id)?;
    let source = source_message(state, params, "message to forward not found")?;
    let message = copy_of(state, &source, chat_id, "forwardMessage");
    Ok(finish(state, message))
}

fn bot_message_mut<'a>(
    state: &'a mut State,
    params: &Params,
    not_found: &str,
) -> ApiResult<&'a mut SentMessage> {
    if params.has("inline_message_id") {
        return Err(ApiError::bad(
            "inline messages are not supported by the fake",
        ));
    }
    let chat_id = params.chat_id()?;
    let message_id = params.message_id()?;
    state
        .message_mut(chat_id, message_id)
        .filter(|m| m.from_bot)
        .ok_or_else(|| ApiError::bad(not_found))
}

const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

pub(super) fn edit_text(state: &mut State, params: &Params) -> ApiResult {
    let text = params
        .str("text")
        .ok_or_else(|| ApiError::bad("message text is empty"))?;
    let parse_mode = params.str("parse_mode");
    let reply_markup = markup(params)?;
    let message = bot_message_mut(state, params, "message to edit not found")?;
    if message.text.is_none() {
        return Err(ApiError::bad("there is no text in the message to edit"));
    }
    validate::text(&text, parse_mode.as_deref())?;
    if message.text.as_deref() == Some(text.as_str()) && message.reply_markup == reply_markup {
        return Err(ApiError::bad(NOT_MODIFIED));
    }
    message.text = Some(text);
    message.parse_mode = parse_mode;
    message.reply_markup = reply_markup;
    message.edits += 1;
    let message = message.clone();
    Ok(tg::message(state, &message))
}

pub(super) fn edit_caption(state: &mut State, params: &Params) -> ApiResult {
    let caption = params.str("caption");
    let parse_mode = params.str("parse_mode");
    if let Some(caption) = &caption {
        validate::caption(caption, parse_mode.as_deref())?;
    }
    let reply_markup = markup(params)?;
    let message = bot_message_mut(state, params, "message to edit not found")?;
    if message.media.is_none() {
        return Err(ApiError::bad("there is no caption in the message to edit"));
    }
    if message.caption == caption && message.reply_markup == reply_markup {
        return Err(ApiError::bad(NOT_MODIFIED));
    }
    message.caption = caption;
    message.parse_mode = parse_mode;
    message.reply_markup = reply_markup;
    message.edits += 1;
    let message = message.clone();
    Ok(tg::message(state, &message))
}

pub(super) fn edit_reply_markup(state: &mut State, params: &Params) -> ApiResult {
    let reply_markup = markup(params)?;
    let message = bot_message_mut(state, params, "message to edit not found")?;
    if message.reply_markup == reply_markup {
        return Err(ApiError::bad(NOT_MODIFIED));
    }
    message.reply_markup = reply_markup;
    message.edits += 1;
    let message = message.clone();
    Ok(tg::message(state, &message))
}

pub(super) fn delete_message(state: &mut State, params: &Params) -> ApiResult {
    let chat_id = params.chat_id()?;
    let message_id = params.message_id()?;
    let message = state
        .message_mut(chat_id, message_id)
        .ok_or_else(|| ApiError::bad("message to delete not found"))?;
    message.deleted = true;
    Ok(Value::Bool(true))
}

pub(super) fn pin(state: &mut State, params: &Params, pinned: bool) -> ApiResult {
    let chat_id = params.chat_id()?;
    if pinned {
        let message_id = params.message_id()?;
        let message = state
            .message_mut(chat_id, message_id)
            .ok_or_else(|| ApiError::bad("message to pin not found"))?;
        message.pinned = true;
        return Ok(Value::Bool(true));
    }
    let messages = state.messages.entry(chat_id).or_default();
    let target = match params.message_id() {
        Ok(id) => messages.iter_mut().find(|m| m.message_id == id && m.pinned),
        Err(_) => messages.iter_mut().rev().find(|m| m.pinned),
    };
    match target {
        Some(message) => {
            message.pinned = false;
            Ok(Value::Bool(true))
        }
        None => Err(ApiError::bad("message to unpin not found")),
    }
}

pub(super) fn set_reaction(state: &mut State, params: &Params) -> ApiResult {
    let reactions: Vec<String> = params
        .json("reaction")?
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.get("emoji").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let chat_id = params.chat_id()?;
    let message_id = params.message_id()?;
    let message = state
        .message_mut(chat_id, message_id)
        .ok_or_else(|| ApiError::bad("message to react not found"))?;
    message.reactions = reactions;
    Ok(Value::Bool(true))
}
