//! Every call the window makes into the host, and the host's one place that answers them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Host;
use crate::dto::{CommandError, SettingsDraft, UserEdit};
use crate::{AppError, ErrorCode, explain};

/// A call from the window: the command's name (`cmd`) and its arguments (`args`). Each is one
/// call into [`Host`]; the window's own work (dialogs, the autostart entry, the file manager)
/// stays in the window's process and only asks the host what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", content = "args", rename_all = "snake_case")]
pub enum Call {
    UiTexts,
    GetStatus,
    StartBot,
    StopBot,
    GetSettings,
    ValidateSettings {
        draft: SettingsDraft,
    },
    SaveSettings {
        draft: SettingsDraft,
    },
    CheckOrdersRoot {
        path: String,
        closed_keyword: Option<String>,
    },
    /// The orders folder, for the window to show in the file manager.
    OrdersFolderToOpen,
    UsersPage {
        query: String,
        offset: u32,
        limit: u32,
    },
    EditUser {
        telegram_id: i64,
        edit: UserEdit,
    },
    AppointAdmin {
        who: String,
    },
    OrdersPage {
        query: String,
        offset: u32,
        limit: u32,
    },
    OrdersOfDay {
        date: String,
        offset: u32,
        limit: u32,
    },
    CalendarMonth {
        month: String,
    },
    OrderDetail {
        folder: String,
    },
    OrderInvite {
        folder: String,
    },
    OrderTimeline {
        folder: String,
    },
    Thumbnail {
        path: String,
    },
    CheckOrderFiles {
        folder: String,
    },
    /// Into the order folder, or to `out` (chosen in the window's save dialog).
    ExportOrder {
        folder: String,
        out: Option<PathBuf>,
    },
    /// An order's folder, for the window to show in the file manager.
    OrderFolderToOpen {
        folder: String,
    },
    Unanswered,
    TakeAlertOrder,
    /// A failure of the window's own (the autostart entry, the file manager), to be said the
    /// way every error is: a sentence in the user's language, the technical text as details.
    Failure {
        details: String,
    },
}

type Answer = Result<Value, CommandError>;

fn json<T: Serialize>(value: T) -> Answer {
    serde_json::to_value(value)
        .map_err(|e| explain(&AppError::new(ErrorCode::Internal, format!("answer: {e}"))))
}

fn answer<T: Serialize>(result: Result<T, CommandError>) -> Answer {
    result.and_then(json)
}

impl Host {
    /// Answers one call of the window's.
    pub async fn answer(&self, call: Call) -> Answer {
        match call {
            Call::UiTexts => json(self.ui_texts().await),
            Call::GetStatus => json(self.state().status),
            Call::StartBot => answer(self.start_bot().await),
            Call::StopBot => {
                self.stop_bot().await;
                Ok(Value::Null)
            }
            Call::GetSettings => json(self.settings().await),
            Call::ValidateSettings { draft } => answer(self.validate_settings(draft).await),
            Call::SaveSettings { draft } => answer(self.save_settings(draft).await),
            Call::CheckOrdersRoot {
                path,
                closed_keyword,
            } => json(self.check_orders_root(path, closed_keyword).await),
            Call::OrdersFolderToOpen => answer(self.orders_folder_to_open().await),
            Call::UsersPage {
                query,
                offset,
                limit,
            } => answer(self.users_page(query, offset, limit).await),
            Call::EditUser { telegram_id, edit } => answer(self.edit_user(telegram_id, edit).await),
            Call::AppointAdmin { who } => answer(self.appoint_admin(who).await),
            Call::OrdersPage {
                query,
                offset,
                limit,
            } => answer(self.orders_page(query, offset, limit).await),
            Call::OrdersOfDay {
                date,
                offset,
                limit,
            } => answer(self.orders_of_day(date, offset, limit).await),
            Call::CalendarMonth { month } => answer(self.calendar_month(month).await),
            Call::OrderDetail { folder } => answer(self.order_detail(folder).await),
            Call::OrderInvite { folder } => answer(self.order_invite(folder).await),
            Call::OrderTimeline { folder } => answer(self.order_timeline(folder).await),
            Call::Thumbnail { path } => answer(self.thumbnail(path).await),
            Call::CheckOrderFiles { folder } => answer(self.check_order_files(folder).await),
            Call::ExportOrder { folder, out } => answer(self.export_order(folder, out).await),
            Call::OrderFolderToOpen { folder } => answer(self.order_folder_to_open(folder).await),
            Call::Unanswered => answer(self.unanswered().await),
            Call::TakeAlertOrder => json(self.take_alert_order()),
            Call::Failure { details } => Err(self.failure(details).await),
        }
    }

    /// Answers a call as it arrived: one that does not parse is refused in the user's language.
    pub async fn answer_json(&self, call: Value) -> Answer {
        match serde_json::from_value::<Call>(call) {
            Ok(call) => self.answer(call).await,
            Err(error) => Err(self
                .failure(format!("not a call the host knows: {error}"))
                .await),
        }
    }
}
