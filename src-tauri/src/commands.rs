//! The window's commands: each is one call into `servicebot_app::Host` (or, for the native
//! folder dialog, the autostart entry and the file manager, one call into a Tauri plugin).
//! Their names are listed in `command_names.rs`, which generates their permissions.

use servicebot_app::Host;
use servicebot_app::dto::{
    CommandError, FieldError, OrdersRootCheck, SettingsDraft, SettingsView, StatusDto, UiTexts,
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
