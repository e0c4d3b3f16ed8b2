//! `servicebot-desktop`: ServiceBot in the tray. A thin shell over `servicebot-app`, in two
//! processes of the same program:
//! - the host (`host_app`): one [`servicebot_app::Host`] as Tauri's managed state, the tray it
//!   describes, notifications; it never makes a webview;
//! - the window (`window`, started by the host with `--window` when the manager opens it,
//!   ended when they close it): the webview and its commands, each one call through
//!   `servicebot_app::window_link` into the host. Closing the window ends its process, so
//!   everything the webview took is given back.
//!
//! No business logic lives here. Each process runs one tokio runtime, created here and handed
//! to Tauri (`tauri::async_runtime::set`), so the bot, the watcher and the commands share it.

mod args;
mod command_names;
pub mod commands;
mod host_app;
#[cfg(test)]
mod ipc_tests;
mod notify;
mod tray;
pub mod window;
mod window_process;

use std::ffi::OsString;
use std::process::ExitCode;

use servicebot_app::{LaunchProblem, launch_problem_text};
use tauri::Runtime;

pub use args::{Launch, parse as parse_args};
pub use command_names::ALL as COMMANDS;

/// The event that carries a new `StatusDto` to the window.
pub const STATUS_EVENT: &str = "status-changed";
/// The event that tells the page its window was brought up (by the tray, a second launch or a
/// clicked notification).
pub const BROUGHT_UP_EVENT: &str = "brought-up";

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

/// Locks `mutex`; a panic elsewhere while it was held leaves data still worth using (a tray
/// model, a list of shown notifications), so a poisoned lock is taken over, not a new panic.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
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

/// The program: parses `args`, then runs the host (the tray and the bot, until Выход) or, with
/// `--window`, the window's process (until the window is closed).
pub fn main_with_args(args: Vec<OsString>) -> ExitCode {
    let launch = match parse_args(args) {
        Ok(launch) => launch,
        Err(problem) => {
            show_fatal(&launch_problem_text(&problem));
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let details = format!("tokio runtime: {error}");
            show_fatal(&launch_problem_text(&LaunchProblem::Failed { details }));
            return ExitCode::FAILURE;
        }
    };
    tauri::async_runtime::set(runtime.handle().clone());
    let result = if launch.window {
        // Its log lines go to the host's standard error (the host keeps the log files).
        let _log = servicebot_app::logging::init(None, "info");
        let _inside = runtime.enter();
        window::run()
    } else {
        host_app::run(launch)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(details) => {
            show_fatal(&launch_problem_text(&LaunchProblem::Failed { details }));
            ExitCode::FAILURE
        }
    }
}
