//! The status page as the window shows it: [`StatusView`] with every state turned into words of
//! the configured language.

use chrono::{DateTime, Local, Utc};
use servicebot_core::orders::RootState;
use servicebot_core::texts::{Arg, TextKey, Texts};
use servicebot_telegram::BotStatus;

use crate::dto::{ErrorNote, StatusDto};
use crate::gui_text::bot_problem_text;
use crate::tray::{bot_state, tooltip};
use crate::{LastError, StatusView};

fn count(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The headline: "Работает", "Остановлен", "Ошибка: …".
fn headline(status: &BotStatus, texts: &Texts) -> String {
    match status {
        BotStatus::Running { .. } => texts.get(TextKey::GuiBotRunning, &[]),
        BotStatus::Starting => texts.get(TextKey::GuiBotStarting, &[]),
        BotStatus::Stopped => texts.get(TextKey::GuiBotStopped, &[]),
        BotStatus::Error { problem, .. } => format!(
            "{}: {}",
            texts.get(TextKey::GuiBotError, &[]),
            bot_problem_text(texts, *problem)
        ),
    }
}

/// What the last error said, in words, with the technical reason as details.
fn error_note(last: &LastError, texts: &Texts) -> ErrorNote {
    ErrorNote {
        message: bot_problem_text(texts, last.problem),
        details: Some(last.reason.clone()).filter(|r| !r.is_empty()),
        at: last.at.to_rfc3339(),
    }
}

fn orders_message(view: &StatusView, texts: &Texts) -> (String, String) {
    match &view.orders_state {
        RootState::NotConfigured => (
            "not_configured".to_owned(),
            texts.get(TextKey::GuiRootNotSet, &[]),
        ),
        RootState::Pending => (
            "pending".to_owned(),
            texts.get(TextKey::GuiRootPending, &[]),
        ),
        RootState::Ready { .. } => (
            "ready".to_owned(),
            texts.get(
                TextKey::GuiRootFound,
                &[("orders", view.orders_found.into())],
            ),
        ),
        RootState::Unreachable { since, .. } => (
            "unreachable".to_owned(),
            texts.get(
                TextKey::GuiRootUnreachable,
                &[("since", Arg::from(local_time(*since)))],
            ),
        ),
    }
}

/// The page for `view`; `can_start` is whether a token is set.
pub(crate) fn status_dto(view: &StatusView, can_start: bool, texts: &Texts) -> StatusDto {
    let (orders_state, orders_message) = orders_message(view, texts);
    StatusDto {
        bot_state: bot_state(&view.bot),
        headline: headline(&view.bot, texts),
        username: match &view.bot {
            BotStatus::Running { username } => Some(username.clone()),
            _ => None,
        },
        tooltip: tooltip(&view.bot, texts),
        last_error: view.last_error.as_ref().map(|last| error_note(last, texts)),
        offline_since: view.offline_since.map(|at| at.to_rfc3339()),
        outbox_queue: count(view.outbox_queue),
        files_today: count(view.files_today),
        messages_today: count(view.messages_today),
        orders_root: view.orders_root.clone(),
        orders_found: count(view.orders_found),
        orders_state,
        orders_message,
        can_start,
    }
}

#[cfg(test)]
mod tests {
    use servicebot_core::texts::Language;
    use servicebot_telegram::BotProblem;

    use super::*;
    use crate::dto::BotState;

    fn view(bot: BotStatus) -> StatusView {
        StatusView {
            bot,
            last_error: None,
            offline_since: None,
            outbox_queue: 3,
            files_today: 12,
            messages_today: 7,
            orders_root: "/srv/photo".to_owned(),
            orders_found: 21,
            orders_state: RootState::Ready {
                scanned_at: Utc::now(),
            },
        }
    }

    #[test]
    fn the_page_says_each_state_in_russian() {
        let texts = Texts::new(Language::Russian).expect("ru");
        let running = status_dto(
            &view(BotStatus::Running {
                username: "service_bot".to_owned(),
            }),
            true,
            &texts,
        );
        assert_eq!(running.bot_state, BotState::Running);
        assert_eq!(running.headline, "Работает");
        assert_eq!(running.username.as_deref(), Some("service_bot"));
        assert_eq!(running.orders_state, "ready");
        assert_eq!(running.orders_message, "Найден 21 открытый заказ-наряд.");
        assert_eq!((running.outbox_queue, running.files_today), (3, 12));

        let mut failing = view(BotStatus::Error {
            problem: BotProblem::Unreachable,
            reason: "error sending request: connection refused".to_owned(),
        });
        failing.last_error = Some(LastError {
            problem: BotProblem::Unreachable,
            reason: "error sending request: connection refused".to_owned(),
            at: Utc::now(),
        });
        failing.orders_state = RootState::Unreachable {
            reason: "No such file or directory (os error 2)".to_owned(),
            since: Utc::now(),
        };
        let error = status_dto(&failing, true, &texts);
        assert_eq!(error.bot_state, BotState::Error);
        assert!(
            error.headline.starts_with("Ошибка: Нет связи с Telegram"),
            "{}",
            error.headline
        );
        let note = error.last_error.expect("last error");
        assert!(
            !note.message.contains("refused"),
            "the reason is a detail: {}",
            note.message
        );
        assert_eq!(
            note.details.as_deref(),
            Some("error sending request: connection refused")
        );
        assert!(
            error.orders_message.starts_with("Папка недоступна с "),
            "{}",
            error.orders_message
        );
        assert!(!error.orders_message.contains("os error"));
    }
}
