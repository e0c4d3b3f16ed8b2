//! Logs to stderr and to daily-rolling files in `<data dir>/logs`. Nothing logged may contain
//! the bot token or a full phone number: core types print masked forms.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the file writer flushing; drop it last.
#[derive(Debug)]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

/// Installs the global subscriber: `RUST_LOG` (or `default_filter`) for stderr and the file.
/// With no `log_dir` only stderr is used. A second call does nothing (tests run many commands
/// in one process).
pub fn init(log_dir: Option<&Path>, default_filter: &str) -> LogGuard {
    let filter =
        || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false);
    let mut guard = None;
    let file_layer = log_dir.and_then(|dir| {
        std::fs::create_dir_all(dir).ok()?;
        let appender = tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("servicebot")
            .filename_suffix("log")
            .max_log_files(30)
            .build(dir)
            .ok()?;
        let (writer, file_guard) = tracing_appender::non_blocking(appender);
        guard = Some(file_guard);
        Some(
            tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false),
        )
    });
    let result = tracing_subscriber::registry()
        .with(stderr.with_filter(filter()))
        .with(file_layer.map(|layer| layer.with_filter(filter())))
        .try_init();
    if result.is_err() {
        guard = None;
    }
    LogGuard { _file: guard }
}

use tracing_subscriber::Layer as _;
