//! `servicebot-cli`: the headless `servicebot` command (SPEC §7), a thin shell over
//! `servicebot-app`. Each subcommand parses its arguments, makes one call into the app and
//! prints the result; errors are printed in plain words and give a non-zero exit code.

mod commands;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use servicebot_app::Env;

/// Exit code for a failed command (bad config, missing orders folder, unknown user…).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for a command line that does not parse.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "servicebot",
    version,
    about = "ServiceBot: the service centre's Telegram bot, headless"
)]
struct Cli {
    /// The configuration file (else SERVICEBOT_CONFIG, else the per-user default).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Host the bot until Ctrl-C or SIGTERM.
    Run,
    /// Validate the configuration and report the orders found.
    CheckConfig,
    /// Work orders.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// Users of the bot.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Import users and transcripts from the previous Python bot's database.
    ImportLegacy {
        /// The previous bot's SQLite database (drive.sqlite).
        database: PathBuf,
        /// The orders folder holding its recording_dialog_<order>.txt files (else orders.root).
        #[arg(long, value_name = "DIR")]
        orders_root: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum OrdersCommand {
    /// Open orders whose number or plate contains TEXT, one a line.
    Search {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Open orders per day of a month.
    Calendar {
        /// The month, as YYYY-MM.
        month: String,
    },
    /// The invite link of an open order, for the client (created once, then reused).
    Invite {
        /// The order number or folder name.
        order: String,
    },
    /// The order's evidence pack: one HTML file with every file's SHA-256, size, time, author,
    /// stage and delivery, every message and approval. Written into the order folder as
    /// ServiceBot-<order>-<YYYY-MM-DD>.html unless --out names a file.
    Export {
        /// The order number or folder name.
        order: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// One user a line: id, name, phone, level, active.
    List {
        /// Only users whose name, username, phone or id contains this.
        query: Option<String>,
    },
    /// Set the access level: 1 admin, 2 staff, 3 client.
    SetLevel {
        /// Telegram id or phone number.
        user: String,
        #[arg(value_parser = clap::value_parser!(u8).range(1..=3))]
        level: u8,
    },
    /// Make USER an admin (level 1): how the first admin is created.
    Promote { user: String },
    /// Set the display name staff speak under.
    Rename {
        user: String,
        #[arg(required = true, num_args = 1..)]
        name: Vec<String>,
    },
    /// Block USER: they get nothing from the bot but one notice.
    Block { user: String },
    /// Unblock USER.
    Unblock { user: String },
}

/// Runs the command line `args` (program name first) and returns the exit code.
pub fn run(args: Vec<OsString>, env: Env<'_>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let is_help = !error.use_stderr();
            let target: &mut dyn Write = if is_help { out } else { err };
            let _ = write!(target, "{}", error.render());
            return if is_help { 0 } else { EXIT_USAGE };
        }
    };
    match commands::execute(cli, env, out) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(err, "servicebot: {error:#}");
            EXIT_FAILURE
        }
    }
}
