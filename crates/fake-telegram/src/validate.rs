//! Telegram's refusals for texts, captions, formatting and keyboards.

use serde_json::Value;

use crate::params::{ApiError, ApiResult};

pub(crate) const MAX_TEXT: usize = 4096;
pub(crate) const MAX_CAPTION: usize = 1024;
const MAX_CALLBACK_DATA: usize = 64;
const MAX_INLINE_BUTTONS: usize = 100;

const HTML_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Checks a message text: not empty, well-formed for its parse mode, at most 4096 characters
/// once the markup is parsed (counted in UTF-16 units, as Telegram does).
pub(crate) fn text(text: &str, parse_mode: Option<&str>) -> ApiResult<()> {
    let visible = visible_text(text, parse_mode)?;
    if visible.trim().is_empty() {
        return Err(ApiError::bad("message text is empty"));
    }
    if utf16_len(&visible) > MAX_TEXT {
        return Err(ApiError::bad("message is too long"));
    }
    Ok(())
}

/// Checks a caption: well-formed and at most 1024 characters once parsed.
pub(crate) fn caption(caption: &str, parse_mode: Option<&str>) -> ApiResult<()> {
    let visible = visible_text(caption, parse_mode)?;
    if utf16_len(&visible) > MAX_CAPTION {
        return Err(ApiError::bad("message caption is too long"));
    }
    Ok(())
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

fn visible_text(text: &str, parse_mode: Option<&str>) -> ApiResult<String> {
    let parsed = match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => Ok(text.to_owned()),
        Some("html") => parse_html(text),
        Some("markdownv2") => parse_markdown_v2(text),
        Some("markdown") => Ok(text.replace(['*', '_', '`'], "")),
        Some(other) => return Err(ApiError::bad(format!("unsupported parse_mode \"{other}\""))),
    };
    parsed.map_err(|reason| ApiError::bad(format!("can't parse entities: {reason}")))
}

/// Telegram's HTML: the supported tags, properly nested; `<`, `>` and `&` escaped elsewhere.
fn parse_html(text: &str) -> Result<String, String> {
    let mut visible = String::new();
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let Some(end) = rest.find('>') else {
                    return Err(format!("Can't find end of the tag at byte offset {offset}"));
                };
                let inside = &rest[1..end];
                if let Some(name) = inside.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    match open.pop() {
                        Some((expected, _)) if expected == name => {}
                        Some((expected, _)) => {
                            return Err(format!(
                                "Unmatched end tag at byte offset {offset}, expected \"</{expected}>\", found \"</{name}>\""
                            ));
                        }
                        None => return Err(format!("Unexpected end tag at byte offset {offset}")),
                    }
                } else {
                    let name: String = inside
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '/')
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if !HTML_TAGS.contains(&name.as_str()) {
                        return Err(format!(
                            "Unsupported start tag \"{name}\" at byte offset {offset}"
                        ));
                    }
                    open.push((name, offset));
                }
                offset += end + 1;
                rest = &rest[end + 1..];
            }
            '&' => {
                let end = rest.find(';').filter(|&e| e <= 10);
                let entity = end.map(|e| &rest[1..e]);
                let decoded = match entity {
                    Some("lt") => Some('<'),
                    Some("gt") => Some('>'),
                    Some("amp") => Some('&'),
                    Some("quot") => Some('"'),
                    Some(numeric) if numeric.starts_with('#') => {
                        let digits = &numeric[1..];
                        let code = match digits.strip_prefix(['x', 'X']) {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => digits.parse().ok(),
                        };
                        code.and_then(char::from_u32)
                    }
                    _ => None,
                };
                match (decoded, end) {
                    (Some(ch), Some(end)) => {
                        visible.push(ch);
                        offset += end + 1;
                        rest = &rest[end + 1..];
                    }
                    _ => {
                        return Err(format!(
                            "Unsupported HTML entity at byte offset {offset}: \"&\" must be escaped as \"&amp;\""
                        ));
                    }
                }
            }
            '>' => {
                return Err(format!(
                    "Unexpected \">\" at byte offset {offset}: it must be escaped as \"&gt;\""
                ));
            }
            other => {
                visible.push(other);
                offset += other.len_utf8();
                rest = &rest[other.len_utf8()..];
            }
        }
    }
    if let Some((name, _)) = open.pop() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{name}\""
        ));
    }
    Ok(visible)
}

