#![allow(
    clippy::expect_used,
    reason = "test code: a failed step must stop the test with its message"
)]

//! The shell on Tauri's mock runtime, with its real configuration and capabilities: commands
//! answer over IPC, and what the capability does not grant is refused.

use std::sync::Arc;

use serde_json::{Value, json};
use servicebot_app::window_link::in_memory;
use servicebot_app::{Host, HostOptions, SharedEnv};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::{COMMANDS, with_commands};

struct Shell {
    _dir: tempfile::TempDir,
    app: App<MockRuntime>,
    main: WebviewWindow<MockRuntime>,
}

/// The window's process on Tauri's mock runtime, linked to a host on a first run (no config
/// file, data in a temporary folder) through an in-memory pipe, as the real one is through its
/// standard input and output.
fn shell() -> Shell {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data").display().to_string();
    let env: SharedEnv =
        Arc::new(move |name| (name == "SERVICEBOT_DATA_DIR").then(|| data.clone()));
    let options = HostOptions {
        config_path: Some(dir.path().join("config.toml")),
        env,
        bot_tuning: servicebot_app::BotTuning::default(),
    };
    let link = tauri::async_runtime::block_on(async move {
        let host = Host::start(options).await.expect("the host starts");
        in_memory(host).link
    });
    let app = with_commands(mock_builder())
        .manage(link)
        .build(tauri::generate_context!())
        .expect("the app builds with its configuration and capabilities");
    let main = WebviewWindowBuilder::new(&app, crate::window::MAIN, Default::default())
        .build()
        .expect("the main window");
    Shell {
        _dir: dir,
        app,
        main,
    }
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_owned(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("json"))
}

#[test]
fn commands_answer_over_ipc() {
    let shell = shell();
    let settings = invoke(&shell.main, "get_settings", json!({})).expect("settings");
    assert_eq!(settings["first_run"], json!(true));
    assert_eq!(settings["token"]["set"], json!(false));
    let missing: Vec<&str> = settings["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .filter_map(|m| m["field"].as_str())
        .collect();
    assert_eq!(missing, ["telegram.token", "orders.root"]);

    let mut draft = settings.clone();
    draft["token"] = json!("12345");
    let problems = invoke(&shell.main, "validate_settings", json!({ "draft": draft }))
        .expect("validation answers");
    assert_eq!(problems[0]["field"], json!("telegram.token"));
    assert_eq!(problems[0]["code"], json!("token_malformed"));

    let status = invoke(&shell.main, "get_status", json!({})).expect("status");
    assert_eq!(status["bot_state"], json!("stopped"));
    assert_eq!(status["can_start"], json!(false));
    let refused = invoke(&shell.main, "start_bot", json!({})).expect_err("no token");
    assert_eq!(refused["code"], json!("bot_not_configured"));
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("токен")),
        "{refused}"
    );

    let texts = invoke(&shell.main, "ui_texts", json!({})).expect("texts");
    assert_eq!(texts["labels"]["ui-nav-settings"], json!("Настройки"));
    let check = invoke(&shell.main, "check_orders_root", json!({ "path": "" })).expect("check");
    assert_eq!(check["code"], json!("not_set"));
}

#[test]
fn what_the_capability_does_not_grant_is_refused() {
    let shell = shell();
    // A core command the window has no use for.
    let refused = invoke(
        &shell.main,
        "plugin:window|close",
        json!({ "label": "main" }),
    );
    assert!(
        refused.is_err(),
        "window.close must be refused: {refused:?}"
    );
    // The app's own commands, from a window the capability does not name.
    let other = WebviewWindowBuilder::new(&shell.app, "other", Default::default())
        .build()
        .expect("a second window");
    let refused = invoke(&other, "get_settings", json!({}));
    assert!(
        refused.is_err(),
        "only the main window may call commands: {refused:?}"
    );
}

#[test]
fn the_capability_grants_every_command_and_only_those() {
    // The permissions are generated from COMMANDS; the capability must list each of them.
    let capability: Value =
        serde_json::from_str(include_str!("../capabilities/main.json")).expect("capability");
    let granted: Vec<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|command| command.replace('-', "_"))
        .collect();
    let mut expected: Vec<String> = COMMANDS.iter().map(|c| (*c).to_owned()).collect();
    let mut granted_sorted = granted.clone();
    expected.sort();
    granted_sorted.sort();
    assert_eq!(granted_sorted, expected);
}

#[test]
fn every_registered_command_is_listed_for_its_permission() {
    // A handler missing from COMMANDS would have no permission and be refused in the window.
    let source = include_str!("lib.rs");
    let start =
        source.find("generate_handler![").expect("the handler list") + "generate_handler![".len();
    let end = start + source[start..].find(']').expect("its end");
    let mut registered: Vec<&str> = source[start..end]
        .split(',')
        .filter_map(|entry| entry.trim().strip_prefix("commands::"))
        .collect();
    let mut listed = COMMANDS.to_vec();
    registered.sort_unstable();
    listed.sort_unstable();
    assert_eq!(registered, listed);
}

#[test]
fn the_manager_pages_answer_over_ipc() {
    let shell = shell();
    let users = invoke(
        &shell.main,
        "users_page",
        json!({ "query": "", "offset": 0, "limit": 50 }),
    )
    .expect("users");
    assert_eq!(users["total"], json!(0));
    assert_eq!(users["needs_first_admin"], json!(true), "a fresh install");
    let refused = invoke(&shell.main, "appoint_admin", json!({ "who": "12345" }))
        .expect_err("nobody pressed Start yet");
    assert_eq!(refused["code"], json!("not_found"));
    let refused = invoke(
        &shell.main,
        "thumbnail",
        json!({ "path": "ЗН-1/../../etc/passwd" }),
    )
    .expect_err("the guard refuses");
    assert_eq!(refused["code"], json!("invalid_input"));
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("Неверные")),
        "{refused}"
    );
    let waiting = invoke(&shell.main, "unanswered", json!({})).expect("unanswered");
    assert_eq!(waiting, json!([]));
    let alert = invoke(&shell.main, "take_alert_order", json!({})).expect("alert order");
    assert_eq!(alert, Value::Null);
}
