//! An order's transcript as text for Telegram: one line per entry, split into messages under
//! Telegram's 4096-character limit, or one self-contained HTML file when it is long.

use std::collections::HashMap;

use chrono::FixedOffset;

use crate::store::{Delivery, Direction, EntryKind, TranscriptEntry};
use crate::texts::{TextKey, Texts};

/// Telegram's limit for a message, in UTF-16 code units (how Telegram counts).
pub const MESSAGE_LIMIT: usize = 4096;
/// More messages than this and the transcript goes as a file instead.
pub const MAX_MESSAGES: usize = 3;

/// What the lines need besides the entries: people's names and stored files' paths.
#[derive(Debug, Default)]
pub struct Lookup {
    pub names: HashMap<i64, String>,
    /// Media id → (kind name, where the file is, if stored).
    pub media: HashMap<i64, (String, Option<String>)>,
}

/// A stored file as the transcript shows it: `<stage folder>/<file name>` inside the order
/// folder — never the server's full path (Windows or Unix separators alike).
pub fn in_order_folder(path: &str) -> String {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    parts[parts.len().saturating_sub(2)..].join("/")
}

/// One line per entry, oldest first.
pub fn lines(
    texts: &Texts,
    entries: &[TranscriptEntry],
    lookup: &Lookup,
    offset: FixedOffset,
) -> Vec<String> {
    entries
        .iter()
        .map(|TranscriptEntry { entry, .. }| {
            let at = entry.at.with_timezone(&offset).format("%d.%m.%Y %H:%M");
            let direction = match entry.direction {
                Direction::StaffToClient => "staff",
                Direction::ClientToStaff => "client",
                Direction::System => "system",
            };
            let name = entry
                .author_id
                .map(|id| {
                    lookup
                        .names
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string())
                })
                .unwrap_or_default();
            let who = texts.get(
                TextKey::TranscriptWho,
                &[("direction", direction.into()), ("name", name.into())],
            );
            let mut body = String::new();
            if entry.edit_of.is_some() {
                body.push_str(&texts.get(TextKey::TranscriptEdited, &[]));
                body.push(' ');
            }
            if entry.kind == EntryKind::Media {
                let (kind, path) = entry
                    .media_id
                    .and_then(|id| lookup.media.get(&id).cloned())
                    .unwrap_or_default();
                let path = path.map_or_else(
                    || texts.get(TextKey::TranscriptNotStored, &[]),
                    |path| in_order_folder(&path),
                );
                body.push_str(&texts.get(
                    TextKey::TranscriptMedia,
                    &[("kind", kind.into()), ("path", path.into())],
                ));
                if let Some(caption) = &entry.text {
                    body.push_str(" — ");
                    body.push_str(caption);
                }
            } else if let Some(text) = &entry.text {
                body.push_str(text);
            }
            if entry.delivery == Delivery::Failed {
                body.push(' ');
                body.push_str(&texts.get(TextKey::TranscriptFailed, &[]));
            }
            format!("[{at}] {who}: {body}")
        })
        .collect()
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The lines joined into messages of at most `limit` UTF-16 units each; a line longer than a
/// whole message is cut across messages rather than lost.
pub fn chunks(lines: &[String], limit: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut current = String::new();
    for line in lines {
        let needed = utf16_len(line) + usize::from(!current.is_empty());
        if utf16_len(&current) + needed > limit && !current.is_empty() {
            messages.push(std::mem::take(&mut current));
        }
        if utf16_len(line) <= limit {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
            continue;
        }
        for c in line.chars() {
            if utf16_len(&current) + c.len_utf16() > limit {
                messages.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A self-contained HTML page with the title and one paragraph per line.
pub fn html_document(title: &str, lines: &[String]) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\"><title>{0}</title>\
         <style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}\
         p{{margin:.3em 0;white-space:pre-wrap}}</style></head>\n<body><h1>{0}</h1>\n",
        escape(title)
    );
    for line in lines {
        html.push_str("<p>");
        html.push_str(&escape(line));
        html.push_str("</p>\n");
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_stored_file_is_shown_inside_its_order_folder() {
        let cases = [
            (
                r"D:\Photo\ЗН-1 А123ВС77\Inspection\2026-01-05_10-00-00_Иван_1.jpg",
                "Inspection/2026-01-05_10-00-00_Иван_1.jpg",
            ),
            (
                r"\\nas\service\Photo\ЗН-2\FromClient\a.pdf",
                "FromClient/a.pdf",
            ),
            ("/srv/orders/ЗН-3/Other/b.mp4", "Other/b.mp4"),
            ("b.mp4", "b.mp4"),
        ];
        for (path, shown) in cases {
            assert_eq!(in_order_folder(path), shown, "{path}");
        }
    }
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::store::NewEntry;
    use crate::texts::Language;

    fn entry(id: i64, direction: Direction, kind: EntryKind, text: &str) -> TranscriptEntry {
        let mut entry = NewEntry::new(
            "A1",
            "A1",
            Utc.with_ymd_and_hms(2026, 11, 23, 10, id as u32, 0)
                .single()
                .expect("time"),
            direction,
            kind,
        );
        entry.text = Some(text.to_owned());
        entry.author_id = Some(7);
        TranscriptEntry { id, entry }
    }

    #[test]
    fn lines_name_people_files_edits_and_failures() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let mut lookup = Lookup::default();
        lookup.names.insert(7, "Анна".into());
        lookup.media.insert(
            1,
            (
                "фото".into(),
                Some("/srv/orders/A1/Diagnostics/x.jpg".into()),
            ),
        );
        let mut media = entry(2, Direction::StaffToClient, EntryKind::Media, "колодки");
        media.entry.media_id = Some(1);
        let mut edit = entry(3, Direction::ClientToStaff, EntryKind::Text, "новый текст");
        edit.entry.edit_of = Some(1);
        let mut failed = entry(4, Direction::StaffToClient, EntryKind::Text, "привет");
        failed.entry.delivery = Delivery::Failed;
        let entries = [
            entry(1, Direction::ClientToStaff, EntryKind::Text, "старый текст"),
            media,
            edit,
            failed,
        ];
        let offset = FixedOffset::east_opt(3 * 3600).expect("MSK");
        let lines = lines(&texts, &entries, &lookup, offset);
        assert!(
            lines[0].starts_with("[23.11.2026 13:01] Анна"),
            "{}",
            lines[0]
        );
        assert!(lines[0].ends_with("старый текст"));
        assert!(
            lines[1].contains("📎 фото: Diagnostics/x.jpg") && !lines[1].contains("/srv/"),
            "the file inside its order folder, not the server path: {}",
            lines[1]
        );
        assert!(lines[1].contains("колодки"));
        assert!(lines[2].contains("новый текст") && lines[2] != lines[0]);
        assert!(lines[2].contains(&texts.get(TextKey::TranscriptEdited, &[])));
        assert!(lines[3].contains(&texts.get(TextKey::TranscriptFailed, &[])));
    }

    #[test]
    fn chunks_stay_under_the_limit_and_lose_nothing() {
        let lines: Vec<String> = (0..50)
            .map(|i| format!("строка {i} 🚗 {}", "ж".repeat(i * 7)))
            .collect();
        let long = "я".repeat(10_000);
        let mut all = lines.clone();
        all.push(long.clone());
        let messages = chunks(&all, MESSAGE_LIMIT);
        assert!(messages.len() > 2);
        for message in &messages {
            assert!(
                utf16_len(message) <= MESSAGE_LIMIT,
                "{}",
                utf16_len(message)
            );
        }
        let joined: String = messages.concat();
        for line in &lines {
            assert!(joined.contains(line.as_str()));
        }
        assert_eq!(joined.matches('я').count(), 10_000);
    }

    #[test]
    fn html_is_escaped() {
        let html = html_document("ЗН <1>", &["<script>alert(1)</script> & co".into()]);
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains("<title>ЗН &lt;1&gt;</title>"));
    }
}
