//! What a staff receipt says. A receipt is sent when staff send something ("sending…") and
//! edited in place once every message and file it reports has ended: delivered to whom, not
//! delivered and why, saved or not. It never says "saved" or "delivered" before it happened.

use super::media::{BatchOutcome, Relay, receipt};
use crate::texts::{TextKey, Texts};

/// How one relayed message to one client ended, or that it has not yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryState {
    Pending,
    Delivered,
    /// Not delivered, with the reason in the user's language.
    Failed(String),
}

/// One client's messages of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDelivery {
    pub name: String,
    pub state: DeliveryState,
}

/// Folds the outcomes of a client's several messages (an album split in two, a long text in
/// parts): pending while any is, failed if any failed, else delivered.
pub fn fold_client(states: &[DeliveryState]) -> DeliveryState {
    if states.contains(&DeliveryState::Pending) {
        return DeliveryState::Pending;
    }
    states
        .iter()
        .find(|s| matches!(s, DeliveryState::Failed(_)))
        .cloned()
        .unwrap_or(DeliveryState::Delivered)
}

fn names(deliveries: &[ClientDelivery], wanted: impl Fn(&DeliveryState) -> bool) -> Vec<String> {
    deliveries
        .iter()
        .filter(|d| wanted(&d.state))
        .map(|d| d.name.clone())
        .collect()
}

fn failures(texts: &Texts, deliveries: &[ClientDelivery]) -> Vec<String> {
    deliveries
        .iter()
        .filter_map(|d| match &d.state {
            DeliveryState::Failed(reason) => Some(texts.get(
                TextKey::TextNotDelivered,
                &[
                    ("name", d.name.as_str().into()),
                    ("reason", reason.as_str().into()),
                ],
            )),
            _ => None,
        })
        .collect()
}

/// Whether everything a receipt reports has ended.
pub fn all_ended(deliveries: &[ClientDelivery], files_pending: usize) -> bool {
    files_pending == 0 && deliveries.iter().all(|d| d.state != DeliveryState::Pending)
}

/// The receipt of a staff text relayed to `deliveries`' clients.
pub fn text_receipt(texts: &Texts, deliveries: &[ClientDelivery]) -> String {
    if deliveries.is_empty() {
        return texts.get(TextKey::TextNoClient, &[]);
    }
    if !all_ended(deliveries, 0) {
        let all = names(deliveries, |_| true).join(", ");
        return texts.get(TextKey::TextSending, &[("names", all.into())]);
    }
    let mut lines = Vec::new();
    let delivered = names(deliveries, |s| *s == DeliveryState::Delivered);
    if !delivered.is_empty() {
        lines.push(texts.get(
            TextKey::TextDelivered,
            &[("names", delivered.join(", ").into())],
        ));
    }
    lines.extend(failures(texts, deliveries));
    lines.join("\n")
}

/// What became of a batch's files so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCounts {
    pub stored: usize,
    pub held: usize,
    pub too_big: usize,
    /// Failed files, with the reason in the user's language.
    pub failed: Vec<String>,
    pub pending: usize,
}

/// Where a batch was going when it was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchRelay {
    Internal,
    NoClient,
    Clients,
}

