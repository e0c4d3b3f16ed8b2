//! The manager's pages on the host: users, orders, an order's page, timeline, thumbnails,
//! the evidence pack and the clients waiting for an answer. Each is one call into [`App`],
//! run on the blocking pool with a time limit, so a slow or offline network share answers
//! late with an error, never freezes the window, and never holds an async thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Local, Utc};

use super::Host;
use crate::dto::{
    CalendarMonthDto, CommandError, ExportDto, FileChecks, InviteDto, OrderDetail, OrdersPageDto,
    TimelineDto, UnansweredDto, UserEdit, UserRow, UsersPageDto,
};
use crate::gui_text::command_error;
use crate::{App, AppError, ErrorCode};

/// How long one page may take before the window is told the folder does not answer.
const PAGE_LIMIT: Duration = Duration::from_secs(20);
/// An evidence pack hashes every file: it may take a while on a share.
const EXPORT_LIMIT: Duration = Duration::from_secs(600);

type Answer<T> = Result<T, CommandError>;

impl Host {
    /// Runs `work` with the current app on the blocking pool, within `limit`.
    pub(crate) async fn on_app<T, F>(&self, limit: Duration, work: F) -> Answer<T>
    where
        T: Send + 'static,
        F: FnOnce(&App) -> crate::Result<T> + Send + 'static,
    {
        let (app, texts) = {
            let session = self.inner.session.read().await;
            (Arc::clone(&session.app), Arc::clone(&session.texts))
        };
        let task = tokio::task::spawn_blocking(move || work(&app));
        let result = match tokio::time::timeout(limit, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(AppError::new(ErrorCode::Internal, join.to_string())),
            Err(_) => Err(AppError::new(
                ErrorCode::OrdersRootUnavailable,
                format!("no answer within {} s", limit.as_secs()),
            )),
        };
        result.map_err(|e| command_error(&texts, &e))
    }

    /// One page of what `list` finds for `key` (a search text, a date): at most `limit`
    /// rows from `offset` on.
    async fn listing<T: Send + 'static>(
        &self,
        list: fn(&App, &str, usize, usize) -> crate::Result<T>,
        key: String,
        offset: u32,
        limit: u32,
    ) -> Answer<T> {
        self.on_app(PAGE_LIMIT, move |app| {
            list(app, &key, offset as usize, limit as usize)
        })
        .await
    }

    pub async fn users_page(&self, query: String, offset: u32, limit: u32) -> Answer<UsersPageDto> {
        self.listing(App::users_page, query, offset, limit).await
    }

    pub async fn edit_user(&self, telegram_id: i64, edit: UserEdit) -> Answer<UserRow> {
        self.on_app(PAGE_LIMIT, move |app| app.edit_user(telegram_id, &edit))
            .await
    }

    pub async fn appoint_admin(&self, who: String) -> Answer<UserRow> {
        self.on_app(PAGE_LIMIT, move |app| app.appoint_admin(&who))
            .await
    }

    pub async fn orders_page(
        &self,
        query: String,
        offset: u32,
        limit: u32,
    ) -> Answer<OrdersPageDto> {
        self.listing(App::orders_page, query, offset, limit).await
    }

    /// The orders whose folders were created on `date` (`YYYY-MM-DD`).
    pub async fn orders_of_day(
        &self,
        date: String,
        offset: u32,
        limit: u32,
    ) -> Answer<OrdersPageDto> {
        self.listing(App::orders_of_day, date, offset, limit).await
    }

    pub async fn calendar_month(&self, month: String) -> Answer<CalendarMonthDto> {
        let today = Local::now().date_naive();
        self.on_app(PAGE_LIMIT, move |app| app.calendar_month(&month, today))
            .await
    }

    pub async fn order_detail(&self, folder: String) -> Answer<OrderDetail> {
        self.on_app(PAGE_LIMIT, move |app| app.order_detail(&folder))
            .await
    }

    pub async fn order_invite(&self, folder: String) -> Answer<InviteDto> {
        self.on_app(PAGE_LIMIT, move |app| app.order_invite(&folder))
            .await
    }

    pub async fn order_timeline(&self, folder: String) -> Answer<TimelineDto> {
        self.on_app(PAGE_LIMIT, move |app| app.order_timeline(&folder))
            .await
    }

    /// A thumbnail as a `data:` URL. At most a few are made at once, so a page of 500 photos
    /// fills in steadily instead of starving every other command.
    pub async fn thumbnail(&self, path: String) -> Answer<String> {
        let permit = Arc::clone(&self.inner.thumbnails).acquire_owned().await;
        let answer = self
            .on_app(PAGE_LIMIT, move |app| app.thumbnail(&path))
            .await;
        drop(permit);
        answer
    }

    pub async fn check_order_files(&self, folder: String) -> Answer<FileChecks> {
        self.on_app(EXPORT_LIMIT, move |app| app.check_order_files(&folder))
            .await
    }

    /// Writes the evidence pack to `out`, or into the order folder when `None`.
    pub async fn export_order(&self, folder: String, out: Option<PathBuf>) -> Answer<ExportDto> {
        self.on_app(EXPORT_LIMIT, move |app| {
            app.export_order(&folder, out.as_deref(), Utc::now())
        })
        .await
    }

    /// The folder of an open order, to show in the file manager.
    pub async fn order_folder_to_open(&self, folder: String) -> Answer<PathBuf> {
        self.on_app(PAGE_LIMIT, move |app| {
            let path = app.order_folder_path(&folder)?;
            if path.is_dir() {
                Ok(path)
            } else {
                Err(AppError::new(
                    ErrorCode::OrdersRootUnavailable,
                    path.display().to_string(),
                ))
            }
        })
        .await
    }

    pub async fn unanswered(&self) -> Answer<Vec<UnansweredDto>> {
        self.on_app(PAGE_LIMIT, move |app| app.unanswered(Utc::now()))
            .await
    }

    /// The order of the last notification, once: the window opens it when it is brought up.
    pub fn take_alert_order(&self) -> Option<String> {
        match self.inner.alert_order.lock() {
            Ok(mut order) => order.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }
}
