//! Generates the permissions of the app's own commands, so a capability must name each one
//! (a command the window does not use stays unreachable from it).

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(servicebot_commands::ALL);
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        panic!("tauri build failed: {error:#}");
    }
}

/// The commands the window may call; `src/commands.rs` defines them and a test
/// (`ipc_tests.rs`) checks that this list and the registered handlers agree.
mod servicebot_commands {
    include!("src/command_names.rs");
}
