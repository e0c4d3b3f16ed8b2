//! The evidence pack: one self-contained HTML file with everything recorded for an order —
//! every file with its SHA-256, size, time, author, stage and delivery (thumbnails embedded,
//! links to the originals relative to the order folder), every message and approval, how to
//! check a hash on Windows, and a print stylesheet. A file whose hash no longer matches the
//! record is flagged. Pure: the app hashes the files and hands in the results.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::store::{Decision, MediaKind};
use crate::texts::{TextKey, Texts};

/// What the file on disk says about the recorded hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileCheck {
    /// The file's SHA-256 now equals the recorded one.
    Matches,
    /// The file was changed after it was saved.
    Changed { actual: String },
    /// The recorded file is gone.
    Missing,
    /// The bot never stored it (too big, failed, still pending).
    NotStored,
}

impl FileCheck {
    /// The check of a file recorded with `recorded` whose bytes now hash to `actual` (`None`:
    /// the file cannot be read).
    pub fn of(recorded: Option<&str>, actual: Option<&str>) -> Self {
        match (recorded, actual) {
            (None, _) => Self::NotStored,
            (Some(_), None) => Self::Missing,
            (Some(r), Some(a)) if r.eq_ignore_ascii_case(a) => Self::Matches,
            (Some(_), Some(a)) => Self::Changed {
                actual: a.to_owned(),
            },
        }
    }

    pub fn is_flagged(&self) -> bool {
        matches!(self, Self::Changed { .. } | Self::Missing)
    }
}

/// Where a file went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileDelivery {
    Delivered {
        to: String,
        at: Option<DateTime<Utc>>,
    },
    NotDelivered {
        to: String,
        reason: String,
    },
    /// Not for delivery, with the reason in words (internal stage, no client, from the client).
    None {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    /// Relative to the order folder, `/` between parts.
    pub link: Option<String>,
    pub name: String,
    pub stage: String,
    pub kind: MediaKind,
    pub size: Option<u64>,
    /// How long a video, voice message, round video or audio plays, in seconds.
    pub duration_secs: Option<u32>,
    pub at: DateTime<Utc>,
    pub author: String,
    pub recorded_sha256: Option<String>,
    pub check: FileCheck,
    pub deliveries: Vec<FileDelivery>,
    pub caption: Option<String>,
    /// A `data:` URL.
    pub thumbnail: Option<String>,
}