/// The receipt of a staff file or album: "received, saving…" until its files and relays have
/// ended, then exactly what happened.
pub fn media_receipt(
    texts: &Texts,
    files: &FileCounts,
    relay: BatchRelay,
    deliveries: &[ClientDelivery],
    limit_mb: u64,
) -> String {
    if !all_ended(deliveries, files.pending) {
        let count = files.stored + files.held + files.too_big + files.failed.len() + files.pending;
        return texts.get(TextKey::ReceiptSaving, &[("count", count.into())]);
    }
    let delivered = names(deliveries, |s| *s == DeliveryState::Delivered);
    let relay = match relay {
        BatchRelay::Internal => Relay::Internal,
        BatchRelay::NoClient => Relay::NoClient,
        BatchRelay::Clients if delivered.is_empty() => Relay::Saved,
        BatchRelay::Clients => Relay::Sent(delivered),
    };
    let outcome = BatchOutcome {
        stored: files.stored,
        held: files.held,
        too_big: files.too_big,
        failed: files.failed.clone(),
        relay,
        limit_mb,
    };
    let mut lines = vec![receipt(texts, &outcome)];
    lines.extend(failures(texts, deliveries));
    lines.retain(|l| !l.is_empty());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, reason = "test code")]
    use super::*;
    use crate::texts::Language;
    use DeliveryState::{Delivered, Failed, Pending};

    fn client(name: &str, state: DeliveryState) -> ClientDelivery {
        ClientDelivery {
            name: name.into(),
            state,
        }
    }

    #[test]
    fn a_clients_messages_fold_into_one_state() {
        let cases = [
            (vec![Delivered, Delivered], Delivered),
            (vec![Delivered, Pending], Pending),
            (vec![Failed("x".into()), Pending], Pending),
            (vec![Delivered, Failed("x".into())], Failed("x".into())),
            (vec![], Delivered),
        ];
        for (states, expected) in cases {
            assert_eq!(fold_client(&states), expected, "{states:?}");
        }
    }

    #[test]
    fn a_text_receipt_goes_from_sending_to_what_happened() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let blocked = || Failed("клиент заблокировал бота".into());
        let cases: Vec<(&str, Vec<ClientDelivery>, &str)> = vec![
            (
                "sending",
                vec![client("Анна", Pending), client("Борис", Delivered)],
                "⏳ Отправляется: Анна, Борис…",
            ),
            (
                "delivered",
                vec![client("Анна", Delivered), client("Борис", Delivered)],
                "✉️ Доставлено: Анна, Борис.",
            ),
            (
                "one blocked",
                vec![client("Анна", Delivered), client("Борис", blocked())],
                "✉️ Доставлено: Анна.\n⚠️ Не доставлено Борис: клиент заблокировал бота",
            ),
            (
                "nobody reached",
                vec![client("Борис", blocked())],
                "⚠️ Не доставлено Борис: клиент заблокировал бота",
            ),
        ];
        for (name, deliveries, expected) in cases {
            assert_eq!(text_receipt(&texts, &deliveries), expected, "{name}");
        }
        assert!(text_receipt(&texts, &[]).contains("не подключён"));
    }

    #[test]
    fn a_media_receipt_says_saved_only_after_the_files_are() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let saving = FileCounts {
            stored: 1,
            pending: 2,
            ..FileCounts::default()
        };
        let done = FileCounts {
            stored: 3,
            ..FileCounts::default()
        };
        let anna = [client("Анна", Delivered)];
        let cases: Vec<(&str, &FileCounts, BatchRelay, Vec<ClientDelivery>, &str)> = vec![
            (
                "files still saving",
                &saving,
                BatchRelay::Clients,
                anna.to_vec(),
                "⏳ Принято 3 файла: сохраняю и отправляю…",
            ),
            (
                "relay still pending",
                &done,
                BatchRelay::Clients,
                vec![client("Анна", Pending)],
                "⏳ Принято 3 файла: сохраняю и отправляю…",
            ),
            (
                "all done",
                &done,
                BatchRelay::Clients,
                anna.to_vec(),
                "✅ Сохранено 3 файла и отправлено: Анна.",
            ),
            (
                "saved, the client blocked the bot",
                &done,
                BatchRelay::Clients,
                vec![client("Анна", Failed("клиент заблокировал бота".into()))],
                "✅ Сохранено 3 файла.\n⚠️ Не доставлено Анна: клиент заблокировал бота",
            ),
        ];
        for (name, files, relay, deliveries, expected) in cases {
            assert_eq!(
                media_receipt(&texts, files, relay, &deliveries, 20),
                expected,
                "{name}"
            );
        }
    }
}
