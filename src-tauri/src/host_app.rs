//! The host's process: the tray, the bot and the order watcher, for as long as the app runs.
//! It never makes a webview: the window is a process of its own ([`WindowProcess`]).

use std::sync::{Arc, Mutex};

use servicebot_app::{Host, HostOptions, LaunchProblem, launch_problem_text};
use tauri::{Manager, RunEvent, Runtime};
use tauri_plugin_dialog::{DialogExt as _, MessageDialogKind};

use crate::args::Launch;
use crate::window_process::WindowProcess;
use crate::{lock, notify, tray};

/// Whether the window must be shown whatever the arguments: a WebDriver session cannot drive
/// a hidden window.
fn under_automation() -> bool {
    std::env::var_os("TAURI_WEBVIEW_AUTOMATION").is_some()
}

/// Runs the tray and the bot until Выход (or a signal).
pub fn run(launch: Launch) -> Result<(), String> {
    let options = HostOptions {
        config_path: launch.config.clone(),
        env: Arc::new(|name: &str| servicebot_app::process_env(name)),
        bot_tuning: servicebot_app::BotTuning::default(),
    };
    let show_window = !launch.hidden || under_automation();
    let app = tauri::Builder::default()
        // First, so a second launch ends here — before it opens the database or starts a bot
        // of its own — after bringing up the first one's window.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            open_window_soon(app);
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(tray::Drawn::default())
        .manage(WindowProcess::default())
        .manage(LogGuard(Mutex::new(None)))
        .setup(move |app| {
            let host = match tauri::async_runtime::block_on(Host::start(options)) {
                Ok(host) => host,
                Err(error) => {
                    // Tauri panics on a setup error; a message box and a plain exit instead.
                    let shown = servicebot_app::explain(&error);
                    let details = [Some(shown.message), shown.details].into_iter().flatten();
                    let details = details.collect::<Vec<_>>().join("\n");
                    let text = launch_problem_text(&LaunchProblem::Failed { details });
                    eprintln!("ServiceBot: {text}");
                    // GTK runs now: the dialog plugin shows the box on its loop (rfd's own
                    // blocking box would wait for that loop forever); closing it ends the app.
                    let handle = app.handle().clone();
                    app.dialog()
                        .message(text)
                        .title("ServiceBot")
                        .kind(MessageDialogKind::Error)
                        .show(move |_| handle.exit(1));
                    return Ok(());
                }
            };
            let data_dir = tauri::async_runtime::block_on(host.data_dir());
            let guard = servicebot_app::logging::init(Some(&data_dir.join("logs")), "info");
            if let Some(slot) = app.try_state::<LogGuard>() {
                *lock(&slot.0) = Some(guard);
            }
            tracing::info!(data = %data_dir.display(), "ServiceBot desktop started");
            app.manage(host.clone());
            let handle = app.handle().clone();
            if let Err(error) = tray::create(&handle, &host.state().tray) {
                // Without a tray (no indicator library) the window is the way in.
                tracing::error!(%error, "cannot create the tray icon");
            }
            tauri::async_runtime::spawn(draw_tray(handle.clone(), host.clone()));
            notify::start(&handle, &host);
            tauri::async_runtime::spawn(quit_on_signal(handle.clone(), host));
            if show_window {
                open_window_soon(&handle);
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| format!("tauri: {e}"))?;
    app.run(|app, event| match event {
        // This process has no window, but the bot lives in the tray whatever Tauri thinks: only
        // an exit with a code (Выход, a signal) goes ahead.
        RunEvent::ExitRequested {
            code: None, api, ..
        } => api.prevent_exit(),
        // The file log's last lines are flushed before the process ends.
        RunEvent::Exit => {
            if let Some(slot) = app.try_state::<LogGuard>() {
                lock(&slot.0).take();
            }
        }
        _ => {}
    });
    Ok(())
}

/// Brings the window up (starting its process, or bringing it to the front) from a task of its
/// own: the tray's and the single-instance plugin's handlers run on the main thread.
pub fn open_window_soon<R: Runtime>(app: &tauri::AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let (Some(windows), Some(host)) =
            (app.try_state::<WindowProcess>(), app.try_state::<Host>())
        else {
            return;
        };
        windows.open(&host);
    });
}

/// Выход: stops the bot gracefully (calls in flight finish and are recorded, the last online
/// time is written), then ends the program; the window's process ends with it.
pub async fn quit<R: Runtime>(app: tauri::AppHandle<R>, host: Host) {
    host.shutdown().await;
    app.exit(0);
}

/// A signal (`kill`, Ctrl-C; on Linux also the session ending) quits as Выход does.
async fn quit_on_signal<R: Runtime>(app: tauri::AppHandle<R>, host: Host) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut terminate) = signal(SignalKind::terminate()) else {
            return;
        };
        tokio::select! {
            _ = terminate.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
    }
    tracing::info!("asked to stop by the system");
    quit(app, host).await;
}

/// Keeps the log files flushing for as long as the app runs; taken (flushed) on exit.
struct LogGuard(Mutex<Option<servicebot_app::logging::LogGuard>>);

/// Draws every new state in the tray (the window's process gets the status over its link).
async fn draw_tray<R: Runtime>(app: tauri::AppHandle<R>, host: Host) {
    let mut changes = host.subscribe();
    loop {
        let model = changes.borrow_and_update().tray.clone();
        // Tray calls wait for the main thread; made there, they never hold a runtime thread.
        let tray_app = app.clone();
        if let Err(error) = app.run_on_main_thread(move || tray::update(&tray_app, &model)) {
            tracing::warn!(%error, "cannot update the tray");
        }
        if changes.changed().await.is_err() {
            return;
        }
    }
}
