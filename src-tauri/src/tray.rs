//! Draws `servicebot_app::tray::TrayModel` — icon, tooltip, menu — and turns menu clicks back
//! into `TrayItem`s. What the tray shows for each state is decided (and tested) in the app crate.

use std::sync::Mutex;

use servicebot_app::Host;
use servicebot_app::tray::{TrayIcon as IconKind, TrayItem, TrayModel};
use tauri::image::Image;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_opener::OpenerExt as _;

use crate::host_app::{self, open_window_soon};
use crate::lock;

const TRAY_ID: &str = "servicebot";

/// The model last drawn, so an unchanged state redraws nothing.
#[derive(Default)]
pub struct Drawn(Mutex<Option<TrayModel>>);

fn icon(kind: IconKind) -> tauri::Result<Image<'static>> {
    let bytes: &'static [u8] = match kind {
        IconKind::Running => include_bytes!("../icons/tray-running.png"),
        IconKind::Stopped => include_bytes!("../icons/tray-stopped.png"),
        IconKind::Error => include_bytes!("../icons/tray-error.png"),
    };
    Image::from_bytes(bytes)
}

fn menu<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for entry in &model.menu {
        if entry.item == TrayItem::Quit {
            menu.append(&PredefinedMenuItem::separator(app)?)?;
        }
        let item = MenuItem::with_id(
            app,
            entry.item.id(),
            &entry.label,
            entry.enabled,
            None::<&str>,
        )?;
        menu.append(&item)?;
    }
    Ok(menu)
}

/// Creates the tray icon for `model`.
pub fn create<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<TrayIcon<R>> {
    let tray = TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(model.icon)?)
        .tooltip(&model.tooltip)
        .menu(&menu(app, model)?)
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu)
        // A left click opens the window (Windows; Linux's indicator reports no clicks, and
        // Открыть in the menu does the same).
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                open_window_soon(tray.app_handle());
            }
        })
        .build(app)?;
    if let Some(drawn) = app.try_state::<Drawn>() {
        *lock(&drawn.0) = Some(model.clone());
    }
    Ok(tray)
}

/// Redraws the tray for `model` if it changed.
pub fn update<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let Some(drawn) = app.try_state::<Drawn>() else {
        return;
    };
    let mut last = lock(&drawn.0);
    let before = last.clone();
    let result = (|| -> tauri::Result<()> {
        if before.as_ref().map(|m| m.icon) != Some(model.icon) {
            tray.set_icon(Some(icon(model.icon)?))?;
        }
        if before.as_ref().map(|m| &m.tooltip) != Some(&model.tooltip) {
            tray.set_tooltip(Some(&model.tooltip))?;
        }
        if before.as_ref().map(|m| &m.menu) != Some(&model.menu) {
            tray.set_menu(Some(menu(app, model)?))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => *last = Some(model.clone()),
        Err(error) => tracing::warn!(%error, "cannot update the tray"),
    }
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let Some(item) = TrayItem::from_id(event.id().as_ref()) else {
        return;
    };
    let Some(host) = app.try_state::<Host>().map(|h| h.inner().clone()) else {
        return;
    };
    let app = app.clone();
    match item {
        TrayItem::Open => open_window_soon(&app),
        TrayItem::StartBot => {
            tauri::async_runtime::spawn(async move {
                if let Err(error) = host.start_bot().await {
                    tracing::warn!(code = %error.code, "the bot cannot start from the tray");
                    // The reason is on the status page.
                    open_window_soon(&app);
                }
            });
        }
        TrayItem::StopBot => {
            tauri::async_runtime::spawn(async move { host.stop_bot().await });
        }
        TrayItem::OpenOrdersFolder => {
            tauri::async_runtime::spawn(async move {
                match host.orders_folder_to_open().await {
                    Ok(root) => {
                        if let Err(error) = app
                            .opener()
                            .open_path(root.display().to_string(), None::<&str>)
                        {
                            tracing::warn!(%error, "cannot open the orders folder");
                        }
                    }
                    // The reason is on the status page.
                    Err(error) => {
                        tracing::warn!(details = ?error.details, "cannot open the orders folder");
                        open_window_soon(&app);
                    }
                }
            });
        }
        TrayItem::Quit => {
            tauri::async_runtime::spawn(host_app::quit(app, host));
        }
    }
}