/// MarkdownV2: the reserved characters must be escaped outside entities; entities must close.
fn parse_markdown_v2(text: &str) -> Result<String, String> {
    const RESERVED: &str = "_*[]()~`>#+-=|{}.!";
    let mut visible = String::new();
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => visible.push(escaped),
                None => {
                    return Err(format!(
                        "Character '\\' at byte offset {offset} must be followed by a character"
                    ));
                }
            },
            '*' | '_' | '~' | '`' | '|' => {
                if open.last().is_some_and(|(o, _)| *o == c) {
                    open.pop();
                } else {
                    open.push((c, offset));
                }
            }
            c if RESERVED.contains(c) => {
                return Err(format!(
                    "Character '{c}' is reserved and must be escaped with the preceding '\\'"
                ));
            }
            other => visible.push(other),
        }
    }
    if let Some((c, offset)) = open.pop() {
        let name = match c {
            '*' => "Bold",
            '_' => "Italic",
            '~' => "Strikethrough",
            '`' => "Code",
            _ => "Spoiler",
        };
        return Err(format!(
            "Can't find end of {name} entity at byte offset {offset}"
        ));
    }
    Ok(visible)
}

/// Checks a reply markup: callback data 1–64 bytes, at most 100 inline buttons.
pub(crate) fn reply_markup(markup: &Value) -> ApiResult<()> {
    if let Some(rows) = markup.get("inline_keyboard") {
        let rows = rows
            .as_array()
            .ok_or_else(|| ApiError::bad("field \"inline_keyboard\" must be an Array"))?;
        let mut count = 0;
        for row in rows {
            let buttons = row.as_array().ok_or_else(|| {
                ApiError::bad("field \"inline_keyboard\" must be an Array of Array")
            })?;
            for button in buttons {
                count += 1;
                let text = button
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if text.is_empty() {
                    return Err(ApiError::bad(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                    ));
                }
                if let Some(data) = button.get("callback_data") {
                    let data = data.as_str().unwrap_or_default();
                    if data.is_empty() || data.len() > MAX_CALLBACK_DATA {
                        return Err(ApiError::bad("BUTTON_DATA_INVALID"));
                    }
                } else if button.get("url").is_none() && button.get("switch_inline_query").is_none()
                {
                    return Err(ApiError::bad(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                    ));
                }
            }
        }
        if count > MAX_INLINE_BUTTONS {
            return Err(ApiError::bad("reply markup is too long"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_rules() {
        assert_eq!(
            parse_html("<b>Иван</b>, &lt;Автоцентр&gt; &amp; &#8470;1"),
            Ok("Иван, <Автоцентр> & №1".into())
        );
        assert!(
            parse_html("<b>open")
                .unwrap_err()
                .contains("Can't find end tag corresponding to start tag \"b\"")
        );
        assert!(
            parse_html("<br>")
                .unwrap_err()
                .contains("Unsupported start tag \"br\"")
        );
        assert!(parse_html("Tom & Jerry").is_err());
        assert!(parse_html("a < b").is_err());
        assert!(
            parse_html("<b><i>x</b></i>")
                .unwrap_err()
                .contains("Unmatched end tag")
        );
        assert_eq!(
            parse_html("<a href=\"https://t.me/x\">link</a>"),
            Ok("link".into())
        );
    }

    #[test]
    fn markdown_v2_rules() {
        assert!(
            parse_markdown_v2("Price 4.500")
                .unwrap_err()
                .contains("Character '.' is reserved")
        );
        assert_eq!(
            parse_markdown_v2("Price 4\\.500 *bold*"),
            Ok("Price 4.500 bold".into())
        );
        assert!(parse_markdown_v2("*open").unwrap_err().contains("Bold"));
    }

    #[test]
    fn lengths_count_visible_utf16() {
        assert!(text(&"я".repeat(4096), None).is_ok());
        assert_eq!(
            text(&"я".repeat(4097), None),
            Err(ApiError::bad("message is too long"))
        );
        assert!(
            text(&format!("<b>{}</b>", "x".repeat(4096)), Some("HTML")).is_ok(),
            "tags do not count"
        );
        assert_eq!(
            text(&"🚗".repeat(2049), None),
            Err(ApiError::bad("message is too long")),
            "emoji are two units"
        );
        assert_eq!(
            caption(&"x".repeat(1025), None),
            Err(ApiError::bad("message caption is too long"))
        );
        assert_eq!(
            text("  ", None),
            Err(ApiError::bad("message text is empty"))
        );
    }
}
