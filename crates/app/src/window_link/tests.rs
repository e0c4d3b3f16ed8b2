#![allow(
    clippy::expect_used,
    reason = "test code: a failed step must stop the test with its message"
)]

//! The link end to end in one process: a real host on a first run (no token, a temporary
//! data folder) served over an in-memory pipe, and the window's side calling through it.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Call, HostLink, InMemory, WindowEvent, in_memory};
use crate::{Host, HostOptions, SharedEnv};

struct Linked {
    _dir: tempfile::TempDir,
    host: Host,
    link: HostLink,
    events: mpsc::UnboundedReceiver<WindowEvent>,
    focus: mpsc::Sender<()>,
    served: JoinHandle<()>,
}

async fn linked() -> Linked {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data").display().to_string();
    let env: SharedEnv =
        Arc::new(move |name| (name == "SERVICEBOT_DATA_DIR").then(|| data.clone()));
    let host = Host::start(HostOptions {
        config_path: Some(dir.path().join("config.toml")),
        env,
        bot_tuning: crate::BotTuning::default(),
    })
    .await
    .expect("the host starts");
    let InMemory {
        link,
        events,
        focus,
        served,
    } = in_memory(host.clone());
    Linked {
        _dir: dir,
        host,
        link,
        events,
        focus,
        served,
    }
}

async fn next_event(events: &mut mpsc::UnboundedReceiver<WindowEvent>) -> WindowEvent {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("an event within 10 s")
        .expect("the link is open")
}

#[tokio::test]
async fn the_windows_calls_are_answered_by_the_host() {
    let linked = linked().await;
    let texts = linked.link.call(Call::UiTexts).await.expect("texts");
    assert_eq!(texts["labels"]["ui-nav-settings"], json!("Настройки"));

    let settings = linked.link.call(Call::GetSettings).await.expect("settings");
    assert_eq!(settings["first_run"], json!(true), "no config file yet");

    let users = linked
        .link
        .call(Call::UsersPage {
            query: String::new(),
            offset: 0,
            limit: 25,
        })
        .await
        .expect("users");
    assert_eq!(users["needs_first_admin"], json!(true));

    // A refusal arrives as the host's CommandError, in Russian, under its code.
    let refused = linked
        .link
        .call(Call::StartBot)
        .await
        .expect_err("no token");
    assert_eq!(refused["code"], json!("bot_not_configured"));
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("токен")),
        "{refused}"
    );
    let failure = linked.link.failure("autostart: access denied").await;
    assert_eq!(failure["details"], json!("autostart: access denied"));
    assert!(failure["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn concurrent_calls_each_get_their_own_answer() {
    let linked = linked().await;
    let link = Arc::new(linked.link);
    let calls = (0..20).map(|n| {
        let link = Arc::clone(&link);
        tokio::spawn(async move {
            let month = format!("2026-{:02}", n % 12 + 1);
            let answer = link
                .call(Call::CalendarMonth {
                    month: month.clone(),
                })
                .await
                .expect("calendar");
            (month, answer)
        })
    });
    for call in calls {
        let (month, answer) = call.await.expect("the call's task");
        assert_eq!(
            answer["month"],
            json!(month),
            "the answer of this call: {answer}"
        );
    }
}

#[tokio::test]
async fn a_call_the_host_does_not_know_is_refused_under_its_id() {
    let linked = linked().await;
    assert_eq!(
        linked
            .host
            .answer_json(json!({ "cmd": "format_disk" }))
            .await
            .map_err(|e| e.code),
        Err("internal".to_owned())
    );
}

#[tokio::test]
async fn the_status_is_pushed_first_and_on_every_change() {
    let mut linked = linked().await;
    let WindowEvent::Status(first) = next_event(&mut linked.events).await else {
        panic!("the status comes first");
    };
    assert_eq!(first["bot_state"], json!("stopped"));

    // Saving an orders folder changes what the status page says about it.
    let orders = linked._dir.path().join("Photo");
    std::fs::create_dir_all(orders.join("ЗН-000101")).expect("orders");
    let view = linked.host.settings().await;
    let mut draft = view.to_draft();
    draft.orders_root = orders.display().to_string();
    linked
        .link
        .call(Call::SaveSettings {
            draft: draft.clone(),
        })
        .await
        .expect("saved");
    let changed = loop {
        match next_event(&mut linked.events).await {
            WindowEvent::Status(status) if status != first => break status,
            WindowEvent::Status(_) => {}
            other => panic!("only status changes were expected, got {other:?}"),
        }
    };
    assert_ne!(changed, first);
}

#[tokio::test]
async fn focus_reaches_the_window() {
    let mut linked = linked().await;
    assert!(matches!(
        next_event(&mut linked.events).await,
        WindowEvent::Status(_)
    ));
    linked.focus.send(()).await.expect("the link serves");
    assert_eq!(next_event(&mut linked.events).await, WindowEvent::Focus);
}

#[tokio::test]
async fn the_host_ends_serving_when_the_window_closes_its_end() {
    let linked = linked().await;
    let served = linked.served;
    drop(linked.link);
    drop(linked.events);
    tokio::time::timeout(Duration::from_secs(10), served)
        .await
        .expect("serving ends once the window's end is closed")
        .expect("no panic");
}

#[tokio::test]
async fn the_window_learns_when_the_host_is_gone() {
    let mut linked = linked().await;
    linked.served.abort();
    let _ = (&mut linked.served).await;
    let answer = tokio::time::timeout(Duration::from_secs(10), linked.link.call(Call::GetStatus))
        .await
        .expect("a call answers at once when the host is gone");
    let error: Value = answer.expect_err("no host to answer");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    loop {
        if next_event(&mut linked.events).await == WindowEvent::HostGone {
            break;
        }
    }
}
