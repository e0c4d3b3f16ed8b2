//! One function per subcommand: a call into the app and the printing of its result.

use std::io::Write;

use anyhow::{Context, Result};
use servicebot_app::{App, Env, UserRef};
use servicebot_core::store::{Level, User};

use crate::{Cli, Command, EXIT_FAILURE, OrdersCommand, UsersCommand};

/// Largest result list printed (a search for "1" can match everything).
const MAX_LISTED: usize = 10_000;

pub(crate) fn execute(cli: Cli, env: Env<'_>, out: &mut dyn Write) -> Result<u8> {
    let app = App::open(cli.config.as_deref(), env)?;
    match cli.command {
        Command::Run => run(&app),
        Command::CheckConfig => check_config(&app, out),
        Command::Orders(OrdersCommand::Search { text }) => {
            let page = app.search_orders(&text.join(" "), 0, MAX_LISTED)?;
            for order in &page.orders {
                writeln!(out, "{}\t{}", order.date, order.folder)?;
            }
            if page.total > page.orders.len() {
                writeln!(out, "… and {} more", page.total - page.orders.len())?;
            }
            Ok(0)
        }
        Command::Orders(OrdersCommand::Calendar { month }) => {
            for day in app.orders_calendar(&month)? {
                writeln!(out, "{}\t{}", day.date, day.orders)?;
            }
            Ok(0)
        }
        Command::Orders(OrdersCommand::Invite { order }) => {
            let invite = app.invite_link(&order)?;
            writeln!(out, "{}", invite.url)?;
            Ok(0)
        }
        Command::Orders(OrdersCommand::Export { order, out: file }) => {
            let folder = app.find_order(&order)?.folder;
            let written = app.export_order(&folder, file.as_deref(), chrono::Utc::now())?;
            writeln!(out, "{}", written.path)?;
            if written.flagged > 0 {
                writeln!(
                    out,
                    "{} of {} files no longer match their recorded SHA-256 (marked in the pack)",
                    written.flagged, written.files
                )?;
            }
            Ok(0)
        }
        Command::Users(command) => users(&app, command, out),
        Command::ImportLegacy {
            database,
            orders_root,
        } => {
            let root = orders_root.unwrap_or_else(|| app.config().orders.root.clone());
            let report = app.import_legacy(&database, &root)?;
            writeln!(
                out,
                "users: {} imported, {} already there; transcript entries: {} imported, {} already there",
                report.users_imported,
                report.users_skipped,
                report.entries_imported,
                report.entries_skipped
            )?;
            for problem in &report.problems {
                writeln!(out, "skipped: {problem}")?;
            }
            Ok(0)
        }
    }
}

fn run(app: &App) -> Result<u8> {
    let _logs = servicebot_app::logging::init(Some(&app.data_dir().join("logs")), "info");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        // Listen before anything starts, so an early Ctrl-C or SIGTERM still stops cleanly.
        let shutdown = ShutdownSignals::listen().context("cannot listen for shutdown signals")?;
        app.run_until(shutdown.received()).await?;
        Ok(0)
    })
}

/// Ctrl-C, and SIGTERM on Unix (service managers stop with it) or closing the console on
/// Windows.
struct ShutdownSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(windows)]
    ctrl_c: tokio::signal::windows::CtrlC,
    #[cfg(windows)]
    close: tokio::signal::windows::CtrlClose,
}

impl ShutdownSignals {
    fn listen() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(windows)]
        {
            use tokio::signal::windows::{ctrl_c, ctrl_close};
            Ok(Self {
                ctrl_c: ctrl_c()?,
                close: ctrl_close()?,
            })
        }
    }

    async fn received(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(windows)]
        tokio::select! {
            _ = self.ctrl_c.recv() => {}
            _ = self.close.recv() => {}
        }
    }
}

fn check_config(app: &App, out: &mut dyn Write) -> Result<u8> {
    let report = app.check_config();
    writeln!(out, "config file:   {}", report.config_path.display())?;
    writeln!(out, "data folder:   {}", report.data_dir.display())?;
    writeln!(out, "orders folder: {}", report.orders_root.display())?;
    match &report.orders {
        Ok(count) => writeln!(out, "open orders:   {count}")?,
        Err(reason) => writeln!(out, "open orders:   unavailable ({reason})")?,
    }
    let token = if report.token_masked.is_empty() {
        "not set"
    } else {
        &report.token_masked
    };
    writeln!(out, "bot token:     {token}")?;
    writeln!(out, "Bot API:       {}", report.api_url)?;
    writeln!(out, "stages:        {}", report.stages.join(", "))?;
    let problems = report.problems();
    if problems.is_empty() {
        writeln!(out, "OK")?;
        Ok(0)
    } else {
        for problem in problems {
            writeln!(out, "problem: {problem}")?;
        }
        Ok(EXIT_FAILURE)
    }
}

fn users(app: &App, command: UsersCommand, out: &mut dyn Write) -> Result<u8> {
    let code = &app.config().phone.default_country_code;
    let user_ref = |text: &str| UserRef::parse(text, code);
    let changed = match command {
        UsersCommand::List { query } => {
            let page = app.list_users(query.as_deref().unwrap_or(""), 0, usize::MAX)?;
            for user in &page.users {
                print_user(out, user)?;
            }
            return Ok(0);
        }
        UsersCommand::SetLevel { user, level } => {
            let level = Level::from_number(i64::from(level)).context("level must be 1, 2 or 3")?;
            app.set_level(&user_ref(&user)?, level)?
        }
        UsersCommand::Promote { user } => app.promote(&user_ref(&user)?)?,
        UsersCommand::Rename { user, name } => {
            app.rename_user(&user_ref(&user)?, &name.join(" "))?
        }
        UsersCommand::Block { user } => app.set_active(&user_ref(&user)?, false)?,
        UsersCommand::Unblock { user } => app.set_active(&user_ref(&user)?, true)?,
    };
    print_user(out, &changed)?;
    Ok(0)
}

fn print_user(out: &mut dyn Write, user: &User) -> Result<()> {
    let phone = user
        .phone
        .as_ref()
        .map(|p| p.display_full())
        .unwrap_or_else(|| "-".to_owned());
    let level = match user.level {
        Level::Admin => "1 admin",
        Level::Staff => "2 staff",
        Level::Client => "3 client",
    };
    let active = if user.active { "active" } else { "blocked" };
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}",
        user.telegram_id,
        user.name(),
        phone,
        level,
        active
    )?;
    Ok(())
}
