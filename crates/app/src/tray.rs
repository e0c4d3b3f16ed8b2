//! The tray's model: which icon, which tooltip and which menu for each bot state. The desktop
//! shell draws exactly this, so the behaviour is tested here without a tray.

use servicebot_core::texts::{Arg, TextKey, Texts};
use servicebot_telegram::BotStatus;

use crate::dto::BotState;
use crate::gui_text::bot_problem_text;

/// A tray menu entry. Its `id()` is what the shell's menu event carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayItem {
    Open,
    StartBot,
    StopBot,
    OpenOrdersFolder,
    Quit,
}

impl TrayItem {
    pub const ALL: &[TrayItem] = &[
        Self::Open,
        Self::StartBot,
        Self::StopBot,
        Self::OpenOrdersFolder,
        Self::Quit,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::StartBot => "start-bot",
            Self::StopBot => "stop-bot",
            Self::OpenOrdersFolder => "open-orders-folder",
            Self::Quit => "quit",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|item| item.id() == id)
    }
}

/// One entry of the menu as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayEntry {
    pub item: TrayItem,
    pub label: String,
    pub enabled: bool,
}

/// Which of the three icons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayIcon {
    Running,
    Stopped,
    Error,
}

/// Everything the tray shows for one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayModel {
    pub icon: TrayIcon,
    pub tooltip: String,
    pub menu: Vec<TrayEntry>,
}

/// The state the window and tray name (the bot's status without its details).
pub(crate) fn bot_state(status: &BotStatus) -> BotState {
    match status {
        BotStatus::Stopped => BotState::Stopped,
        BotStatus::Starting => BotState::Starting,
        BotStatus::Running { .. } => BotState::Running,
        BotStatus::Error { .. } => BotState::Error,
    }
}

/// The tooltip: "ServiceBot — работает (@имя_бота)", "— остановлен", "— ошибка: …".
pub(crate) fn tooltip(status: &BotStatus, texts: &Texts) -> String {
    match status {
        BotStatus::Running { username } => texts.get(
            TextKey::GuiTrayRunning,
            &[("username", Arg::from(username.as_str()))],
        ),
        BotStatus::Starting => texts.get(TextKey::GuiTrayStarting, &[]),
        BotStatus::Stopped => texts.get(TextKey::GuiTrayStopped, &[]),
        BotStatus::Error { problem, .. } => texts.get(
            TextKey::GuiTrayError,
            &[("reason", Arg::from(bot_problem_text(texts, *problem)))],
        ),
    }
}

/// The tray for `status`; `can_start` is false while no token is set, `has_orders_root` while no
/// orders folder is.
pub fn model(
    status: &BotStatus,
    can_start: bool,
    has_orders_root: bool,
    texts: &Texts,
) -> TrayModel {
    let icon = match status {
        BotStatus::Running { .. } => TrayIcon::Running,
        BotStatus::Stopped | BotStatus::Starting => TrayIcon::Stopped,
        BotStatus::Error { .. } => TrayIcon::Error,
    };
    // A bot that is starting, running or retrying after an error can be stopped; a stopped one
    // started.
    let toggle = if matches!(status, BotStatus::Stopped) {
        TrayEntry {
            item: TrayItem::StartBot,
            label: texts.get(TextKey::GuiMenuStart, &[]),
            enabled: can_start,
        }
    } else {
        TrayEntry {
            item: TrayItem::StopBot,
            label: texts.get(TextKey::GuiMenuStop, &[]),
            enabled: true,
        }
    };
    let entry = |item, key, enabled| TrayEntry {
        item,
        label: texts.get(key, &[]),
        enabled,
    };
    TrayModel {
        icon,
        tooltip: tooltip(status, texts),
        menu: vec![
            entry(TrayItem::Open, TextKey::GuiMenuOpen, true),
            toggle,
            entry(
                TrayItem::OpenOrdersFolder,
                TextKey::GuiMenuOpenFolder,
                has_orders_root,
            ),
            entry(TrayItem::Quit, TextKey::GuiMenuQuit, true),
        ],
    }
}

#[cfg(test)]
mod tests {
    use servicebot_core::texts::Language;
    use servicebot_telegram::BotProblem;

    use super::*;

    #[test]
    fn menu_ids_round_trip() {
        for item in TrayItem::ALL {
            assert_eq!(TrayItem::from_id(item.id()), Some(*item), "{item:?}");
        }
        assert_eq!(TrayItem::from_id("exit"), None);
    }

    #[test]
    fn the_tray_follows_the_bot_state() {
        let texts = Texts::new(Language::Russian).expect("ru");
        let running = BotStatus::Running {
            username: "service_bot".to_owned(),
        };
        let error = BotStatus::Error {
            problem: BotProblem::TokenRejected,
            reason: "401 Unauthorized".to_owned(),
        };
        struct Case {
            status: BotStatus,
            can_start: bool,
            icon: TrayIcon,
            tooltip: &'static str,
            toggle: (TrayItem, &'static str, bool),
        }
        let cases = [
            Case {
                status: running,
                can_start: true,
                icon: TrayIcon::Running,
                tooltip: "ServiceBot — работает (@service_bot)",
                toggle: (TrayItem::StopBot, "Остановить бота", true),
            },
            Case {
                status: BotStatus::Stopped,
                can_start: true,
                icon: TrayIcon::Stopped,
                tooltip: "ServiceBot — остановлен",
                toggle: (TrayItem::StartBot, "Запустить бота", true),
            },
            Case {
                status: BotStatus::Stopped,
                can_start: false,
                icon: TrayIcon::Stopped,
                tooltip: "ServiceBot — остановлен",
                toggle: (TrayItem::StartBot, "Запустить бота", false),
            },
            Case {
                status: error,
                can_start: true,
                icon: TrayIcon::Error,
                tooltip: "ServiceBot — ошибка: Telegram не принял токен бота. Проверьте его в @BotFather.",
                toggle: (TrayItem::StopBot, "Остановить бота", true),
            },
        ];
        for case in cases {
            let model = model(&case.status, case.can_start, true, &texts);
            assert_eq!(model.icon, case.icon, "{:?}", case.status);
            assert_eq!(model.tooltip, case.tooltip);
            let items: Vec<TrayItem> = model.menu.iter().map(|e| e.item).collect();
            assert_eq!(
                items,
                [
                    TrayItem::Open,
                    case.toggle.0,
                    TrayItem::OpenOrdersFolder,
                    TrayItem::Quit
                ]
            );
            let toggle = &model.menu[1];
            assert_eq!(
                (toggle.label.as_str(), toggle.enabled),
                (case.toggle.1, case.toggle.2)
            );
            assert!(
                !model.tooltip.contains("401"),
                "no raw error in the tooltip"
            );
        }
        let no_root = model(&BotStatus::Stopped, true, false, &texts);
        assert!(!no_root.menu[2].enabled, "no folder to open");
    }
}
