//! Whole messages within Telegram's length limits.
//!
//! Telegram refuses a text over 4096 and a caption over 1024 characters, counted in UTF-16 code
//! units of the *visible* text once the HTML is parsed: tags do not count and `&lt;` is one
//! character. A long text is therefore split before sending — at the most natural boundary that
//! keeps each part long — and a long caption is shortened with the full text following, so that
//! nothing a person wrote is ever refused or lost. Counting mirrors the fake Bot API server's
//! `validate.rs`, which mirrors Telegram.

/// Telegram's limit for a message text, in UTF-16 units of the visible text.
pub const TEXT_LIMIT: usize = 4096;
/// Telegram's limit for a media caption, in UTF-16 units of the visible text.
pub const CAPTION_LIMIT: usize = 1024;

/// The visible text of simple well-formed HTML: tags removed, the entities `&lt; &gt; &amp;
/// &quot;` and numeric ones (`&#39;`, `&#x27;`) decoded. Anything else is kept as it is (a stray
/// `&` or `<` counts as itself), so the count never comes out short.
fn visible_text(html: &str) -> String {
    let mut visible = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            rest = &rest[end + 1..];
            continue;
        }
        if c == '&'
            && let Some(end) = rest.find(';').filter(|&end| end <= 10)
            && let Some(decoded) = decode_entity(&rest[1..end])
        {
            visible.push(decoded);
            rest = &rest[end + 1..];
            continue;
        }
        visible.push(c);
        rest = &rest[c.len_utf8()..];
    }
    visible
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let digits = name.strip_prefix('#')?;
            let code = match digits.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => digits.parse().ok(),
            };
            code.and_then(char::from_u32)
        }
    }
}

/// How long Telegram considers `html`: UTF-16 code units of its visible text (see the module
/// docs). An emoji outside the Basic Multilingual Plane counts as two.
pub fn visible_len(html: &str) -> usize {
    utf16_len(&visible_text(html))
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// Escapes plain text for Telegram's HTML parse mode. Escaping never changes the visible length:
/// `&lt;` is still one character to Telegram.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Splits a plain-text `body` into HTML messages of at most `limit` visible UTF-16 units each.
///
/// The first part is `header_html`, a newline and the first chunk (no newline when the header is
/// empty; the header alone when it leaves no room); the others are chunks. Every chunk is
/// escaped. Between consecutive chunks lies either nothing (a split between characters) or one
/// whole run of whitespace, which is dropped — so the chunks joined with those runs give the body
/// back exactly. Each chunk is as long as possible, ending at the best kind of boundary found in
/// the second half of its room: a blank line, a line end, a sentence end, a space, and only then
/// between characters (never inside a character, and not inside a simple grapheme such as an
/// emoji with a variation selector or skin tone, a ZWJ sequence, a flag or a letter with a
/// combining accent).
///
/// An empty body gives just the header (or nothing when that is empty too). A header that alone
/// exceeds `limit` cannot be helped here and is returned as it is; headers are short fixed texts.
pub fn split_text(header_html: &str, body: &str, limit: usize) -> Vec<String> {
    let header_room = if header_html.is_empty() {
        limit
    } else {
        limit.saturating_sub(visible_len(header_html) + 1)
    };
    let mut parts = Vec::new();
    let mut chunks = chunk_ranges(body, header_room, limit).into_iter();
    if !header_html.is_empty() {
        let first = if header_room == 0 {
            None
        } else {
            chunks.next()
        };
        parts.push(match first {
            Some((start, end)) => format!("{header_html}\n{}", escape(&body[start..end])),
            None => header_html.to_owned(),
        });
    }
    parts.extend(chunks.map(|(start, end)| escape(&body[start..end])));
    parts
}

/// The byte ranges of `body`'s chunks: the first within `first_room` units (when it is not zero),
/// the others within `room`.
fn chunk_ranges(body: &str, first_room: usize, room: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut offset = 0;
    let mut budget = if first_room == 0 { room } else { first_room };
    while offset < body.len() {
        let rest = &body[offset..];
        let (end, next) = next_split(rest, budget).unwrap_or((rest.len(), rest.len()));
        ranges.push((offset, offset + end));
        offset += next;
        budget = room;
    }
    ranges
}

/// Boundary kinds, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Boundary {
    Paragraph,
    Line,
    Sentence,
    Word,
}

