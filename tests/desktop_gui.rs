//! The desktop app end to end: the real `servicebot-desktop` binary under Xvfb, its real
//! WebKitGTK webview driven over WebDriver, a fake Telegram server, temporary orders, data and
//! home folders. Screenshots go to `<target>/screenshots/` (`UPDATE_SCREENSHOTS=1` writes the
//! README's pictures in `docs/screenshots/`).

use std::time::Duration;

use servicebot_fake_telegram::BOT_USERNAME;
use servicebot_tests::desktop::{Desktop, screenshot_path};
use servicebot_tests::wait_for;
use servicebot_tests::webdriver::Session;

const WINDOW: &str = "ServiceBot";

async fn field(session: &Session, key: &str) -> servicebot_tests::webdriver::Element {
    session.wait_for(&format!("[data-field='{key}']")).await
}

async fn error_for(session: &Session, key: &str) -> String {
    session
        .wait_for_text(&format!("[data-error-for='{key}']"), |t| !t.is_empty())
        .await
}

/// Fills in the fake's token and the test's orders folder, saves, and waits for the result.
async fn save_token_and_folder(desktop: &Desktop, session: &Session) {
    let token = field(session, "telegram.token").await;
    session.type_into(&token, desktop.fake.token()).await;
    let root = field(session, "orders.root").await;
    session
        .type_into(&root, &desktop.root.display().to_string())
        .await;
    session
        .wait_for_text("[data-testid='root-check']", |t| {
            t.contains("открытый заказ-наряд")
        })
        .await;
    let save = session.wait_for("[data-testid='save-settings']").await;
    session.click(&save).await;
    session
        .wait_for_text("[data-testid='save-result']", |t| t.contains("Сохранено"))
        .await;
}