/// Who said it, for the message list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Staff,
    Client,
    System,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackLine {
    pub at: DateTime<Utc>,
    pub side: Side,
    pub who: String,
    /// The text's versions, the original first.
    pub versions: Vec<String>,
    pub failed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackApproval {
    pub description: String,
    pub client: String,
    /// The verified phone, as recorded.
    pub phone: String,
    pub decision: Decision,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    pub organization: String,
    pub order_no: String,
    pub folder: String,
    pub created: NaiveDate,
    pub generated_at: DateTime<Utc>,
    pub files: Vec<PackFile>,
    pub lines: Vec<PackLine>,
    pub approvals: Vec<PackApproval>,
}

/// The pack's file name in the order folder: `ServiceBot-<order>-<YYYY-MM-DD>.html`.
pub fn file_name(order_no: &str, day: NaiveDate) -> String {
    let safe: String = order_no
        .chars()
        .map(|c| {
            if c.is_control() || r#"<>:"/\|?*"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("ServiceBot-{}-{}.html", safe.trim(), day.format("%Y-%m-%d"))
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative link with each part percent-encoded where a browser needs it.
fn href(link: &str) -> String {
    let mut out = String::new();
    for byte in link.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte))
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Bytes for people: `1,2 МБ`-style is left to the viewer; here exact bytes and a short form.
pub fn size_text(size: u64) -> String {
    const KB: f64 = 1024.0;
    let s = size as f64;
    if s < KB {
        format!("{size} B")
    } else if s < KB * KB {
        format!("{:.1} KB", s / KB)
    } else {
        format!("{:.1} MB", s / KB / KB)
    }
}

const STYLE: &str = "body{font-family:Segoe UI,Arial,sans-serif;margin:2em;color:#111}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}\
table{border-collapse:collapse;width:100%;font-size:.85em}th,td{border:1px solid #bbb;\
padding:4px 6px;vertical-align:top;text-align:left}th{background:#eee}\
td.hash{font-family:Consolas,monospace;font-size:.8em;word-break:break-all}\
img.thumb{max-width:120px;max-height:120px}.flag{color:#b00;font-weight:bold}\
.ok{color:#060}.meta td{border:none;padding:2px 8px 2px 0}.howto{background:#f6f6f6;\
padding:.6em 1em;border-left:4px solid #888}.line{margin:.3em 0}.who{font-weight:bold}\
.client{color:#035}.system{color:#555;font-style:italic}.old{color:#777;text-decoration:line-through}\
@media print{body{margin:0;font-size:10pt}a{color:#000;text-decoration:none}\
tr,.line{page-break-inside:avoid}h2{page-break-after:avoid}.howto{border-left:2px solid #000}}";

/// The whole pack as one HTML document, times shown at `offset`.
pub fn render(pack: &Pack, texts: &Texts, offset: FixedOffset) -> String {
    let time = |at: DateTime<Utc>| {
        at.with_timezone(&offset)
            .format("%d.%m.%Y %H:%M:%S")
            .to_string()
    };
    let t = |key: TextKey| escape(&texts.get(key, &[]));
    let title = escape(&texts.get(
        TextKey::PackTitle,
        &[("order", pack.order_no.as_str().into())],
    ));
    let mut html = String::with_capacity(4096 + pack.files.len() * 2048);
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"generator\" content=\"ServiceBot\"><title>{title}</title>\
         <style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n<table class=\"meta\">",
        escape(&texts.get(TextKey::PackLanguage, &[])),
    ));
    let meta = [
        (TextKey::PackOrganization, pack.organization.clone()),
        (TextKey::PackOrder, pack.order_no.clone()),
        (TextKey::PackFolder, pack.folder.clone()),
        (
            TextKey::PackCreated,
            pack.created.format("%d.%m.%Y").to_string(),
        ),
        (TextKey::PackGenerated, time(pack.generated_at)),
    ];
    for (key, value) in meta {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            t(key),
            escape(&value)
        ));
    }
    html.push_str("</table>\n");
    let flagged = pack.files.iter().filter(|f| f.check.is_flagged()).count();
    if flagged > 0 {
        html.push_str(&format!(
            "<p class=\"flag\" data-flagged=\"{flagged}\">{}</p>\n",
            escape(&texts.get(TextKey::PackFlaggedSummary, &[("count", flagged.into())]))
        ));
    }
    html.push_str(&format!(
        "<p class=\"howto\">{}</p>\n",
        t(TextKey::PackHashHowto)
    ));

    html.push_str(&format!(
        "<h2>{} ({})</h2>\n<table><tr>",
        t(TextKey::PackFiles),
        pack.files.len()
    ));
    for key in [
        TextKey::PackColPreview,
        TextKey::PackColFile,
        TextKey::PackColStage,
        TextKey::PackColTime,
        TextKey::PackColAuthor,
        TextKey::PackColSize,
        TextKey::PackColHash,
        TextKey::PackColDelivery,
    ] {
        html.push_str(&format!("<th>{}</th>", t(key)));
    }
    html.push_str("</tr>\n");
    for file in &pack.files {
        let preview = file
            .thumbnail
            .as_deref()
            .map(|url| format!("<img class=\"thumb\" alt=\"\" src=\"{}\">", escape(url)))
            .unwrap_or_default();
        let mut kind = texts.get(TextKey::MediaKind, &[("kind", file.kind.as_str().into())]);
        if let Some(seconds) = file.duration_secs {
            kind = format!("{kind} · {}", super::duration::text(seconds));
        }
        let name = match &file.link {
            Some(link) => format!("<a href=\"{}\">{}</a>", href(link), escape(&file.name)),
            None => escape(&file.name),
        };
        let caption = file
            .caption
            .as_deref()
            .map(|c| format!("<br>{}", escape(c)))
            .unwrap_or_default();
        let size = file
            .size
            .map(|s| format!("{} <br>({s} B)", size_text(s)))
            .unwrap_or_default();
        let check = match &file.check {
            FileCheck::Matches => {
                format!("<br><span class=\"ok\">{}</span>", t(TextKey::PackHashOk))
            }
            FileCheck::Changed { actual } => format!(
                "<br><span class=\"flag\" data-check=\"changed\">{}</span>",
                escape(&texts.get(
                    TextKey::PackHashChanged,
                    &[("actual", actual.as_str().into())]
                ))
            ),
            FileCheck::Missing => format!(
                "<br><span class=\"flag\" data-check=\"missing\">{}</span>",
                t(TextKey::PackFileMissing)
            ),
            FileCheck::NotStored => format!("<br>{}", t(TextKey::PackNotStored)),
        };
        let deliveries: Vec<String> = file
            .deliveries
            .iter()
            .map(|d| match d {
                FileDelivery::Delivered { to, at } => escape(&texts.get(
                    TextKey::PackDelivered,
                    &[
                        ("name", to.as_str().into()),
                        ("at", at.map(time).unwrap_or_default().into()),
                    ],
                )),
                FileDelivery::NotDelivered { to, reason } => format!(
                    "<span class=\"flag\">{}</span>",
                    escape(&texts.get(
                        TextKey::PackNotDelivered,
                        &[
                            ("name", to.as_str().into()),
                            ("reason", reason.as_str().into())
                        ],
                    ))
                ),
                FileDelivery::None { reason } => escape(reason),
            })
            .collect();
        html.push_str(&format!(
            "<tr data-sha256=\"{sha}\"><td>{preview}</td><td>{name}<br>{kind}{caption}</td>\
             <td>{stage}</td><td>{at}</td><td>{author}</td><td>{size}</td>\
             <td class=\"hash\">{sha}{check}</td><td>{deliveries}</td></tr>\n",
            sha = escape(file.recorded_sha256.as_deref().unwrap_or("")),
            kind = escape(&kind),
            stage = escape(&file.stage),
            at = time(file.at),
            author = escape(&file.author),
            deliveries = deliveries.join("<br>"),
        ));
    }
    html.push_str("</table>\n");

    html.push_str(&format!(
        "<h2>{} ({})</h2>\n",
        t(TextKey::PackApprovals),
        pack.approvals.len()
    ));
    if !pack.approvals.is_empty() {
        html.push_str("<table><tr>");
        for key in [
            TextKey::PackColWork,
            TextKey::PackColDecision,
            TextKey::PackColClient,
            TextKey::PackColPhone,
            TextKey::PackColTime,
        ] {
            html.push_str(&format!("<th>{}</th>", t(key)));
        }
        html.push_str("</tr>\n");
        for a in &pack.approvals {
            let decision = texts.get(
                TextKey::PackDecision,
                &[("decision", a.decision.as_str().into())],
            );
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&a.description),
                escape(&decision),
                escape(&a.client),
                escape(&a.phone),
                time(a.decided_at)
            ));
        }
        html.push_str("</table>\n");
    }

    html.push_str(&format!(
        "<h2>{} ({})</h2>\n",
        t(TextKey::PackMessages),
        pack.lines.len()
    ));
    for line in &pack.lines {
        let class = match line.side {
            Side::Staff => "staff",
            Side::Client => "client",
            Side::System => "system",
        };
        let mut body = String::new();
        let last = line.versions.len().saturating_sub(1);
        for (i, version) in line.versions.iter().enumerate() {
            if i < last {
                body.push_str(&format!(
                    "<span class=\"old\">{}</span> → ",
                    escape(version)
                ));
            } else {
                body.push_str(&escape(version));
            }
        }
        if line.failed {
            body.push_str(&format!(
                " <span class=\"flag\">{}</span>",
                t(TextKey::TranscriptFailed)
            ));
        }
        html.push_str(&format!(
            "<p class=\"line {class}\">[{}] <span class=\"who\">{}</span>: {body}</p>\n",
            time(line.at),
            escape(&line.who)
        ));
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::t;
    use crate::texts::Language;

    #[test]
    fn checks_compare_the_recorded_hash() {
        assert_eq!(FileCheck::of(Some("AB"), Some("ab")), FileCheck::Matches);
        assert_eq!(
            FileCheck::of(Some("ab"), Some("cd")),
            FileCheck::Changed {
                actual: "cd".into()
            }
        );
        assert_eq!(FileCheck::of(Some("ab"), None), FileCheck::Missing);
        assert_eq!(FileCheck::of(None, Some("ab")), FileCheck::NotStored);
        assert!(FileCheck::Missing.is_flagged() && !FileCheck::NotStored.is_flagged());
    }

    #[test]
    fn file_names_are_safe_and_dated() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).expect("date");
        assert_eq!(
            file_name("ЗН-004512", day),
            "ServiceBot-ЗН-004512-2026-03-09.html"
        );
        assert_eq!(file_name("a/b:c", day), "ServiceBot-a_b_c-2026-03-09.html");
    }

    #[test]
    fn the_pack_says_everything_and_escapes_it() {
        let texts = Texts::new(Language::Russian).expect("ru");
        let file = |check| PackFile {
            link: Some("Inspection/2026 фото.jpg".into()),
            name: "2026 фото.jpg".into(),
            stage: "Приёмка автомобиля".into(),
            kind: MediaKind::Photo,
            size: Some(2048),
            duration_secs: None,
            at: t(0),
            author: "Иван <мастер>".into(),
            recorded_sha256: Some("ab".repeat(32)),
            check,
            deliveries: vec![FileDelivery::Delivered {
                to: "Анна".into(),
                at: Some(t(5)),
            }],
            caption: Some("Колодки".into()),
            thumbnail: Some("data:image/jpeg;base64,AAAA".into()),
        };
        let pack = Pack {
            organization: "Автоцентр".into(),
            order_no: "ЗН-1".into(),
            folder: "ЗН-1 А123ВС77".into(),
            created: NaiveDate::from_ymd_opt(2026, 3, 9).expect("date"),
            generated_at: t(100),
            files: vec![
                file(FileCheck::Matches),
                file(FileCheck::Changed {
                    actual: "cd".repeat(32),
                }),
                PackFile {
                    kind: MediaKind::Video,
                    duration_secs: Some(65),
                    ..file(FileCheck::Matches)
                },
            ],
            lines: vec![PackLine {
                at: t(1),
                side: Side::Client,
                who: "Анна".into(),
                versions: vec!["<b>Сколько</b>".into(), "Сколько стоит?".into()],
                failed: false,
            }],
            approvals: vec![PackApproval {
                description: "Замена колодок — 4 500 ₽".into(),
                client: "Анна".into(),
                phone: "+7 912 345-67-89".into(),
                decision: Decision::Approve,
                decided_at: t(3),
            }],
        };
        let html = render(
            &pack,
            &texts,
            FixedOffset::east_opt(3 * 3600).expect("offset"),
        );
        assert!(html.contains("certutil -hashfile"), "how to check a hash");
        assert!(html.contains("@media print"), "a print stylesheet");
        assert!(html.contains(&"ab".repeat(32)), "the recorded hash");
        assert!(
            html.contains("href=\"Inspection/2026%20%D1%84%D0%BE%D1%82%D0%BE.jpg\""),
            "{html}"
        );
        assert!(
            html.contains("src=\"data:image/jpeg;base64,AAAA\""),
            "the thumbnail embedded"
        );
        assert_eq!(
            html.matches("data-check=\"changed\"").count(),
            1,
            "the changed file flagged"
        );
        assert!(html.contains(&"cd".repeat(32)), "with its hash now");
        assert!(html.contains("data-flagged=\"1\""));
        assert!(html.contains("&lt;b&gt;Сколько&lt;/b&gt;"), "texts escaped");
        assert!(!html.contains("<мастер>"), "names escaped");
        assert!(html.contains("+7 912 345-67-89") && html.contains("Замена колодок"));
        assert!(html.contains("09.03.2026"), "the folder's date");
        assert_eq!(
            html.matches(" · 1:05").count(),
            1,
            "the video's length, and no length for the photos"
        );
        assert!(!html.contains("pack-"), "every label has a text");
    }
}