/// Where to cut `rest` so the chunk fits `room` units: `(chunk end, start of what follows)`,
/// both byte offsets, the bytes between them being a dropped whitespace run. `None` when all of
/// `rest` fits.
fn next_split(rest: &str, room: usize) -> Option<(usize, usize)> {
    let window_end = window_end(rest, room)?;
    let half = room / 2;
    // The best candidate of each boundary kind: the latest whose chunk reaches `half` and fits.
    // A whitespace run starting at or before `window_end` has a chunk that fits; the run itself
    // may reach past the window, it is dropped.
    let mut best: [Option<(usize, usize)>; 4] = [None; 4];
    let mut units = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if start > window_end {
            break;
        }
        if !is_breaking_space(c) {
            units += c.len_utf16();
            continue;
        }
        let chunk_units = units;
        let mut newlines = 0;
        let mut end = start;
        let mut run = Some((start, c));
        while let Some((at, d)) = run {
            newlines += usize::from(d == '\n');
            end = at + d.len_utf8();
            units += d.len_utf16();
            run = chars.next_if(|&(_, d)| is_breaking_space(d));
        }
        if start > 0 && chunk_units >= half {
            let kind = match newlines {
                0 if ends_sentence(&rest[..start]) => Boundary::Sentence,
                0 => Boundary::Word,
                1 => Boundary::Line,
                _ => Boundary::Paragraph,
            };
            best[kind as usize] = Some((start, end));
        }
    }
    if let Some(split) = best.into_iter().flatten().next() {
        return Some(split);
    }
    // No natural boundary in the second half: cut between characters at the end of the window,
    // outside a grapheme when possible, taking at least one character to make progress.
    let cut = char_cut(rest, window_end);
    Some((cut, cut))
}

/// The byte offset of the first character of `rest` that does not fit in `room` units, or
/// `None` when all of it fits.
fn window_end(rest: &str, room: usize) -> Option<usize> {
    let mut units = 0;
    for (at, c) in rest.char_indices() {
        units += c.len_utf16();
        if units > room {
            return Some(at);
        }
    }
    None
}

/// Whitespace a line may break at. The non-breaking spaces are excluded: they were put there to
/// keep words together ("5 000 ₽", "ул. Ленина").
fn is_breaking_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Whether `text` ends a sentence: a terminator, possibly followed by closing quotes or brackets.
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '\'', '»', '”', '’', ')', ']']);
    trimmed.ends_with(['.', '!', '?', '…'])
}

/// A byte offset at or before `at` (a char boundary) where a cut splits no grapheme; at least
/// one character in, so that splitting always makes progress.
fn char_cut(rest: &str, at: usize) -> usize {
    let mut cut = at;
    while cut > 0 && !is_grapheme_boundary(rest, cut) {
        cut -= rest[..cut].chars().next_back().map_or(cut, char::len_utf8);
    }
    if cut > 0 {
        cut
    } else if at > 0 {
        // One grapheme longer than the room: cut inside it, though never inside a character.
        at
    } else {
        // A room too small for even the first character: it goes over rather than nowhere.
        rest.chars().next().map_or(0, char::len_utf8)
    }
}

/// A cheap approximation of Unicode grapheme boundaries covering what chat text contains:
/// combining accents, variation selectors, emoji modifiers and tags, zero-width joiner sequences
/// and regional-indicator flags.
fn is_grapheme_boundary(text: &str, at: usize) -> bool {
    let (before, after) = text.split_at(at);
    let (Some(prev), Some(next)) = (before.chars().next_back(), after.chars().next()) else {
        return true;
    };
    if extends_grapheme(next) || prev == '\u{200d}' {
        return false;
    }
    if is_regional_indicator(prev) && is_regional_indicator(next) {
        // Flags are pairs: a boundary only after an even number of indicators.
        let run = before
            .chars()
            .rev()
            .take_while(|&c| is_regional_indicator(c))
            .count();
        return run % 2 == 0;
    }
    true
}

