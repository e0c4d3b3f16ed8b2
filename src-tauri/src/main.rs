//! `ServiceBot`: the desktop app. Without a console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    servicebot_desktop::main_with_args(std::env::args_os().skip(1).collect())
}
