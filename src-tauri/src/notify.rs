//! Desktop notifications for clients left unanswered (in the host): one for each wait longer
//! than `notify.unanswered_minutes`, and a click on one opens the window on its order.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use servicebot_app::Host;
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt as _;

use crate::host_app::open_window_soon;
use crate::lock;

/// How many shown notifications are remembered for their clicks (a few a day are shown).
const REMEMBERED: usize = 64;

/// The orders of the notifications shown, by notification id, newest last.
type Shown = Arc<Mutex<VecDeque<(i32, String)>>>;

/// Listens for clicks, then shows a notification for each alert the host publishes.
pub fn start<R: Runtime>(app: &AppHandle<R>, host: &Host) {
    let shown = Shown::default();
    // Before the first notification: only those shown after a handler exists report clicks.
    let (clicked_app, clicked_host, clicked_shown) = (app.clone(), host.clone(), shown.clone());
    let handler = app.notification().on_action(move |performed| {
        // `tap`: the notification itself was clicked (D-Bus's `default` action, a toast's body).
        if performed.action_id() != "tap" {
            return;
        }
        let Some(id) = performed.notification().map(|n| n.id()) else {
            tracing::warn!("a notification was clicked, but which one is not known");
            return;
        };
        let order = lock(&clicked_shown)
            .iter()
            .find(|(shown_id, _)| *shown_id == id)
            .map(|(_, order)| order.clone());
        if let Some(order) = order {
            tracing::info!("a notification was clicked: the window opens its order");
            clicked_host.alert_clicked(order);
            open_window_soon(&clicked_app);
        }
    });
    if let Err(error) = handler {
        tracing::warn!(%error, "clicks on notifications cannot be followed");
    }
    tauri::async_runtime::spawn(show_alerts(app.clone(), host.clone(), shown));
}

async fn show_alerts<R: Runtime>(app: AppHandle<R>, host: Host, shown: Shown) {
    let mut alerts = host.subscribe_alerts();
    let mut last_id: i32 = 0;
    loop {
        let alert = match alerts.recv().await {
            Ok(alert) => alert,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        last_id = last_id.wrapping_add(1).max(1);
        {
            let mut shown = lock(&shown);
            if shown.len() == REMEMBERED {
                shown.pop_front();
            }
            shown.push_back((last_id, alert.order_folder.clone()));
        }
        if let Err(error) = app
            .notification()
            .builder()
            .id(last_id)
            .title(&alert.title)
            .body(&alert.body)
            .show()
        {
            tracing::warn!(%error, "cannot show a notification");
        }
    }
}