async fn open_status(session: &Session) {
    let nav = session.wait_for("[data-testid='nav-status']").await;
    session.click(&nav).await;
    session.wait_for("[data-page='status']").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_run_opens_the_settings_with_token_and_folder_marked() {
    let desktop = Desktop::first_run().await;
    let session = desktop.open().await;
    session.wait_for("[data-page='settings']").await;
    let banner = session
        .wait_for_text("[data-testid='first-run-banner']", |t| !t.is_empty())
        .await;
    assert!(banner.contains("токен"), "{banner}");
    assert!(
        error_for(&session, "telegram.token")
            .await
            .contains("токен")
    );
    assert!(error_for(&session, "orders.root").await.contains("папку"));
    session
        .screenshot(&screenshot_path("settings-first-run"))
        .await;
    assert!(
        !desktop.config_path.exists(),
        "nothing saved before the user saves"
    );
    session.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_token_shows_its_error_as_it_is_typed() {
    let desktop = Desktop::first_run().await;
    let session = desktop.open().await;
    let token = field(&session, "telegram.token").await;
    session.type_into(&token, "12345:abc").await;
    let error = session
        .wait_for_text("[data-error-for='telegram.token']", |t| {
            t.contains("@BotFather")
        })
        .await;
    assert!(
        !error.contains("token_malformed"),
        "a sentence, not a code: {error}"
    );
    session.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_settings_start_the_bot_and_the_window_starts_and_stops_it() {
    let desktop = Desktop::configured("").await;
    std::fs::create_dir_all(desktop.root.join("ЗН-000101 А123ВС77")).expect("an order");
    let session = desktop.open().await;
    // Token and folder are still missing, so the app opens on its settings.
    session.wait_for("[data-page='settings']").await;
    save_token_and_folder(&desktop, &session).await;
    let saved = std::fs::read_to_string(&desktop.config_path).expect("config");
    assert!(
        saved.contains(desktop.fake.token()),
        "the first save writes the config"
    );

    open_status(&session).await;
    session
        .wait_for_text("[data-testid='bot-headline']", |t| t.contains("Работает"))
        .await;
    let username = session
        .wait_for_text("[data-testid='bot-username']", |t| !t.is_empty())
        .await;
    assert!(username.contains(BOT_USERNAME), "{username}");
    session.screenshot(&screenshot_path("status-running")).await;

    let stop = session.wait_for("[data-testid='bot-stop']").await;
    session.click(&stop).await;
    session
        .wait_for_text("[data-testid='bot-headline']", |t| t.contains("Остановлен"))
        .await;
    let start = session.wait_for("[data-testid='bot-start']").await;
    session.click(&start).await;
    session
        .wait_for_text("[data-testid='bot-headline']", |t| t.contains("Работает"))
        .await;

    let settings = session.wait_for("[data-testid='nav-settings']").await;
    session.click(&settings).await;
    session.wait_for("[data-page='settings']").await;
    session.screenshot(&screenshot_path("settings")).await;
    session.quit().await;
}

/// A WebKit process (the web and network processes a webview starts).
fn is_webview(command_line: &str) -> bool {
    command_line.contains("WebKitWebProcess") || command_line.contains("WebKitNetworkProcess")
}

/// The app's window process (`servicebot-desktop --window`, started by the host).
fn is_window_process(command_line: &str) -> bool {
    command_line.contains("servicebot-desktop") && command_line.ends_with(" --window")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_window_keeps_the_bot_and_a_second_launch_brings_it_back() {
    let desktop = Desktop::configured("").await;
    desktop.write_ready_config();
    let session = desktop.open().await;
    session.wait_for("[data-page='status']").await;
    session
        .wait_for_text("[data-testid='bot-headline']", |t| t.contains("Работает"))
        .await;
    assert_eq!(desktop.gui.windows_named(WINDOW), 1);
    let running = desktop.gui.processes();
    assert!(
        running.iter().any(|p| is_webview(p)) && running.iter().any(|p| is_window_process(p)),
        "the window runs in a process of its own, with its webview: {running:#?}"
    );

    let asked = desktop.gui.close_window(WINDOW);
    assert!(asked >= 1, "the window was asked to close ({asked})");
    assert!(
        wait_for(Duration::from_secs(10), || desktop
            .gui
            .windows_named(WINDOW)
            == 0),
        "the window is gone"
    );
    // Its memory is given back: the window's process and every WebKit process end, the
    // host (the tray and the bot) stays.
    let mut left = Vec::new();
    assert!(
        wait_for(Duration::from_secs(10), || {
            left = desktop.gui.processes();
            !left.iter().any(|p| is_webview(p) || is_window_process(p))
        }),
        "no webview or window process is left after closing: {left:#?}"
    );
    assert!(
        left.iter().any(|p| p.contains("servicebot-desktop")),
        "the host lives on: {left:#?}"
    );
    // The process and its bot live on: someone pressing Start is answered.
    let visitor = desktop.fake.user("Гость");
    desktop.fake.send_command(&visitor, "/start");
    desktop
        .fake
        .wait_for_sent(visitor.id, 1, Duration::from_secs(15))
        .await;

    // Starting ServiceBot again (a double click) opens the running one's window and ends.
    let second = desktop.launch_again();
    assert!(
        second.success(),
        "the second launch ends cleanly: {second:?}"
    );
    assert!(
        wait_for(Duration::from_secs(10), || desktop
            .gui
            .windows_named(WINDOW)
            == 1),
        "the first instance's window is back"
    );
    session.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_with_windows_toggle_writes_and_removes_the_autostart_entry() {
    let desktop = Desktop::first_run().await;
    let session = desktop.open().await;
    // On Linux the entry is a `.desktop` file in the (temporary) home; on Windows, the
    // `ServiceBot` Run value.
    let entry = desktop.home.join(".config/autostart/ServiceBot.desktop");
    // Enabled once the current state is known.
    let toggle = session.wait_for("[data-testid='autostart']:enabled").await;
    session.click(&toggle).await;
    let mut written = String::new();
    assert!(
        wait_for(Duration::from_secs(10), || {
            written = std::fs::read_to_string(&entry).unwrap_or_default();
            written.contains("Exec=")
        }),
        "ticking the box writes the entry"
    );
    assert!(
        written.contains("--hidden"),
        "started hidden at login: {written}"
    );
    session
        .wait_for("[data-testid='autostart']:enabled:checked")
        .await;
    session.click(&toggle).await;
    assert!(
        wait_for(Duration::from_secs(10), || !entry.exists()),
        "unticking removes it"
    );
    session.quit().await;
}
