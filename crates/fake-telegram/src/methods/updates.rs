//! `getUpdates`: real long polling. A request waits until an update arrives or its `timeout`
//! passes (no busy loop), confirms earlier updates through `offset`, honours `limit` and
//! `allowed_updates`, and a second concurrent poller gets 409 Conflict.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::params::{ApiError, ApiResult, Params};
use crate::server::Shared;

/// Keeps count of the polls in flight; a cancelled request (client gone) still decrements.
struct PollGuard(Arc<Shared>);

impl Drop for PollGuard {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.active_polls = state.active_polls.saturating_sub(1);
    }
}

pub(super) async fn get_updates(shared: &Arc<Shared>, params: &Params) -> ApiResult {
    let offset = params.i64("offset").unwrap_or(0);
    let limit = params.i64("limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(params.i64("timeout").unwrap_or(0).clamp(0, 50) as u64);
    let allowed: Vec<String> = params
        .json("allowed_updates")?
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    {
        let mut state = shared.lock();
        if state.active_polls > 0 {
            return Err(ApiError {
                code: 409,
                description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".into(),
                retry_after: None,
            });
        }
        state.active_polls += 1;
    }
    let _guard = PollGuard(Arc::clone(shared));
    let deadline = Instant::now() + timeout;
    loop {
        let mut changes = shared.subscribe();
        {
            let mut state = shared.lock();
            if offset > 0 {
                state.updates.retain(|(id, _)| *id >= offset);
            }
            let ready: Vec<Value> = state
                .updates
                .iter()
                .filter(|(id, _)| *id >= offset)
                .filter(|(_, update)| {
                    allowed.is_empty() || allowed.iter().any(|kind| update.get(kind).is_some())
                })
                .take(limit)
                .map(|(_, update)| update.clone())
                .collect();
            if !ready.is_empty() {
                return Ok(Value::Array(ready));
            }
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Ok(Value::Array(Vec::new()));
        }
        let _ = tokio::time::timeout(remaining, changes.changed()).await;
    }
}