fn extends_grapheme(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'       // combining diacritical marks (й written as и + ̆)
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'     // combining marks for symbols, incl. the keycap
        | '\u{fe00}'..='\u{fe0f}'     // variation selectors (❤️)
        | '\u{fe20}'..='\u{fe2f}'
        | '\u{200d}'                  // zero-width joiner
        | '\u{1f3fb}'..='\u{1f3ff}'   // skin tones
        | '\u{e0020}'..='\u{e007f}'   // emoji tags (subdivision flags)
        | '\u{e0100}'..='\u{e01ef}')
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}')
}

/// A media caption within Telegram's limit, and the text messages that follow it when it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptionPlan {
    /// The caption to send with the media (HTML).
    pub caption_html: String,
    /// Text messages (HTML) to send after the media; empty when the caption was whole.
    pub follow_up: Vec<String>,
}

/// Fits a plain-text `caption` under `header_html` within `caption_limit`. When the whole of it
/// fits, it is the caption. Otherwise the caption is the header and as much of the text as fits,
/// ending at a word with "…", and the full text follows as text messages (with the header again,
/// split by [`split_text`] within `text_limit`) — a shortened caption alone would lose what the
/// person wrote.
pub fn fit_caption(
    header_html: &str,
    caption: Option<&str>,
    caption_limit: usize,
    text_limit: usize,
) -> CaptionPlan {
    let join = |body: &str| {
        if header_html.is_empty() {
            escape(body)
        } else if body.is_empty() {
            header_html.to_owned()
        } else {
            format!("{header_html}\n{}", escape(body))
        }
    };
    let caption = caption.unwrap_or_default();
    let whole = join(caption);
    if visible_len(&whole) <= caption_limit {
        return CaptionPlan {
            caption_html: whole,
            follow_up: Vec::new(),
        };
    }
    let header_units = if header_html.is_empty() {
        0
    } else {
        visible_len(header_html) + 1
    };
    let ellipsis = '…'.len_utf16();
    let room = caption_limit.saturating_sub(header_units + ellipsis);
    let teaser = if room == 0 {
        String::new()
    } else {
        let end = teaser_end(caption, room);
        let cut =
            caption[..end].trim_end_matches(|c: char| is_breaking_space(c) || ",;:".contains(c));
        format!("{cut}…")
    };
    CaptionPlan {
        caption_html: join(&teaser),
        follow_up: split_text(header_html, caption, text_limit),
    }
}

