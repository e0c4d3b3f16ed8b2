//! Pure decisions about staff media: how a batch is split into albums Telegram accepts, and the
//! one receipt staff get per message or album.

use crate::store::MediaKind;
use crate::texts::{TextKey, Texts};

/// Telegram's album size limit.
pub const MAX_ALBUM: usize = 10;

/// Splits a batch (by position) into sendable groups, keeping the order of first appearance:
/// photos and videos may share albums; documents only with documents; audio only with audio;
/// voice messages and round videos go alone. Groups hold at most 10 items; a group of one is
/// sent as a single message.
pub fn album_chunks(kinds: &[MediaKind]) -> Vec<Vec<usize>> {
    #[derive(PartialEq, Eq, Clone, Copy)]
    enum Family {
        Visual,
        Document,
        Audio,
        Alone,
    }
    let family = |kind: MediaKind| match kind {
        MediaKind::Photo | MediaKind::Video => Family::Visual,
        MediaKind::Document => Family::Document,
        MediaKind::Audio => Family::Audio,
        MediaKind::Voice | MediaKind::VideoNote => Family::Alone,
    };
    let mut families: Vec<(Family, Vec<usize>)> = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let f = family(*kind);
        match families
            .iter_mut()
            .find(|(g, _)| *g == f && f != Family::Alone)
        {
            Some((_, items)) => items.push(i),
            None => families.push((f, vec![i])),
        }
    }
    families
        .into_iter()
        .flat_map(|(_, items)| {
            items
                .chunks(MAX_ALBUM)
                .map(<[usize]>::to_vec)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Where the batch went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relay {
    /// A stage clients never see.
    Internal,
    /// Nobody is connected to the order.
    NoClient,
    /// Queued for these clients (names).
    Sent(Vec<String>),
    /// Meant for clients, none of whom it reached (the receipt says why, client by client).
    Saved,
}

/// What happened to each file of a batch, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// In the order folder.
    pub stored: usize,
    /// In the local spool, waiting for the orders folder.
    pub held: usize,
    /// Over the download limit: relayed, not stored.
    pub too_big: usize,
    /// Not saved, with the reasons.
    pub failed: Vec<String>,
    pub relay: Relay,
    /// The download limit in MB, for the too-big notice.
    pub limit_mb: u64,
}

/// The one receipt for a batch: it never says "saved" for a file that was not.
pub fn receipt(texts: &Texts, outcome: &BatchOutcome) -> String {
    let mut lines = Vec::new();
    let saved = outcome.stored;
    if saved > 0 {
        lines.push(match &outcome.relay {
            Relay::Internal => texts.get(TextKey::ReceiptInternal, &[("count", saved.into())]),
            Relay::NoClient => texts.get(TextKey::ReceiptNoClient, &[("count", saved.into())]),
            Relay::Sent(names) => texts.get(
                TextKey::ReceiptSent,
                &[("count", saved.into()), ("names", names.join(", ").into())],
            ),
            Relay::Saved => texts.get(TextKey::ReceiptSaved, &[("count", saved.into())]),
        });
    }
    if outcome.held > 0 {
        lines.push(texts.get(TextKey::ReceiptHeld, &[("count", outcome.held.into())]));
    }
    for _ in 0..outcome.too_big {
        lines.push(texts.get(
            TextKey::ReceiptTooBig,
            &[(
                "limit",
                i64::try_from(outcome.limit_mb).unwrap_or(i64::MAX).into(),
            )],
        ));
    }
    for reason in &outcome.failed {
        lines.push(texts.get(
            TextKey::ReceiptNotSaved,
            &[("reason", reason.as_str().into())],
        ));
    }
    // Only too-big files: still say who they went to, since no "saved" line does.
    if saved == 0
        && outcome.held == 0
        && outcome.too_big > 0
        && let Relay::Sent(names) = &outcome.relay
    {
        lines.push(texts.get(TextKey::TextSent, &[("names", names.join(", ").into())]));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::Language;
    use MediaKind::{Audio, Document as Doc, Photo, Video, Voice};

    #[test]
    fn album_chunks_follow_telegram_rules() {
        let cases: Vec<(Vec<MediaKind>, Vec<Vec<usize>>)> = vec![
            (vec![Photo], vec![vec![0]]),
            (vec![Photo; 10], vec![(0..10).collect()]),
            (vec![Photo; 12], vec![(0..10).collect(), vec![10, 11]]),
            (vec![Photo, Video, Photo], vec![vec![0, 1, 2]]),
            (vec![Photo, Doc, Photo, Doc], vec![vec![0, 2], vec![1, 3]]),
            (vec![Doc, Photo, Photo], vec![vec![0], vec![1, 2]]),
            (vec![Audio, Audio, Photo], vec![vec![0, 1], vec![2]]),
            (vec![Voice, Voice], vec![vec![0], vec![1]]),
            (vec![], vec![]),
        ];
        for (kinds, expected) in cases {
            assert_eq!(album_chunks(&kinds), expected, "{kinds:?}");
        }
    }

    #[test]
    fn receipts_say_exactly_what_happened() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let outcome = |stored, held, too_big, failed: Vec<&str>, relay| BatchOutcome {
            stored,
            held,
            too_big,
            failed: failed.into_iter().map(str::to_owned).collect(),
            relay,
            limit_mb: 20,
        };
        let sent = receipt(
            &texts,
            &outcome(
                10,
                0,
                0,
                vec![],
                Relay::Sent(vec!["Анна".into(), "Борис".into()]),
            ),
        );
        assert_eq!(sent, "✅ Сохранено 10 файлов и отправлено: Анна, Борис.");
        let internal = receipt(&texts, &outcome(1, 0, 0, vec![], Relay::Internal));
        assert!(
            internal.starts_with("🔒 Сохранено 1 файл для сервисных нужд"),
            "{internal}"
        );
        let nobody = receipt(&texts, &outcome(2, 0, 0, vec![], Relay::NoClient));
        assert!(
            nobody.contains("2 файла") && nobody.contains("не подключён"),
            "{nobody}"
        );
        let big = receipt(
            &texts,
            &outcome(0, 0, 1, vec![], Relay::Sent(vec!["Анна".into()])),
        );
        assert!(
            big.contains("больше 20 МБ") && big.contains("Анна") && !big.contains("Сохранено"),
            "{big}"
        );
        let held = receipt(&texts, &outcome(0, 3, 0, vec![], Relay::NoClient));
        assert!(
            held.contains("3 файла ожидают") && !held.contains("Сохранено"),
            "{held}"
        );
        let failed = receipt(
            &texts,
            &outcome(0, 0, 0, vec!["download broke"], Relay::NoClient),
        );
        assert_eq!(failed, "❌ Не сохранено: download broke");
    }
}
