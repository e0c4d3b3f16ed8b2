//! Clients waiting for an answer (core's `evidence::unanswered` decides), for the Состояние
//! page and the desktop notification after `notify.unanswered_minutes`.

use chrono::{DateTime, Utc};
use servicebot_core::evidence::unanswered::{self, LOOK_BACK};
use servicebot_core::texts::TextKey;

use crate::dto::UnansweredDto;
use crate::{App, Result};

/// A desktop notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub title: String,
    pub body: String,
    /// The order to open when the manager comes to the window.
    pub order_folder: String,
    /// What makes this wait unique, so it is announced once.
    pub key: (String, i64, DateTime<Utc>),
}

impl App {
    /// The clients of open orders waiting for an answer at `now`, longest wait first.
    pub fn unanswered(&self, now: DateTime<Utc>) -> Result<Vec<UnansweredDto>> {
        let minutes = self.config.notify.unanswered_minutes;
        let (waiting, users) = {
            let store = self.store();
            let entries = store.transcript().conversation_since(now - LOOK_BACK)?;
            let waiting = unanswered::waiting(&entries);
            let mut users = Vec::with_capacity(waiting.len());
            for wait in &waiting {
                users.push(store.users().get(wait.client_id)?);
            }
            (waiting, users)
        };
        let index = self.index_read()?;
        Ok(waiting
            .iter()
            .zip(users)
            .filter(|(wait, _)| index.get(&wait.order_folder).is_some())
            .filter_map(|(wait, user)| {
                let user = user.filter(|u| u.active)?;
                Some(UnansweredDto {
                    order_no: wait.order_no.clone(),
                    order_folder: wait.order_folder.clone(),
                    client_id: wait.client_id,
                    client: user.name(),
                    since: wait.since.to_rfc3339(),
                    overdue: unanswered::overdue(wait, now, minutes),
                })
            })
            .collect())
    }

    /// The notifications due at `now`: one per overdue wait (the caller remembers which it
    /// showed). None when `notify.unanswered_minutes` is 0.
    pub fn unanswered_alerts(&self, now: DateTime<Utc>) -> Result<Vec<Alert>> {
        if self.config.notify.unanswered_minutes == 0 {
            return Ok(Vec::new());
        }
        let texts = self.texts()?;
        Ok(self
            .unanswered(now)?
            .into_iter()
            .filter(|w| w.overdue)
            .filter_map(|w| {
                let since = DateTime::parse_from_rfc3339(&w.since).ok()?.to_utc();
                let minutes = (now - since).num_minutes();
                Some(Alert {
                    title: texts.get(TextKey::GuiNotifyTitle, &[]),
                    body: texts.get(
                        TextKey::GuiNotifyBody,
                        &[
                            ("name", w.client.as_str().into()),
                            ("order", w.order_no.as_str().into()),
                            ("minutes", minutes.into()),
                        ],
                    ),
                    order_folder: w.order_folder,
                    key: (w.order_no, w.client_id, since),
                })
            })
            .collect())
    }
}