/// Where a shortened caption of at most `room` units ends: before the latest whitespace that
/// fits, or between characters when the first word alone is longer than the room.
fn teaser_end(caption: &str, room: usize) -> usize {
    let mut units = 0;
    let mut last_space = None;
    for (i, c) in caption.char_indices() {
        // Checked first: the text before this space fits even when the space does not.
        if is_breaking_space(c) && i > 0 {
            last_space = Some(i);
        }
        if units + c.len_utf16() > room {
            return match last_space {
                Some(space) => space,
                None => char_cut(caption, i),
            };
        }
        units += c.len_utf16();
    }
    caption.len()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, reason = "test code")]

    use super::*;

    /// Checks every promise of `split_text` for one input and returns the parts.
    fn check_split(header: &str, body: &str, limit: usize) -> Vec<String> {
        let parts = split_text(header, body, limit);
        for (i, part) in parts.iter().enumerate() {
            assert!(
                visible_len(part) <= limit,
                "part {i} is {} units, over {limit}: {part:?}",
                visible_len(part)
            );
        }
        // The parts are the header and the escaped chunks…
        let header_room = if header.is_empty() {
            limit
        } else {
            limit.saturating_sub(visible_len(header) + 1)
        };
        let ranges = chunk_ranges(body, header_room, limit);
        let mut expected: Vec<String> = ranges
            .iter()
            .map(|&(start, end)| escape(&body[start..end]))
            .collect();
        if !header.is_empty() {
            if header_room == 0 || expected.is_empty() {
                expected.insert(0, header.to_owned());
            } else {
                expected[0] = format!("{header}\n{}", expected[0]);
            }
        }
        assert_eq!(
            parts, expected,
            "parts are the header and the escaped chunks"
        );
        // …and the chunks are the body, with only whitespace dropped between them.
        let mut covered = 0;
        for (i, &(start, end)) in ranges.iter().enumerate() {
            assert!(start < end, "chunk {i} is empty");
            let gap = &body[covered..start];
            assert!(
                gap.chars().all(is_breaking_space),
                "only whitespace is dropped before chunk {i}: {gap:?}"
            );
            if i > 0 && gap.is_empty() {
                assert!(
                    is_grapheme_boundary(body, start),
                    "a cut between characters at {start} splits a grapheme"
                );
            }
            covered = end;
        }
        assert!(
            body[covered..].chars().all(is_breaking_space),
            "only whitespace is dropped at the end: {:?}",
            &body[covered..]
        );
        assert!(
            ranges.first().is_none_or(|r| r.0 == 0),
            "the body starts the first chunk"
        );
        parts
    }

    #[test]
    fn visible_length_counts_what_telegram_shows() {
        let cases = [
            ("plain", "abc", 3),
            ("cyrillic is one unit a letter", "Заказ", 5),
            ("tags do not count", "<b>ЗН</b> <i>123</i>", 6),
            ("named entities are one", "&lt;&gt;&amp;&quot;", 4),
            ("numeric entities", "&#39;&#x27;&#8470;", 3),
            ("an emoji is two units", "🚗", 2),
            ("an entity for an emoji is two", "&#128663;", 2),
            ("a stray ampersand counts itself", "Tom & Jerry", 11),
            ("an unknown entity is literal", "&nbsp;", 6),
            ("empty", "", 0),
        ];
        for (name, html, expected) in cases {
            assert_eq!(visible_len(html), expected, "{name}: {html:?}");
        }
    }

    #[test]
    fn escape_covers_the_html_specials_only() {
        let cases = [
            (
                "specials",
                "<a href=\"x\">&</a>",
                "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;",
            ),
            ("apostrophes stay", "it's", "it's"),
            ("cyrillic stays", "Иван", "Иван"),
        ];
        for (name, text, expected) in cases {
            assert_eq!(escape(text), expected, "{name}");
            assert_eq!(visible_text(&escape(text)), text, "{name}: round trip");
        }
    }

    #[test]
    fn splits_as_specified() {
        struct Case {
            name: &'static str,
            header: &'static str,
            body: String,
            limit: usize,
            /// The visible length of each part.
            expected: Vec<usize>,
        }
        let cases = vec![
            Case {
                name: "short text is one part",
                header: "",
                body: "Машина готова.".into(),
                limit: TEXT_LIMIT,
                expected: vec![14],
            },
            Case {
                name: "exactly 4096 visible is one part",
                header: "",
                body: "я".repeat(4096),
                limit: TEXT_LIMIT,
                expected: vec![4096],
            },
            Case {
                name: "4097 is two",
                header: "",
                body: "я".repeat(4097),
                limit: TEXT_LIMIT,
                expected: vec![4096, 1],
            },
            Case {
                name: "a single 10 000-character word splits between characters",
                header: "",
                body: "ж".repeat(10_000),
                limit: TEXT_LIMIT,
                expected: vec![4096, 4096, 1808],
            },
            Case {
                name: "escaping makes bytes, not characters",
                header: "",
                body: "<".repeat(3000),
                limit: TEXT_LIMIT,
                expected: vec![3000],
            },
            Case {
                name: "escaped text over the limit",
                header: "",
                body: "&".repeat(5000),
                limit: TEXT_LIMIT,
                expected: vec![4096, 904],
            },
            Case {
                name: "emoji are two units and never split",
                header: "",
                body: "🚗".repeat(3000),
                limit: TEXT_LIMIT,
                expected: vec![4096, 1904],
            },
            Case {
                name: "an odd limit leaves a unit free rather than halve an emoji",
                header: "",
                body: "🚗".repeat(3000),
                limit: 4095,
                expected: vec![4094, 1906],
            },
            Case {
                name: "the header and its newline are counted",
                header: "<b>ЗН 123</b>",
                body: "x".repeat(4089),
                limit: TEXT_LIMIT,
                expected: vec![4096],
            },
            Case {
                name: "one more and the last character moves on",
                header: "<b>ЗН 123</b>",
                body: "x".repeat(4090),
                limit: TEXT_LIMIT,
                expected: vec![4096, 1],
            },
            Case {
                name: "an empty body is just the header",
                header: "<b>ЗН 123</b>",
                body: String::new(),
                limit: TEXT_LIMIT,
                expected: vec![6],
            },
            Case {
                name: "nothing at all",
                header: "",
                body: String::new(),
                limit: TEXT_LIMIT,
                expected: vec![],
            },
            Case {
                name: "a header with no room goes alone",
                header: "<b>ЗН 123</b>",
                body: "abc".into(),
                limit: 7,
                expected: vec![6, 3],
            },
            Case {
                name: "words are kept whole, the space dropped",
                header: "",
                body: "aaaa bbbb cccc".into(),
                limit: 10,
                expected: vec![9, 4],
            },
        ];
        for case in cases {
            let parts = check_split(case.header, &case.body, case.limit);
            let lengths: Vec<usize> = parts.iter().map(|p| visible_len(p)).collect();
            assert_eq!(lengths, case.expected, "{}", case.name);
        }
    }

    #[test]
    fn boundaries_are_chosen_best_first() {
        struct Case {
            name: &'static str,
            body: &'static str,
            limit: usize,
            expected: Vec<&'static str>,
        }
        let cases = vec![
            Case {
                name: "a blank line beats a later line end",
                body: "Первый абзац текста.\n\nВторой абзац\nи строка дальше",
                limit: 40,
                expected: vec!["Первый абзац текста.", "Второй абзац\nи строка дальше"],
            },
            Case {
                name: "a line end beats a later sentence end",
                body: "Первая строка текста\nСтрока два. Ещё слово и ещё",
                limit: 40,
                expected: vec!["Первая строка текста", "Строка два. Ещё слово и ещё"],
            },
            Case {
                name: "a sentence end beats a later space",
                body: "Машина готова! Ждём вас",
                limit: 22,
                expected: vec!["Машина готова!", "Ждём вас"],
            },
            Case {
                name: "a sentence may end inside quotes",
                body: "Он сказал «Да.» потом ушёл домой",
                limit: 24,
                expected: vec!["Он сказал «Да.»", "потом ушёл домой"],
            },
            Case {
                name: "a boundary in the first half is too early: a later space wins",
                body: "Да. абвгдежзийклм нопрстуф",
                limit: 20,
                expected: vec!["Да. абвгдежзийклм", "нопрстуф"],
            },
            Case {
                name: "no boundary in the second half: cut between characters",
                body: "ab cdefghijklmnopqrstuvwxyz",
                limit: 10,
                expected: vec!["ab cdefghi", "jklmnopqrs", "tuvwxyz"],
            },
            Case {
                name: "the whole whitespace run is dropped",
                body: "один два  \n \n  три",
                limit: 9,
                expected: vec!["один два", "три"],
            },
            Case {
                name: "a non-breaking space is not a boundary",
                body: "цена 5\u{a0}000\u{a0}₽",
                limit: 9,
                expected: vec!["цена", "5\u{a0}000\u{a0}₽"],
            },
            Case {
                name: "a boundary just past the window's end still fits",
                body: "abcde fgh",
                limit: 5,
                expected: vec!["abcde", "fgh"],
            },
            Case {
                name: "an emoji with a variation selector stays whole",
                body: "❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}",
                limit: 3,
                expected: vec!["❤\u{fe0f}", "❤\u{fe0f}", "❤\u{fe0f}"],
            },
            Case {
                name: "flags stay whole",
                body: "🇷🇺🇷🇺",
                limit: 6,
                expected: vec!["🇷🇺", "🇷🇺"],
            },
            Case {
                name: "a letter with a combining accent stays whole",
                body: "ии\u{306}",
                limit: 2,
                expected: vec!["и", "и\u{306}"],
            },
        ];
        for case in cases {
            let parts = check_split("", case.body, case.limit);
            let visible: Vec<String> = parts.iter().map(|p| visible_text(p)).collect();
            assert_eq!(visible, case.expected, "{}", case.name);
        }
    }

    #[test]
    fn russian_prose_splits_at_the_last_paragraph_that_fits() {
        let sentence = "Мастер проверил подвеску и тормоза, заменил колодки и масло. ";
        let paragraph = sentence.repeat(10);
        let paragraph = paragraph.trim_end();
        let paragraphs = [paragraph; 9];
        let body = paragraphs.join("\n\n");
        let len = utf16_len(paragraph);
        assert!(utf16_len(&body) > 5000, "the body is long enough");
        let header = "<b>ЗН 123 · Приёмка</b>";
        let parts = check_split(header, &body, TEXT_LIMIT);
        let room = TEXT_LIMIT - visible_len(header) - 1;
        let fitting = (room + 2) / (len + 2);
        let expected_first = format!("{header}\n{}", paragraphs[..fitting].join("\n\n"));
        assert_eq!(
            parts[0], expected_first,
            "the first part ends at a paragraph"
        );
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1], paragraphs[fitting..].join("\n\n"));
    }

    #[test]
    fn property_every_part_fits_and_nothing_is_lost() {
        const PIECES: &[&str] = &[
            "слово",
            "word",
            "a",
            "очень-длинное-слово-без-пробелов",
            " ",
            " ",
            " ",
            "  ",
            "\n",
            "\n\n",
            ". ",
            "! ",
            "? ",
            "… ",
            ".\n",
            "<",
            ">",
            "&",
            "\"",
            "🚗",
            "❤\u{fe0f}",
            "👍🏽",
            "🇷🇺",
            "и\u{306}",
            "\u{a0}",
            "ё",
            "\t",
            "x",
        ];
        const HEADERS: &[&str] = &["", "<b>ЗН 7</b>", "<b>Заказ</b> <i>&lt;A123&gt;</i>"];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..2000 {
            let pieces = (next() % 200) as usize;
            let body: String = (0..pieces)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let header = HEADERS[(next() % HEADERS.len() as u64) as usize];
            let limit = 16 + (next() % 120) as usize;
            let parts = check_split(header, &body, limit);
            // No tiny parts: every part but the last holds at least half its room.
            let last = parts.len().saturating_sub(1);
            for (i, part) in parts.iter().enumerate().take(last).skip(1) {
                assert!(
                    visible_len(part) >= limit / 2 - 3,
                    "round {round}: part {i} of {} is only {} units of {limit}: {part:?}",
                    parts.len(),
                    visible_len(part)
                );
            }
        }
    }

    #[test]
    fn captions_fit_or_follow_up() {
        let header = "<b>Фото · Приёмка</b>";
        let long: String = "Царапина на левом крыле, ".repeat(41);
        let long = long.trim_end();
        assert_eq!(long.chars().count(), 1024);
        let long_1020: String = long.chars().take(1020).collect();
        struct Case {
            name: &'static str,
            header: &'static str,
            caption: Option<String>,
            expected_caption: String,
            expected_follow_up: Vec<String>,
        }
        let cases = vec![
            Case {
                name: "no caption: the header",
                header,
                caption: None,
                expected_caption: header.into(),
                expected_follow_up: vec![],
            },
            Case {
                name: "a short caption under the header",
                header,
                caption: Some("Сколы & <трещины>".into()),
                expected_caption: format!("{header}\nСколы &amp; &lt;трещины&gt;"),
                expected_follow_up: vec![],
            },
            Case {
                name: "no header: the caption alone",
                header: "",
                caption: Some("Сколы".into()),
                expected_caption: "Сколы".into(),
                expected_follow_up: vec![],
            },
            Case {
                name: "exactly the limit with no header",
                header: "",
                caption: Some(long.to_owned()),
                expected_caption: long.to_owned(),
                expected_follow_up: vec![],
            },
            Case {
                name: "1020 characters and a header: shortened at a word, full text follows",
                header,
                caption: Some(long_1020.clone()),
                // 40 repetitions and a word are 1008 units: with the header, its newline and
                // the ellipsis exactly 1024.
                expected_caption: format!(
                    "{header}\n{}Царапина…",
                    "Царапина на левом крыле, ".repeat(40)
                ),
                expected_follow_up: vec![format!("{header}\n{long_1020}")],
            },
        ];
        for case in cases {
            let plan = fit_caption(
                case.header,
                case.caption.as_deref(),
                CAPTION_LIMIT,
                TEXT_LIMIT,
            );
            assert!(
                visible_len(&plan.caption_html) <= CAPTION_LIMIT,
                "{}: caption within the limit",
                case.name
            );
            assert_eq!(plan.caption_html, case.expected_caption, "{}", case.name);
            assert_eq!(plan.follow_up, case.expected_follow_up, "{}", case.name);
        }
    }

    #[test]
    fn shortened_captions_end_at_a_word() {
        let header = "<b>Фото</b>";
        let caption = "Царапина на левом крыле, скол на капоте, трещина фары";
        let plan = fit_caption(header, Some(caption), 30, TEXT_LIMIT);
        assert_eq!(plan.caption_html, "<b>Фото</b>\nЦарапина на левом крыле…");
        assert_eq!(plan.follow_up, vec![format!("{header}\n{caption}")]);

        let word = "Ж".repeat(50);
        let plan = fit_caption(header, Some(&word), 30, 40);
        assert_eq!(
            plan.caption_html,
            format!("{header}\n{}…", "Ж".repeat(24)),
            "one long word is cut between characters"
        );
        let follow: Vec<String> = plan.follow_up.iter().map(|p| visible_text(p)).collect();
        assert_eq!(
            follow,
            vec![format!("Фото\n{}", "Ж".repeat(35)), "Ж".repeat(15)],
            "the full text follows, split within the text limit"
        );
    }

    #[test]
    fn property_captions_never_lose_text() {
        let mut seed: u64 = 0x1234_5678_9ABC_DEF1;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let words = ["скол", "<царапина>", "🚗", "и", "&", "крыло,", "фара."];
        for round in 0..500 {
            let count = (next() % 400) as usize;
            let caption: Vec<&str> = (0..count)
                .map(|_| words[(next() % words.len() as u64) as usize])
                .collect();
            let caption = caption.join(" ");
            let plan = fit_caption("<b>Фото</b>", Some(&caption), CAPTION_LIMIT, TEXT_LIMIT);
            assert!(
                visible_len(&plan.caption_html) <= CAPTION_LIMIT,
                "round {round}"
            );
            if plan.follow_up.is_empty() {
                assert_eq!(
                    visible_text(&plan.caption_html),
                    format!("Фото\n{caption}").trim_end(),
                    "round {round}: a whole caption is the text"
                );
            } else {
                assert!(plan.caption_html.ends_with('…'), "round {round}");
                let chunks: Vec<String> = plan.follow_up.iter().map(|p| visible_text(p)).collect();
                let joined = chunks.join(" ");
                assert_eq!(
                    joined.strip_prefix("Фото\n"),
                    Some(caption.as_str()),
                    "round {round}: the follow-up holds the full caption"
                );
            }
        }
    }
}
