//! What the fake remembers: users, chats, every message (the bot's and the users'), files,
//! pending updates, callback queries, commands and faults.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::faults::FaultRule;

/// A Telegram user the test created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
}

impl TgUser {
    /// The private chat with this user has the user's id.
    pub fn chat_id(&self) -> i64 {
        self.id
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Photo,
    Video,
    Document,
    Voice,
    VideoNote,
    Audio,
}

impl MediaKind {
    /// The field name in a Message and the method suffix (`sendPhoto` → `photo`).
    pub fn field(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Video => "video",
            MediaKind::Document => "document",
            MediaKind::Voice => "voice",
            MediaKind::VideoNote => "video_note",
            MediaKind::Audio => "audio",
        }
    }

    pub(crate) fn from_field(field: &str) -> Option<Self> {
        Some(match field {
            "photo" => MediaKind::Photo,
            "video" => MediaKind::Video,
            "document" => MediaKind::Document,
            "voice" => MediaKind::Voice,
            "video_note" => MediaKind::VideoNote,
            "audio" => MediaKind::Audio,
            _ => return None,
        })
    }
}

/// A file Telegram knows: uploaded by the bot or sent by a user.
#[derive(Debug, Clone)]
pub(crate) struct FileRecord {
    pub file_id: String,
    pub file_unique_id: String,
    pub kind: MediaKind,
    pub bytes: Arc<Vec<u8>>,
    pub mime_type: Option<String>,
    pub file_name: Option<String>,
    pub width: u32,
    pub height: u32,
    pub duration: u32,
    /// The path `getFile` reports: relative on the cloud API, absolute in local mode.
    pub file_path: String,
}

impl FileRecord {
    pub fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
}

/// The media of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMedia {
    pub kind: MediaKind,
    /// The file id (for photos, the largest size).
    pub file_id: String,
    pub file_unique_id: String,
    /// All photo sizes, smallest first (photos only).
    pub photo_sizes: Vec<String>,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub size: u64,
}

/// An inline keyboard button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    pub callback_data: Option<String>,
    pub url: Option<String>,
}

/// A message in a chat, from the bot or from a user.
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i32,
    pub from_bot: bool,
    pub from_user: Option<i64>,
    pub date: i64,
    /// The Bot API method that created it (`sendMessage`, `copyMessage`…), or `user` for
    /// messages pushed by the test.
    pub method: String,
    pub text: Option<String>,
    pub caption: Option<String>,
    pub parse_mode: Option<String>,
    pub media: Option<SentMedia>,
    pub contact: Option<Value>,
    pub media_group_id: Option<String>,
    /// The reply markup as sent (inline keyboard, reply keyboard, remove keyboard).
    pub reply_markup: Option<Value>,
    pub entities: Option<Value>,
    pub pinned: bool,
    pub deleted: bool,
    /// How many times the text, caption or markup was edited.
    pub edits: u32,
    /// For copies and forwards: the chat and message it came from.
    pub copied_from: Option<(i64, i32)>,
    pub reactions: Vec<String>,
}

impl SentMessage {
    pub(crate) fn new(
        chat_id: i64,
        message_id: i32,
        from_bot: bool,
        method: &str,
        date: i64,
    ) -> Self {
        Self {
            chat_id,
            message_id,
            from_bot,
            from_user: None,
            date,
            method: method.to_owned(),
            text: None,
            caption: None,
            parse_mode: None,
            media: None,
            contact: None,
            media_group_id: None,
            reply_markup: None,
            entities: None,
            pinned: false,
            deleted: false,
            edits: 0,
            copied_from: None,
            reactions: Vec::new(),
        }
    }

