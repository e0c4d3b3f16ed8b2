//! The window's process (`--window`, started by the host): the webview, its commands — each
//! one call through the link to the host, or one plugin call for what only the window does
//! (dialogs, the autostart entry, the file manager) — and what the host pushes: the status,
//! "to the front", and its own end, which ends the window too. Closing the window ends this
//! process, and with it everything the webview held.

use servicebot_app::window_link::{HostLink, WindowEvent};
use tauri::{
    AppHandle, Emitter as _, Manager as _, RunEvent, Runtime, WebviewUrl, WebviewWindowBuilder,
};
use tokio::sync::mpsc;

use crate::{BROUGHT_UP_EVENT, STATUS_EVENT, with_commands};

/// The window's label; the capability in `capabilities/main.json` names it.
pub const MAIN: &str = "main";

/// Runs the window until it is closed or the host ends.
pub fn run() -> Result<(), String> {
    // Linked over this process's standard input and output (the host holds their other ends).
    let (link, events) = HostLink::connect(tokio::io::stdin(), tokio::io::stdout());
    let app = with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(link)
        .setup(move |app| {
            let handle = app.handle().clone();
            create(&handle)?;
            tauri::async_runtime::spawn(follow_host(handle, events));
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| format!("tauri: {e}"))?;
    // Closing the window ends the process (Tauri exits when its last window is gone).
    app.run(|_, event| {
        if let RunEvent::Exit = event {
            tracing::info!("the window's process ends");
        }
    });
    Ok(())
}

/// Creates the window.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("ServiceBot")
        .inner_size(1180.0, 740.0)
        .min_inner_size(960.0, 600.0)
        .center()
        .build()?;
    Ok(())
}

/// Brings the window to the front.
fn focus<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(window) = app.get_webview_window(MAIN) {
        window.unminimize()?;
        window.show()?;
        window.set_focus()?;
    }
    Ok(())
}

/// Does what the host pushes, until it is gone.
pub async fn follow_host<R: Runtime>(
    app: AppHandle<R>,
    mut events: mpsc::UnboundedReceiver<WindowEvent>,
) {
    while let Some(event) = events.recv().await {
        match event {
            WindowEvent::Status(status) => {
                if let Err(error) = app.emit_to(MAIN, STATUS_EVENT, status) {
                    tracing::warn!(%error, "cannot send the status to the window");
                }
            }
            WindowEvent::Focus => {
                // The page looks for an order to open (a clicked notification's).
                if let Err(error) = app.emit_to(MAIN, BROUGHT_UP_EVENT, ()) {
                    tracing::warn!(%error, "cannot tell the window it was brought up");
                }
                let handle = app.clone();
                if let Err(error) = app.run_on_main_thread(move || {
                    if let Err(error) = focus(&handle) {
                        tracing::warn!(%error, "cannot bring the window to the front");
                    }
                }) {
                    tracing::warn!(%error, "cannot bring the window to the front");
                }
            }
            WindowEvent::HostGone => break,
        }
    }
    app.exit(0);
}
