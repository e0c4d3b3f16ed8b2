//! `servicebot-desktop`: ServiceBot in the tray. A thin shell over `servicebot-app`: it holds
//! one [`servicebot_app::Host`] as Tauri's managed state, draws the tray the host describes,
//! forwards the host's status to the window as `status-changed` events, and answers the
//! window's commands with one call each. No business logic lives here.
//!
//! One tokio runtime runs everything: it is created here and handed to Tauri
//! (`tauri::async_runtime::set`), so the bot, the watcher and the commands share it.

mod args;
mod command_names;
pub mod commands;
#[cfg(test)]
mod ipc_tests;
mod tray;
pub mod window;

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use servicebot_app::{Host, HostOptions, LaunchProblem, launch_problem_text};
use tauri::{Emitter, Manager, RunEvent, Runtime};
use tauri_plugin_dialog::{DialogExt as _, MessageDialogKind};

pub use args::{Launch, parse as parse_args};
pub use command_names::ALL as COMMANDS;

/// The event that carries a new `StatusDto` to the window.
pub const STATUS_EVENT: &str = "status-changed";

/// The window's commands, registered on any builder (the real one and the mock runtime's).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::ui_texts,
        commands::get_status,
        commands::start_bot,
        commands::stop_bot,
        commands::get_settings,
        commands::validate_settings,
        commands::save_settings,
        commands::check_orders_root,
        commands::pick_orders_folder,
        commands::get_autostart,
        commands::set_autostart,
        commands::open_orders_folder,
        commands::users_page,
        commands::edit_user,
        commands::appoint_admin,
        commands::orders_page,
        commands::orders_of_day,
        commands::calendar_month,
        commands::order_detail,
        commands::order_invite,
        commands::order_timeline,
        commands::thumbnail,
        commands::check_order_files,
        commands::export_order,
        commands::open_order_folder,
        commands::unanswered,
        commands::take_alert_order,
    ])
}

/// Whether the window must be shown whatever the arguments: a WebDriver session cannot drive
/// a hidden window.
fn under_automation() -> bool {
    std::env::var_os("TAURI_WEBVIEW_AUTOMATION").is_some()
}

/// A message box before the app's own loop runs (rfd starts GTK for it).
fn show_fatal(message: &str) {
    eprintln!("ServiceBot: {message}");
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("ServiceBot")
        .set_description(message)
        .show();
}

/// The program: parses `args`, opens the host, runs the tray and the window until Выход.
pub fn main_with_args(args: Vec<OsString>) -> ExitCode {
    let launch = match parse_args(args) {
        Ok(launch) => launch,
        Err(problem) => {
            show_fatal(&launch_problem_text(&problem));
            return ExitCode::from(2);
        }
    };
    match run(launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(details) => {
            show_fatal(&launch_problem_text(&LaunchProblem::Failed { details }));
            ExitCode::FAILURE
        }
    }
}

fn run(launch: Launch) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    tauri::async_runtime::set(runtime.handle().clone());
    let options = HostOptions {
        config_path: launch.config.clone(),
        env: Arc::new(|name: &str| servicebot_app::process_env(name)),
        bot_tuning: servicebot_app::BotTuning::default(),
    };
    let show_window = !launch.hidden || under_automation();
    let app = with_commands(tauri::Builder::default())
        // First, so a second launch ends here — before it opens the database or starts a bot
        // of its own — after waking the first one's window.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::open_soon(app);
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(tray::Drawn::default())
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
            tauri::async_runtime::spawn(forward_state(handle.clone(), host.clone()));
            tauri::async_runtime::spawn(notify_unanswered(handle.clone(), host.clone()));
            tauri::async_runtime::spawn(quit_on_signal(handle.clone(), host));
            if show_window {
                window::open_or_log(&handle);
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| format!("tauri: {e}"))?;
    app.run(|app, event| match event {
        // Closing the window must not end the program: the bot lives in the tray. An exit with
        // a code is Выход (or a signal) and goes ahead.
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

/// Выход: stops the bot gracefully (calls in flight finish and are recorded, the last online
/// time is written), then ends the program.
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

/// Shows a desktop notification for each client waiting longer than
/// `notify.unanswered_minutes`. The plugin reports no clicks on desktop systems, so the order is
/// kept by the host: the window opens it as soon as the manager brings the window up (a click
/// on the notification does that).
async fn notify_unanswered<R: Runtime>(app: tauri::AppHandle<R>, host: Host) {
    use tauri_plugin_notification::NotificationExt as _;
    let mut alerts = host.subscribe_alerts();
    loop {
        let alert = match alerts.recv().await {
            Ok(alert) => alert,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        if let Err(error) = app
            .notification()
            .builder()
            .title(&alert.title)
            .body(&alert.body)
            .show()
        {
            tracing::warn!(%error, "cannot show a notification");
        }
    }
}

/// Keeps the log files flushing for as long as the app runs; taken (flushed) on exit.
struct LogGuard(Mutex<Option<servicebot_app::logging::LogGuard>>);

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Pushes every new state to the tray and the window.
async fn forward_state<R: Runtime>(app: tauri::AppHandle<R>, host: Host) {
    let mut changes = host.subscribe();
    loop {
        let state = changes.borrow_and_update().clone();
        // Tray calls wait for the main thread; made there, they never hold a runtime thread.
        let (tray_app, model) = (app.clone(), state.tray.clone());
        if let Err(error) = app.run_on_main_thread(move || tray::update(&tray_app, &model)) {
            tracing::warn!(%error, "cannot update the tray");
        }
        if app.get_webview_window(window::MAIN).is_some()
            && let Err(error) = app.emit_to(window::MAIN, STATUS_EVENT, &state.status)
        {
            tracing::warn!(%error, "cannot send the status to the window");
        }
        if changes.changed().await.is_err() {
            return;
        }
    }
}
