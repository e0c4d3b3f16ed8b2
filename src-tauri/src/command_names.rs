// Shared by build.rs (permissions) and the shell (the handler check): every command the window
// may call.
pub const ALL: &[&str] = &[
    "ui_texts",
    "get_status",
    "start_bot",
    "stop_bot",
    "get_settings",
    "validate_settings",
    "save_settings",
    "check_orders_root",
    "pick_orders_folder",
    "get_autostart",
    "set_autostart",
    "open_orders_folder",
];
