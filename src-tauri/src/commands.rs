//! The window's commands: each is one call into `servicebot_app::Host` (or, for the native
//! folder dialog, the autostart entry and the file manager, one call into a Tauri plugin).
//! Their names are listed in `command_names.rs`, which generates their permissions.

use servicebot_app::Host;
use servicebot_app::dto::{
    CalendarMonthDto, CommandError, ExportDto, FieldError, FileChecks, InviteDto, OrderDetail,
    OrdersPageDto, OrdersRootCheck, SettingsDraft, SettingsView, StatusDto, TimelineDto, UiTexts,
    UnansweredDto, UserEdit, UserRow, UsersPageDto,
};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_dialog::DialogExt as _;
use tauri_plugin_opener::OpenerExt as _;

type Answer<T> = Result<T, CommandError>;

#[tauri::command]
pub async fn ui_texts(host: State<'_, Host>) -> Answer<UiTexts> {
    Ok(host.ui_texts().await)
}

#[tauri::command]
pub async fn get_status(host: State<'_, Host>) -> Answer<StatusDto> {
    Ok(host.state().status)
}

#[tauri::command]
pub async fn start_bot(host: State<'_, Host>) -> Answer<()> {
    host.start_bot().await
}

#[tauri::command]
pub async fn stop_bot(host: State<'_, Host>) -> Answer<()> {
    host.stop_bot().await;
    Ok(())
}

#[tauri::command]
pub async fn get_settings(host: State<'_, Host>) -> Answer<SettingsView> {
    Ok(host.settings().await)
}

#[tauri::command]
pub async fn validate_settings(
    host: State<'_, Host>,
    draft: SettingsDraft,
) -> Answer<Vec<FieldError>> {
    host.validate_settings(draft).await
}

#[tauri::command]
pub async fn save_settings(host: State<'_, Host>, draft: SettingsDraft) -> Answer<SettingsView> {
    host.save_settings(draft).await
}

#[tauri::command]
pub async fn check_orders_root(
    host: State<'_, Host>,
    path: String,
    closed_keyword: Option<String>,
) -> Answer<OrdersRootCheck> {
    Ok(host.check_orders_root(path, closed_keyword).await)
}

/// The native folder dialog (rfd, through the dialog plugin); `None` when cancelled.
#[tauri::command]
pub async fn pick_orders_folder<R: Runtime>(app: AppHandle<R>) -> Answer<Option<String>> {
    let (picked, answer) = tokio::sync::oneshot::channel();
    app.dialog().file().pick_folder(move |folder| {
        let _ = picked.send(folder);
    });
    let folder = answer.await.ok().flatten();
    Ok(folder
        .and_then(|f| f.into_path().ok())
        .map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn get_autostart<R: Runtime>(app: AppHandle<R>, host: State<'_, Host>) -> Answer<bool> {
    match app.autolaunch().is_enabled() {
        Ok(enabled) => Ok(enabled),
        Err(error) => Err(host.failure(format!("autostart: {error}")).await),
    }
}

/// Writes or removes the `ServiceBot` Run value (a `.desktop` file in `~/.config/autostart` on
/// Linux); the entry starts the app with `--hidden`.
#[tauri::command]
pub async fn set_autostart<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, Host>,
    enabled: bool,
) -> Answer<()> {
    let manager = app.autolaunch();
    let result = if enabled {
        manager.enable()
    } else {
        manager.disable()
    };
    match result {
        Ok(()) => Ok(()),
        Err(error) => Err(host.failure(format!("autostart: {error}")).await),
    }
}

#[tauri::command]
pub async fn open_orders_folder<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, Host>,
) -> Answer<()> {
    open_folder(&app, &host).await
}

/// Opens the orders folder in the file manager (also the tray's "Открыть папку заказов").
pub async fn open_folder<R: Runtime>(app: &AppHandle<R>, host: &Host) -> Answer<()> {
    let root = host.orders_folder_to_open().await?;
    match app
        .opener()
        .open_path(root.display().to_string(), None::<&str>)
    {
        Ok(()) => Ok(()),
        Err(error) => Err(host.failure(format!("{}: {error}", root.display())).await),
    }
}

