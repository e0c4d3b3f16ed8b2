//! The one relay planner: how a batch of files (staff media to clients, client media to staff,
//! materials on request) becomes Telegram messages — albums by Telegram's rules, a header on
//! the first item of each message, captions kept whole (a caption too long for Telegram is
//! shortened on the file and follows in full as text), and the buttons on the single message or,
//! since an album cannot carry buttons, on a follow-up after it.

use super::media::album_chunks;
use super::split::{CAPTION_LIMIT, TEXT_LIMIT, escape, fit_caption};
use crate::store::MediaKind;

/// One file to relay: its kind and its own caption (plain text), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayItem {
    pub kind: MediaKind,
    pub caption: Option<String>,
}

/// One message of a plan. Items are named by their position in the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// One file, copied, with this caption (HTML) and the batch's buttons when `buttons`.
    Single {
        item: usize,
        caption_html: Option<String>,
        buttons: bool,
    },
    /// An album: each item with its caption (HTML).
    Album { items: Vec<(usize, Option<String>)> },
    /// A text (HTML): a caption's full text, or the follow-up carrying the buttons.
    Text { html: String, buttons: bool },
}

/// Plans the messages for `items`: `header_html` goes on the first item of each message;
/// `buttons_html` is the follow-up text that carries the buttons when they cannot go on the
/// only message (`None`: the batch has no buttons).
pub fn plan(items: &[RelayItem], header_html: &str, buttons_html: Option<&str>) -> Vec<Planned> {
    let kinds: Vec<MediaKind> = items.iter().map(|i| i.kind).collect();
    let chunks = album_chunks(&kinds);
    let mut messages = Vec::new();
    for chunk in &chunks {
        let mut follow_ups = Vec::new();
        let mut captions = Vec::new();
        for (n, &i) in chunk.iter().enumerate() {
            let header = if n == 0 { header_html } else { "" };
            let own = items[i].caption.as_deref().filter(|c| !c.trim().is_empty());
            let caption = match (header.is_empty(), own) {
                (true, None) => None,
                (_, own) => {
                    let fitted = fit_caption(header, own, CAPTION_LIMIT, TEXT_LIMIT);
                    follow_ups.extend(fitted.follow_up);
                    Some(fitted.caption_html)
                }
            };
            captions.push((i, caption));
        }
        match captions.as_slice() {
            [(item, caption)] => messages.push(Planned::Single {
                item: *item,
                caption_html: caption.clone(),
                buttons: false,
            }),
            _ => messages.push(Planned::Album { items: captions }),
        }
        messages.extend(follow_ups.into_iter().map(|html| Planned::Text {
            html,
            buttons: false,
        }));
    }
    if let Some(buttons_html) = buttons_html {
        match messages.as_mut_slice() {
            [Planned::Single { buttons, .. }] => *buttons = true,
            _ => messages.push(Planned::Text {
                html: buttons_html.to_owned(),
                buttons: true,
            }),
        }
    }
    messages
}

/// The HTML header of a staff file for clients: "<b>stage</b> · order".
pub fn staff_header(stage_title: &str, order_number: &str) -> String {
    format!("<b>{}</b> · {}", escape(stage_title), escape(order_number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use MediaKind::{Document, Photo};

    fn item(kind: MediaKind, caption: Option<&str>) -> RelayItem {
        RelayItem {
            kind,
            caption: caption.map(str::to_owned),
        }
    }

    fn single(item: usize, caption: Option<&str>, buttons: bool) -> Planned {
        Planned::Single {
            item,
            caption_html: caption.map(str::to_owned),
            buttons,
        }
    }

    #[test]
    fn batches_become_messages_by_telegrams_rules() {
        let h = "<b>Приёмка</b> · ЗН-1";
        type Case<'a> = (&'a str, Vec<RelayItem>, Option<&'a str>, Vec<Planned>);
        let cases: Vec<Case<'_>> = vec![
            (
                "a photo gets the header",
                vec![item(Photo, None)],
                None,
                vec![single(0, Some(h), false)],
            ),
            (
                "a captioned photo keeps its caption under the header",
                vec![item(Photo, Some("Колодки <4 мм>"))],
                None,
                vec![single(
                    0,
                    Some(&format!("{h}\nКолодки &lt;4 мм&gt;")),
                    false,
                )],
            ),
            (
                "a single message carries the buttons itself",
                vec![item(Photo, None)],
                Some("Согласовать?"),
                vec![single(0, Some(h), true)],
            ),
            (
                "an album: header on its first item, buttons follow it",
                vec![item(Photo, None), item(Photo, Some("b"))],
                Some("Согласовать?"),
                vec![
                    Planned::Album {
                        items: vec![(0, Some(h.to_owned())), (1, Some("b".to_owned()))],
                    },
                    Planned::Text {
                        html: "Согласовать?".into(),
                        buttons: true,
                    },
                ],
            ),
            (
                "documents go in their own message, each with the header",
                vec![item(Photo, None), item(Document, None)],
                None,
                vec![single(0, Some(h), false), single(1, Some(h), false)],
            ),
        ];
        for (name, items, buttons, expected) in cases {
            assert_eq!(plan(&items, h, buttons), expected, "{name}");
        }
    }

    #[test]
    fn a_caption_too_long_for_telegram_follows_in_full() {
        let long = "слово ".repeat(200);
        let planned = plan(&[item(Photo, Some(&long))], "<b>Этап</b> · ЗН-1", None);
        let [
            Planned::Single { caption_html, .. },
            Planned::Text { html, .. },
        ] = &planned[..]
        else {
            panic!("a shortened caption and its full text: {planned:?}")
        };
        assert!(super::super::split::visible_len(caption_html.as_deref().unwrap_or("")) <= 1024);
        assert!(html.contains(long.trim()), "the whole caption follows");
    }
}
