//! The `servicebot` command. All logic is in the library (and below it in servicebot-app).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    let code = servicebot_cli::run(
        args,
        &servicebot_app::process_env,
        // Not locked: worker threads log to stderr while a command runs.
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(code)
}
