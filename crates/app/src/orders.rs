//! Order queries and the configuration check.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use servicebot_core::orders::{Order, RootState, SearchPage, scan};

use crate::{App, AppError, ErrorCode, Result};

/// What `check-config` found.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigReport {
    pub config_path: PathBuf,
    pub data_dir: PathBuf,
    pub orders_root: PathBuf,
    /// Open orders found, or why the root could not be read.
    pub orders: std::result::Result<usize, String>,
    /// The token as it may be shown (`123456:••••`), empty when not set.
    pub token_masked: String,
    pub api_url: String,
    pub stages: Vec<String>,
}

impl ConfigReport {
    /// Whether the bot could run with this configuration.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Err(reason) = &self.orders {
            problems.push(reason.clone());
        }
        if self.token_masked.is_empty() {
            problems.push("telegram.token is not set (get one from @BotFather)".to_owned());
        }
        problems
    }
}

/// Orders created on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub orders: usize,
}

impl App {
    /// Lists the orders root once, synchronously, into the index. The long-running app keeps
    /// the index current with a watcher instead.
    pub fn scan_orders(&self) -> Result<usize> {
        let now = Utc::now();
        let orders = &self.config.orders;
        let mut store = self.store();
        let result = scan::scan_root(&orders.root, &orders.closed_keyword, &mut *store, now);
        drop(store);
        let mut index = self
            .index
            .write()
            .map_err(|_| internal("order index lock poisoned"))?;
        match result {
            Ok(found) => {
                let count = found.len();
                index.replace_all(found, now);
                Ok(count)
            }
            Err(error) => {
                index.set_unreachable(error.to_string(), now);
                Err(error.into())
            }
        }
    }

    /// Validates the configuration and reports what it finds.
    pub fn check_config(&self) -> ConfigReport {
        let orders = self.scan_orders().map_err(|e| e.message);
        ConfigReport {
            config_path: self.config_path.clone(),
            data_dir: self.data_dir.clone(),
            orders_root: self.config.orders.root.clone(),
            orders,
            token_masked: self.config.telegram.token.masked(),
            api_url: self.config.telegram.api_url.clone(),
            stages: self.config.stages.iter().map(|s| s.title.clone()).collect(),
        }
    }

    /// Open orders whose number or plate contains `text`, newest first.
    pub fn search_orders(&self, text: &str, offset: usize, limit: usize) -> Result<SearchPage> {
        if text.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "search text is empty",
            ));
        }
        self.ensure_index()?;
        let index = self
            .index
            .read()
            .map_err(|_| internal("order index lock poisoned"))?;
        Ok(index.search(text, offset, limit))
    }

    /// Orders per day of a month given as `YYYY-MM`.
    pub fn orders_calendar(&self, month: &str) -> Result<Vec<CalendarDay>> {
        let (year, month_number) = parse_month(month)?;
        self.ensure_index()?;
        let index = self
            .index
            .read()
            .map_err(|_| internal("order index lock poisoned"))?;
        Ok(index
            .month_counts(year, month_number)
            .into_iter()
            .filter_map(|(day, orders)| {
                NaiveDate::from_ymd_opt(year, month_number, day)
                    .map(|date| CalendarDay { date, orders })
            })
            .collect())
    }

    /// The open orders created on `date`.
    pub fn orders_on(&self, date: NaiveDate) -> Result<Vec<Order>> {
        self.ensure_index()?;
        let index = self
            .index
            .read()
            .map_err(|_| internal("order index lock poisoned"))?;
        Ok(index.on_day(date, 0, usize::MAX).orders)
    }

    /// The index state (ready, unreachable since…, not configured).
    pub fn orders_state(&self) -> RootState {
        self.index
            .read()
            .map(|index| index.state().clone())
            .unwrap_or(RootState::Pending)
    }

    /// Open orders in the index.
    pub fn order_count(&self) -> usize {
        self.index.read().map(|index| index.len()).unwrap_or(0)
    }

    pub(crate) fn ensure_index(&self) -> Result<()> {
        let pending = matches!(self.orders_state(), RootState::Pending);
        if pending {
            self.scan_orders()?;
        }
        Ok(())
    }
}

fn parse_month(text: &str) -> Result<(i32, u32)> {
    let invalid = || {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("month must be YYYY-MM, got {text:?}"),
        )
    };
    let (year, month) = text.trim().split_once('-').ok_or_else(invalid)?;
    let year: i32 = year.parse().map_err(|_| invalid())?;
    let month: u32 = month.parse().map_err(|_| invalid())?;
    if !(1..=12).contains(&month) || !(1970..=9999).contains(&year) {
        return Err(invalid());
    }
    Ok((year, month))
}

fn internal(message: &str) -> AppError {
    AppError::new(ErrorCode::Internal, message)
}

#[cfg(test)]
mod tests {
    use super::parse_month;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(parse_month("2026-03").expect("valid"), (2026, 3));
        assert_eq!(parse_month(" 2026-12 ").expect("valid"), (2026, 12));
        for bad in ["2026", "2026-13", "2026-00", "march", "26-3x", ""] {
            assert!(parse_month(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
