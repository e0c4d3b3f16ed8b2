//! The one window. Closing it destroys it — the webview's processes and memory are given back
//! while the tray and the bot keep running — and "Открыть" creates it again.

use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// The window's label; the capability in `capabilities/main.json` names it.
pub const MAIN: &str = "main";

/// Shows the window, creating it if it was closed.
pub fn open<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(window) = app.get_webview_window(MAIN) {
        window.unminimize()?;
        window.show()?;
        return window.set_focus();
    }
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("ServiceBot")
        .inner_size(1180.0, 740.0)
        .min_inner_size(960.0, 600.0)
        .center()
        .build()?;
    Ok(())
}

/// Opens the window, logging (not failing) when it cannot be: the tray still works.
pub fn open_or_log<R: Runtime>(app: &AppHandle<R>) {
    if let Err(error) = open(app) {
        tracing::error!(%error, "cannot open the window");
    }
}

/// Opens the window from a task of its own: creating a window inside an event handler (the
/// tray's, the single-instance plugin's) can deadlock on Windows.
pub fn open_soon<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move { open_or_log(&app) });
}
