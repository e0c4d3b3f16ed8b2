//! The files a Telegram message carries, as the bot keeps them (also stored as JSON while an
//! album is collected).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use servicebot_core::store::MediaKind;
use teloxide::types::Message;

/// One file of a message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IncomingMedia {
    pub message_id: i32,
    pub kind: MediaKind,
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub caption: Option<String>,
    pub date: DateTime<Utc>,
    pub media_group_id: Option<String>,
    /// The size Telegram reported (file jobs budget by it).
    #[serde(default)]
    pub file_size: Option<u64>,
    /// How long a video, voice message, round video or audio plays, in seconds (an album item
    /// collected before this was kept has none).
    #[serde(default)]
    pub duration_secs: Option<u32>,
}

/// The media of a message, if it has any (photos: the largest size).
pub fn incoming(msg: &Message) -> Option<IncomingMedia> {
    let (kind, file, file_name, mime, duration) = if let Some(sizes) = msg.photo() {
        let largest = sizes
            .iter()
            .max_by_key(|p| (u64::from(p.width) * u64::from(p.height), p.file.size))?;
        (MediaKind::Photo, &largest.file, None, None, None)
    } else if let Some(video) = msg.video() {
        (
            MediaKind::Video,
            &video.file,
            video.file_name.clone(),
            video.mime_type.as_ref().map(ToString::to_string),
            Some(video.duration),
        )
    } else if let Some(document) = msg.document() {
        (
            MediaKind::Document,
            &document.file,
            document.file_name.clone(),
            document.mime_type.as_ref().map(ToString::to_string),
            None,
        )
    } else if let Some(voice) = msg.voice() {
        (
            MediaKind::Voice,
            &voice.file,
            None,
            voice.mime_type.as_ref().map(ToString::to_string),
            Some(voice.duration),
        )
    } else if let Some(note) = msg.video_note() {
        (
            MediaKind::VideoNote,
            &note.file,
            None,
            None,
            Some(note.duration),
        )
    } else if let Some(audio) = msg.audio() {
        (
            MediaKind::Audio,
            &audio.file,
            audio.file_name.clone(),
            audio.mime_type.as_ref().map(ToString::to_string),
            Some(audio.duration),
        )
    } else {
        return None;
    };
    Some(IncomingMedia {
        message_id: msg.id.0,
        file_size: Some(u64::from(file.size)),
        kind,
        file_id: file.id.0.clone(),
        file_unique_id: file.unique_id.0.clone(),
        file_name,
        mime_type: mime,
        caption: msg.caption().map(str::to_owned),
        date: msg.date,
        media_group_id: msg.media_group_id().map(|g| g.0.clone()),
        duration_secs: duration.map(|d| d.seconds()),
    })
}
