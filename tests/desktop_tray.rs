//! The tray for real: the desktop app started as Windows starts it at login (`--hidden`) on an
//! X display with a system tray (`trayer`), clicked with `xdotool` as a user clicks it. The
//! coordinates come from the X window list, so this is a smoke test of the real icon and menu;
//! what the menu holds in each state is tested in `servicebot_app::tray`.

use std::time::Duration;

use servicebot_app::LAST_ONLINE_KEY;
use servicebot_core::store::{DATABASE_FILE, Store};
use servicebot_tests::desktop::Desktop;
use servicebot_tests::wait_for;

/// The tray icon's X window class (the tray-icon crate's, with the app's id).
const TRAY_CLASS: &str = "tray-icon tray app";

/// Opens the tray menu with a right click on the icon and waits until it is shown. A click
/// that lands before the icon answers clicks (on a busy machine it docks a moment before) is
/// made again, as a user would.
fn open_menu(desktop: &Desktop, x: &str, y: &str) {
    let before = desktop.gui.mapped_windows();
    let opened = (0..3).any(|_| {
        desktop.gui.xdotool(&["mousemove", x, y, "click", "3"]);
        wait_for(Duration::from_secs(5), || {
            desktop.gui.mapped_windows() > before
        })
    });
    assert!(opened, "the menu opens");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_hidden_it_lives_in_the_tray_and_opens_and_quits_through_its_menu() {
    let desktop = Desktop::configured("").await;
    desktop.write_ready_config();
    desktop.gui.start_tray_host();
    let mut app = desktop.launch_hidden();

    let mut icon = None;
    assert!(
        wait_for(Duration::from_secs(20), || {
            icon = desktop.gui.docked_geometry(TRAY_CLASS);
            icon.is_some_and(|(_, _, w, _)| w > 1)
        }),
        "the icon docks in the tray; log:\n{}",
        desktop.app_log()
    );
    let (x, y, w, h) = icon.expect("icon");
    let (cx, cy) = ((x + w / 2).to_string(), (y + h / 2).to_string());
    assert_eq!(
        desktop.gui.windows_named("ServiceBot"),
        0,
        "started hidden: no window"
    );
    let polls = desktop.fake.requests("getUpdates");
    assert!(
        wait_for(Duration::from_secs(20), || desktop
            .fake
            .requests("getUpdates")
            > polls),
        "the bot runs in the tray"
    );

    // Открыть, the menu's first entry (a right click opens the menu; Linux's indicator does
    // not report left clicks, which open the window on Windows).
    open_menu(&desktop, &cx, &cy);
    desktop.gui.xdotool(&["key", "Down", "Return"]);
    assert!(
        wait_for(Duration::from_secs(15), || desktop
            .gui
            .windows_named("ServiceBot")
            == 1),
        "Открыть opens the window"
    );

    let store = Store::open(&desktop.dir.path().join("data").join(DATABASE_FILE)).expect("db");
    let online_before = store.bot_state().get(LAST_ONLINE_KEY).expect("read");

    // Выход, the last entry: it stops the bot gracefully and ends the program.
    open_menu(&desktop, &cx, &cy);
    desktop.gui.xdotool(&["key", "Up", "Return"]);
    let mut exit = None;
    assert!(
        wait_for(Duration::from_secs(20), || {
            exit = app.try_wait().ok().flatten();
            exit.is_some()
        }),
        "Выход ends the program; log:\n{}",
        desktop.app_log()
    );
    assert!(exit.is_some_and(|status| status.success()), "{exit:?}");
    assert!(
        wait_for(Duration::from_secs(10), || desktop
            .gui
            .windows_named("ServiceBot")
            == 0),
        "the window's process ends with the program"
    );
    let log = desktop.app_log();
    assert!(
        log.contains("ServiceBot stopped"),
        "stopped gracefully:\n{log}"
    );
    let online = store.bot_state().get(LAST_ONLINE_KEY).expect("read");
    assert!(
        online.is_some() && online > online_before,
        "the last online time is recorded on the way out: {online_before:?} → {online:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settings_file_that_does_not_parse_is_said_in_a_message_box() {
    let desktop = Desktop::configured("").await;
    // A hand edit gone wrong: the token without its quotes.
    let token = desktop.fake.token();
    std::fs::write(
        &desktop.config_path,
        format!("[telegram]\ntoken = {token}\n"),
    )
    .expect("config");
    let mut app = desktop.launch_hidden();
    assert!(
        wait_for(Duration::from_secs(20), || desktop
            .gui
            .windows_named("ServiceBot")
            == 1),
        "a message box titled ServiceBot; log:\n{}",
        desktop.app_log()
    );
    let said = desktop.app_log();
    assert!(said.contains("ServiceBot не смог запуститься."), "{said}");
    assert!(said.contains("line 2"), "where the file is wrong: {said}");
    let secret = token.split_once(':').map_or(token, |(_, s)| s);
    assert!(!said.contains(secret), "the token is never shown: {said}");
    // Closing the message box ends the program with a failure code.
    desktop.gui.close_window("ServiceBot");
    let mut exit = None;
    assert!(
        wait_for(Duration::from_secs(15), || {
            exit = app.try_wait().ok().flatten();
            exit.is_some()
        }),
        "the program ends"
    );
    assert_eq!(exit.and_then(|status| status.code()), Some(1));
}
