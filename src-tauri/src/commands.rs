//! The window's commands, in the window's process: each is one call through the link into
//! `servicebot_app::Host` (in the host's process), or — for the native dialogs, the autostart
//! entry and the file manager — one call into a Tauri plugin here. Answers and errors pass
//! through as the host wrote them (`servicebot_app::dto`; errors as `CommandError`). Their
//! names are listed in `command_names.rs`, which generates their permissions.

use std::path::PathBuf;

use serde_json::Value;
use servicebot_app::dto::{SettingsDraft, UserEdit};
use servicebot_app::window_link::{Call, HostLink};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_dialog::DialogExt as _;
use tauri_plugin_opener::OpenerExt as _;

/// A command's answer; the error is a `CommandError` as JSON.
type Answer<T = Value> = Result<T, Value>;

#[tauri::command]
pub async fn ui_texts(host: State<'_, HostLink>) -> Answer {
    host.call(Call::UiTexts).await
}

#[tauri::command]
pub async fn get_status(host: State<'_, HostLink>) -> Answer {
    host.call(Call::GetStatus).await
}

#[tauri::command]
pub async fn start_bot(host: State<'_, HostLink>) -> Answer {
    host.call(Call::StartBot).await
}

#[tauri::command]
pub async fn stop_bot(host: State<'_, HostLink>) -> Answer {
    host.call(Call::StopBot).await
}

#[tauri::command]
pub async fn get_settings(host: State<'_, HostLink>) -> Answer {
    host.call(Call::GetSettings).await
}

#[tauri::command]
pub async fn validate_settings(host: State<'_, HostLink>, draft: SettingsDraft) -> Answer {
    host.call(Call::ValidateSettings { draft }).await
}

#[tauri::command]
pub async fn save_settings(host: State<'_, HostLink>, draft: SettingsDraft) -> Answer {
    host.call(Call::SaveSettings { draft }).await
}

#[tauri::command]
pub async fn check_orders_root(
    host: State<'_, HostLink>,
    path: String,
    closed_keyword: Option<String>,
) -> Answer {
    host.call(Call::CheckOrdersRoot {
        path,
        closed_keyword,
    })
    .await
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
pub async fn get_autostart<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, HostLink>,
) -> Answer<bool> {
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
    host: State<'_, HostLink>,
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

/// Opens the orders folder in the file manager.
#[tauri::command]
pub async fn open_orders_folder<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, HostLink>,
) -> Answer<()> {
    let folder = host.call(Call::OrdersFolderToOpen).await?;
    open_in_file_manager(&app, &host, folder).await
}

/// Opens `folder` (a path the host answered with) in the file manager.
async fn open_in_file_manager<R: Runtime>(
    app: &AppHandle<R>,
    host: &HostLink,
    folder: Value,
) -> Answer<()> {
    let Some(path) = folder.as_str() else {
        return Err(host.failure(format!("not a folder: {folder}")).await);
    };
    match app.opener().open_path(path, None::<&str>) {
        Ok(()) => Ok(()),
        Err(error) => Err(host.failure(format!("{path}: {error}")).await),
    }
}

#[tauri::command]
pub async fn users_page(
    host: State<'_, HostLink>,
    query: String,
    offset: u32,
    limit: u32,
) -> Answer {
    host.call(Call::UsersPage {
        query,
        offset,
        limit,
    })
    .await
}

#[tauri::command]
pub async fn edit_user(host: State<'_, HostLink>, telegram_id: i64, edit: UserEdit) -> Answer {
    host.call(Call::EditUser { telegram_id, edit }).await
}

#[tauri::command]
pub async fn appoint_admin(host: State<'_, HostLink>, who: String) -> Answer {
    host.call(Call::AppointAdmin { who }).await
}

#[tauri::command]
pub async fn orders_page(
    host: State<'_, HostLink>,
    query: String,
    offset: u32,
    limit: u32,
) -> Answer {
    host.call(Call::OrdersPage {
        query,
        offset,
        limit,
    })
    .await
}

#[tauri::command]
pub async fn orders_of_day(
    host: State<'_, HostLink>,
    date: String,
    offset: u32,
    limit: u32,
) -> Answer {
    host.call(Call::OrdersOfDay {
        date,
        offset,
        limit,
    })
    .await
}

#[tauri::command]
pub async fn calendar_month(host: State<'_, HostLink>, month: String) -> Answer {
    host.call(Call::CalendarMonth { month }).await
}

#[tauri::command]
pub async fn order_detail(host: State<'_, HostLink>, folder: String) -> Answer {
    host.call(Call::OrderDetail { folder }).await
}

#[tauri::command]
pub async fn order_invite(host: State<'_, HostLink>, folder: String) -> Answer {
    host.call(Call::OrderInvite { folder }).await
}

#[tauri::command]
pub async fn order_timeline(host: State<'_, HostLink>, folder: String) -> Answer {
    host.call(Call::OrderTimeline { folder }).await
}

/// A thumbnail (a `data:` URL) of a recorded picture, named relative to the orders folder.
#[tauri::command]
pub async fn thumbnail(host: State<'_, HostLink>, path: String) -> Answer {
    host.call(Call::Thumbnail { path }).await
}

#[tauri::command]
pub async fn check_order_files(host: State<'_, HostLink>, folder: String) -> Answer {
    host.call(Call::CheckOrderFiles { folder }).await
}

/// The evidence pack: into the order folder, or — with `choose` — where the user picks in the
/// native save dialog (`None` when they cancel).
#[tauri::command]
pub async fn export_order<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, HostLink>,
    folder: String,
    choose: bool,
    suggested_name: Option<String>,
) -> Answer<Option<Value>> {
    let out = if choose {
        match save_dialog(&app, suggested_name).await {
            Some(path) => Some(path),
            None => return Ok(None),
        }
    } else {
        None
    };
    host.call(Call::ExportOrder { folder, out }).await.map(Some)
}

/// The native save dialog for an HTML file; `None` when cancelled.
async fn save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    suggested_name: Option<String>,
) -> Option<PathBuf> {
    let (picked, answer) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().add_filter("HTML", &["html"]);
    if let Some(name) = suggested_name {
        dialog = dialog.set_file_name(name);
    }
    dialog.save_file(move |file| {
        let _ = picked.send(file);
    });
    answer.await.ok().flatten().and_then(|f| f.into_path().ok())
}

/// Opens an order's folder in the file manager.
#[tauri::command]
pub async fn open_order_folder<R: Runtime>(
    app: AppHandle<R>,
    host: State<'_, HostLink>,
    folder: String,
) -> Answer<()> {
    let folder = host.call(Call::OrderFolderToOpen { folder }).await?;
    open_in_file_manager(&app, &host, folder).await
}

#[tauri::command]
pub async fn unanswered(host: State<'_, HostLink>) -> Answer {
    host.call(Call::Unanswered).await
}

/// The order of the last "a client is waiting" notification, once: the window opens it.
#[tauri::command]
pub async fn take_alert_order(host: State<'_, HostLink>) -> Answer {
    host.call(Call::TakeAlertOrder).await
}