    /// The inline keyboard, row by row.
    pub fn inline_buttons(&self) -> Vec<Vec<Button>> {
        let rows = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array);
        rows.map(|rows| {
            rows.iter()
                .map(|row| {
                    row.as_array()
                        .map(|buttons| {
                            buttons
                                .iter()
                                .map(|b| Button {
                                    text: b
                                        .get("text")
                                        .and_then(Value::as_str)
                                        .unwrap_or_default()
                                        .to_owned(),
                                    callback_data: b
                                        .get("callback_data")
                                        .and_then(Value::as_str)
                                        .map(str::to_owned),
                                    url: b.get("url").and_then(Value::as_str).map(str::to_owned),
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
    }

    /// Every inline button's text, in order.
    pub fn button_texts(&self) -> Vec<String> {
        self.inline_buttons()
            .into_iter()
            .flatten()
            .map(|b| b.text)
            .collect()
    }

    /// The reply keyboard's button texts, and whether a button asks for the user's contact.
    pub fn reply_keyboard(&self) -> Vec<(String, bool)> {
        let rows = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("keyboard"))
            .and_then(Value::as_array);
        rows.into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|b| match b {
                Value::String(text) => (text.clone(), false),
                other => (
                    other
                        .get("text")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    other
                        .get("request_contact")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                ),
            })
            .collect()
    }

    /// The text, or the caption of a media message.
    pub fn body(&self) -> &str {
        self.text
            .as_deref()
            .or(self.caption.as_deref())
            .unwrap_or_default()
    }
}

/// An item of an album a user sends.
#[derive(Debug, Clone)]
pub struct AlbumItem {
    pub kind: MediaKind,
    pub bytes: Vec<u8>,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    /// How long a video, voice message, round video or audio plays, in seconds; `None`: the
    /// fake's default (5 s for those kinds, nothing for photos and documents).
    pub duration: Option<u32>,
}

impl AlbumItem {
    fn new(
        kind: MediaKind,
        bytes: Vec<u8>,
        file_name: Option<&str>,
        mime_type: Option<&str>,
    ) -> Self {
        Self {
            kind,
            bytes,
            file_name: file_name.map(str::to_owned),
            mime_type: mime_type.map(str::to_owned),
            duration: None,
        }
    }

    pub fn photo(bytes: Vec<u8>) -> Self {
        Self::new(MediaKind::Photo, bytes, None, None)
    }

    pub fn video(bytes: Vec<u8>) -> Self {
        Self::new(MediaKind::Video, bytes, Some("clip.mp4"), Some("video/mp4"))
    }

    pub fn document(name: &str, mime: &str, bytes: Vec<u8>) -> Self {
        Self::new(MediaKind::Document, bytes, Some(name), Some(mime))
    }

    pub fn voice(bytes: Vec<u8>) -> Self {
        Self::new(MediaKind::Voice, bytes, None, Some("audio/ogg"))
    }

    /// A round video message.
    pub fn video_note(bytes: Vec<u8>) -> Self {
        Self::new(MediaKind::VideoNote, bytes, None, None)
    }

    pub fn audio(name: &str, bytes: Vec<u8>) -> Self {
        Self::new(MediaKind::Audio, bytes, Some(name), Some("audio/mpeg"))
    }

    /// The same item, playing for `seconds` (what Telegram reports as `duration`).
    pub fn lasting(self, seconds: u32) -> Self {
        Self {
            duration: Some(seconds),
            ..self
        }
    }
}

/// How the bot answered a callback query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackAnswer {
    pub text: Option<String>,
    pub show_alert: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Chat {
    pub group_title: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub users: HashMap<i64, TgUser>,
    pub blocked_by: std::collections::HashSet<i64>,
    pub chats: HashMap<i64, Chat>,
    pub messages: HashMap<i64, Vec<SentMessage>>,
    pub files: HashMap<String, FileRecord>,
    pub file_paths: HashMap<String, String>,
    pub updates: Vec<(i64, Value)>,
    /// Every update ever pushed, for redelivery.
    pub history: Vec<(i64, Value)>,
    pub next_update_id: i64,
    pub next_user_id: i64,
    pub next_file: u64,
    pub next_group: u64,
    pub callback_queries: HashMap<String, Option<CallbackAnswer>>,
    pub next_callback: u64,
    pub commands: HashMap<String, Vec<(String, String)>>,
    pub chat_actions: Vec<(i64, String)>,
    pub left_chats: Vec<i64>,
    pub requests: HashMap<String, u64>,
    pub faults: HashMap<String, Vec<FaultRule>>,
    pub active_polls: u32,
    pub local_files: Option<PathBuf>,
    pub clock: i64,
    /// Added to every call, to model the network between the bot and Telegram.
    pub latency: std::time::Duration,
    /// Bytes per second for file downloads and uploads; 0 means unlimited.
    pub bandwidth: u64,
    /// Every connection is dropped while set (`set_offline`).
    pub offline: bool,
    /// Telegram's sending limits (enforced when asked) and the log of messages created.
    pub limits: crate::limits::Limits,
}

impl State {
    pub fn new(local_files: Option<PathBuf>) -> Self {
        Self {
            next_update_id: 1,
            next_user_id: 100_001,
            clock: 1_790_000_000,
            local_files,
            ..Self::default()
        }
    }

    /// Telegram dates: a clock that moves one second per message, so dates are distinct.
    pub fn now(&mut self) -> i64 {
        self.clock += 1;
        self.clock
    }

    pub fn next_message_id(&self, chat_id: i64) -> i32 {
        self.messages
            .get(&chat_id)
            .map_or(1, |m| m.len() as i32 + 1)
    }

    pub fn push_message(&mut self, message: SentMessage) {
        self.messages
            .entry(message.chat_id)
            .or_default()
            .push(message);
    }

    pub fn message(&self, chat_id: i64, message_id: i32) -> Option<&SentMessage> {
        self.messages
            .get(&chat_id)?
            .iter()
            .find(|m| m.message_id == message_id && !m.deleted)
    }

    pub fn message_mut(&mut self, chat_id: i64, message_id: i32) -> Option<&mut SentMessage> {
        self.messages
            .get_mut(&chat_id)?
            .iter_mut()
            .find(|m| m.message_id == message_id && !m.deleted)
    }

    pub fn push_update(&mut self, kind: &str, payload: Value) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        let mut update = serde_json::Map::new();
        update.insert("update_id".into(), Value::from(id));
        update.insert(kind.into(), payload);
        self.updates.push((id, Value::Object(update.clone())));
        self.history.push((id, Value::Object(update)));
        id
    }

    /// Registers a file and returns its record (bytes written to disk in local mode).
    pub fn add_file(
        &mut self,
        kind: MediaKind,
        bytes: Vec<u8>,
        file_name: Option<String>,
        mime_type: Option<String>,
    ) -> FileRecord {
        self.next_file += 1;
        let n = self.next_file;
        let file_id = format!("F{n:06}{}", kind.field().to_uppercase().replace('_', ""));
        let file_unique_id = format!("U{n:06}");
        let ext = match kind {
            MediaKind::Photo => "jpg",
            MediaKind::Video | MediaKind::VideoNote => "mp4",
            MediaKind::Voice => "oga",
            MediaKind::Audio => "mp3",
            MediaKind::Document => "bin",
        };
        let relative = format!("{}s/file_{n}.{ext}", kind.field());
        let file_path = match &self.local_files {
            Some(dir) => {
                let path = dir.join(format!("file_{n}.{ext}"));
                if let Err(error) =
                    std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, &bytes))
                {
                    panic!("fake Telegram cannot write {}: {error}", path.display());
                }
                path.to_string_lossy().into_owned()
            }
            None => relative,
        };
        let record = FileRecord {
            file_id: file_id.clone(),
            file_unique_id,
            kind,
            bytes: Arc::new(bytes),
            mime_type,
            file_name,
            width: if matches!(kind, MediaKind::Photo | MediaKind::Video) {
                1280
            } else {
                0
            },
            height: if matches!(kind, MediaKind::Photo | MediaKind::Video) {
                960
            } else {
                0
            },
            duration: if matches!(kind, MediaKind::Photo | MediaKind::Document) {
                0
            } else {
                5
            },
            file_path: file_path.clone(),
        };
        self.file_paths.insert(file_path, file_id.clone());
        self.files.insert(file_id, record.clone());
        record
    }

    /// The media description of a file, for a message.
    pub fn media_of(&self, file: &FileRecord, photo_sizes: Vec<String>) -> SentMedia {
        SentMedia {
            kind: file.kind,
            file_id: file.file_id.clone(),
            file_unique_id: file.file_unique_id.clone(),
            photo_sizes,
            file_name: file.file_name.clone(),
            mime_type: file.mime_type.clone(),
            size: file.size(),
        }
    }
}