#[tauri::command]
pub async fn users_page(
    host: State<'_, Host>,
    query: String,
    offset: u32,
    limit: u32,
) -> Answer<UsersPageDto> {
    host.users_page(query, offset, limit).await
}

#[tauri::command]
pub async fn edit_user(host: State<'_, Host>, telegram_id: i64, edit: UserEdit) -> Answer<UserRow> {
    host.edit_user(telegram_id, edit).await
}

#[tauri::command]
pub async fn appoint_admin(host: State<'_, Host>, who: String) -> Answer<UserRow> {
    host.appoint_admin(who).await
}

#[tauri::command]
pub async fn orders_page(
    host: State<'_, Host>,
    query: String,
    offset: u32,
    limit: u32,
) -> Answer<OrdersPageDto> {
    host.orders_page(query, offset, limit).await
}

#[tauri::command]
pub async fn orders_of_day(
    host: State<'_, Host>,
    date: String,
    offset: u32,
    limit: u32,
) -> Answer<OrdersPageDto> {
    host.orders_of_day(date, offset, limit).await
}

#[tauri::command]
pub async fn calendar_month(host: State<'_, Host>, month: String) -> Answer<CalendarMonthDto> {
    host.calendar_month(month).await
}

#[tauri::command]
pub async fn order_detail(host: State<'_, Host>, folder: String) -> Answer<OrderDetail> {
    host.order_detail(folder).await
}

#[tauri::command]
pub async fn order_invite(host: State<'_, Host>, folder: String) -> Answer<InviteDto> {
    host.order_invite(folder).await
}

#[tauri::command]
pub async fn order_timeline(host: State<'_, Host>, folder: String) -> Answer<TimelineDto> {
    host.order_timeline(folder).await
}

/// A thumbnail (a `data:` URL) of a recorded picture, named relative to the orders folder.
#[tauri::command]
pub async fn thumbnail(host: State<'_, Host>, path: String) -> Answer<String> {
    host.thumbnail(path).await
}

#[tauri::command]
pub async fn check_order_files(host: State<'_, Host>, folder: String) -> Answer<FileChecks> {
    host.check_order_files(folder).await
}

/// The evidence pack: into the order folder, or — with `choose` — where the user picks in the
/// native save dialog (`None` when they cancel).
#[tauri::command]
pub async fn export_order<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, Host>,
    folder: String,
    choose: bool,
    suggested_name: Option<String>,
) -> Answer<Option<ExportDto>> {
    let out = if choose {
        let (picked, answer) = tokio::sync::oneshot::channel();
        let mut dialog = app.dialog().file().add_filter("HTML", &["html"]);
        if let Some(name) = suggested_name {
            dialog = dialog.set_file_name(name);
        }
        dialog.save_file(move |file| {
            let _ = picked.send(file);
        });
        match answer.await.ok().flatten().and_then(|f| f.into_path().ok()) {
            Some(path) => Some(path),
            None => return Ok(None),
        }
    } else {
        None
    };
    host.export_order(folder, out).await.map(Some)
}

/// Opens an order's folder in the file manager.
#[tauri::command]
pub async fn open_order_folder<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, Host>,
    folder: String,
) -> Answer<()> {
    let path = host.order_folder_to_open(folder).await?;
    match app
        .opener()
        .open_path(path.display().to_string(), None::<&str>)
    {
        Ok(()) => Ok(()),
        Err(error) => Err(host.failure(format!("{}: {error}", path.display())).await),
    }
}

#[tauri::command]
pub async fn unanswered(host: State<'_, Host>) -> Answer<Vec<UnansweredDto>> {
    host.unanswered().await
}

/// The order of the last "a client is waiting" notification, once: the window opens it.
#[tauri::command]
pub async fn take_alert_order(host: State<'_, Host>) -> Answer<Option<String>> {
    Ok(host.take_alert_order())
}
