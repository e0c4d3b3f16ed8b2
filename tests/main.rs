//! ServiceBot's end-to-end scenarios: one integration-test binary (helpers in `support/`).
#![allow(
    clippy::expect_used,
    reason = "test code: a failed step must abort the scenario with its message"
)]

mod app_status;
mod bot_access;
mod bot_admin;
mod bot_approvals;
mod bot_clients;
mod bot_media;
mod bot_staff;
mod cli_legacy;
mod cli_orders;
mod cli_users;
mod desktop_gui;
mod desktop_host;
mod desktop_notify;
mod desktop_pages;
mod desktop_tray;
mod fake_telegram;
mod index_watch;
mod pipeline;
mod process;
