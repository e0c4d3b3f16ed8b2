//! The Заказ-наряды page: search with the bot's semantics, the month calendar by folder
//! creation date, and an order's page — its folder, phones and connected clients, stages with
//! file counts, and the invite (link, a QR code made here, an SMS text).

use std::path::PathBuf;

use base64::Engine as _;
use chrono::NaiveDate;
use servicebot_core::config::FROM_CLIENT_FOLDER;
use servicebot_core::orders::phones::order_phones;
use servicebot_core::orders::{DateSource, Order, SearchPage};
use servicebot_core::store::Level;
use servicebot_core::texts::TextKey;

use crate::dto::{
    CalendarDayDto, CalendarMonthDto, ConnectedClient, InviteDto, OrderDetail, OrderPhone,
    OrderRow, OrdersPageDto, StageFiles,
};
use crate::{App, AppError, ErrorCode, Result};

/// The largest page of orders the window may ask for.
pub const MAX_ORDERS_PAGE: usize = 200;

/// An order out of the index, whether the index lends or copies it.
fn owned<O: std::borrow::Borrow<Order>>(order: O) -> Order {
    order.borrow().clone()
}

fn order_row(order: &Order) -> OrderRow {
    OrderRow {
        folder: order.folder.clone(),
        number: order.number.clone(),
        plate: order.plate.clone(),
        created: order.date.format("%Y-%m-%d").to_string(),
    }
}

fn page(found: &SearchPage, offset: usize) -> OrdersPageDto {
    OrdersPageDto {
        total: u32::try_from(found.total).unwrap_or(u32::MAX),
        offset: u32::try_from(offset).unwrap_or(u32::MAX),
        orders: found.orders.iter().map(order_row).collect(),
    }
}

/// Files directly in `dir` (temporary files of a save in progress not counted); 0 when the
/// folder does not exist.
fn count_files(dir: &std::path::Path) -> u32 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let count = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with(".servicebot-"))
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// A QR code of `text` as an SVG `data:` URL.
pub(crate) fn qr_data_url(text: &str) -> Result<String> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

impl App {
    pub(crate) fn index_read(
        &self,
    ) -> Result<std::sync::RwLockReadGuard<'_, servicebot_core::orders::OrderIndex>> {
        self.ensure_index()?;
        self.index
            .read()
            .map_err(|_| AppError::new(ErrorCode::Internal, "order index lock poisoned"))
    }

    /// Open orders matching `query` (case, spaces and Latin/Cyrillic plate letters folded as
    /// the bot does), newest first; the newest orders when `query` is empty.
    pub fn orders_page(&self, query: &str, offset: usize, limit: usize) -> Result<OrdersPageDto> {
        let limit = limit.clamp(1, MAX_ORDERS_PAGE);
        let index = self.index_read()?;
        if query.trim().is_empty() {
            let orders = index.recent(offset.saturating_add(limit));
            let found = SearchPage {
                total: index.len(),
                orders: orders.into_iter().skip(offset).collect(),
            };
            return Ok(page(&found, offset));
        }
        Ok(page(&index.search(query, offset, limit), offset))
    }

    /// The open orders created on `date` (`YYYY-MM-DD`).
    pub fn orders_of_day(&self, date: &str, offset: usize, limit: usize) -> Result<OrdersPageDto> {
        let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::new(ErrorCode::InvalidInput, format!("not a date: {date:?}")))?;
        let limit = limit.clamp(1, MAX_ORDERS_PAGE);
        let index = self.index_read()?;
        Ok(page(&index.on_day(day, offset, limit), offset))
    }

    /// A month of the calendar (`YYYY-MM`): open orders per day of folder creation.
    pub fn calendar_month(&self, month: &str, today: NaiveDate) -> Result<CalendarMonthDto> {
        let days = self.orders_calendar(month)?;
        Ok(CalendarMonthDto {
            month: month.trim().to_owned(),
            days: days
                .iter()
                .map(|d| CalendarDayDto {
                    day: chrono::Datelike::day(&d.date),
                    orders: u32::try_from(d.orders).unwrap_or(u32::MAX),
                })
                .collect(),
            today: today.format("%Y-%m-%d").to_string(),
        })
    }

    /// The open order in `folder`.
    pub fn open_order(&self, folder: &str) -> Result<Order> {
        let index = self.index_read()?;
        index.get(folder).map(owned).ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("no open work order in folder {folder:?} (closed or moved?)"),
            )
        })
    }

    /// The folder of the open order `folder`, to show in the file manager.
    pub fn order_folder_path(&self, folder: &str) -> Result<PathBuf> {
        let order = self.open_order(folder)?;
        Ok(self.config.orders.root.join(order.folder))
    }

    /// The order page's header. Reads the phone file and lists the stage folders: call off
    /// the async threads (the orders folder may be a slow share).
    pub fn order_detail(&self, folder: &str) -> Result<OrderDetail> {
        let order = self.open_order(folder)?;
        let config = &self.config;
        let path = config.orders.root.join(&order.folder);
        let phones = order_phones(
            &config.orders.root,
            &order.folder,
            &config.orders.phone_file,
            &config.phone.default_country_code,
        );
        let store = self.store();
        let mut listed = Vec::with_capacity(phones.len());
        for phone in &phones {
            let clients = store
                .users()
                .find_by_phone(phone)?
                .into_iter()
                .filter(|u| u.level == Level::Client)
                .map(|u| ConnectedClient {
                    telegram_id: u.telegram_id,
                    name: u.name(),
                    active: u.active,
                    blocked_bot: u.blocked_bot,
                })
                .collect();
            listed.push(OrderPhone {
                phone: phone.display_full(),
                clients,
            });
        }
        drop(store);
        let mut stages: Vec<StageFiles> = config
            .stages
            .iter()
            .map(|stage| StageFiles {
                title: stage.title.clone(),
                folder: stage.folder.clone(),
                client_visible: stage.client_visible,
                files: count_files(&path.join(&stage.folder)),
            })
            .collect();
        stages.push(StageFiles {
            title: self.texts()?.get(TextKey::GuiStageFromClient, &[]),
            folder: FROM_CLIENT_FOLDER.to_owned(),
            client_visible: true,
            files: count_files(&path.join(FROM_CLIENT_FOLDER)),
        });
        Ok(OrderDetail {
            folder: order.folder.clone(),
            number: order.number.clone(),
            plate: order.plate.clone(),
            path: path.display().to_string(),
            created: order.date.format("%Y-%m-%d").to_string(),
            created_from: match order.date_source {
                DateSource::Birth => "birth",
                DateSource::FirstSeen => "first_seen",
            }
            .to_owned(),
            phones: listed,
            stages,
            organization: config.organization.name.clone(),
        })
    }

    /// The order's invite: the `t.me` link (created once, then reused), its QR code and the
    /// SMS text.
    pub fn order_invite(&self, folder: &str) -> Result<InviteDto> {
        let order = self.open_order(folder)?;
        let link = self.invite_for(&order)?;
        let organization = self.config.organization.name.clone();
        // Without an organisation name the text would say "в «»".
        let sms_key = if organization.trim().is_empty() {
            TextKey::GuiInviteSmsNoOrganization
        } else {
            TextKey::GuiInviteSms
        };
        let sms_text = self.texts()?.get(
            sms_key,
            &[
                ("order", order.number.as_str().into()),
                ("organization", organization.as_str().into()),
                ("url", link.url.as_str().into()),
            ],
        );
        Ok(InviteDto {
            qr_data_url: qr_data_url(&link.url)?,
            order_no: link.order_no,
            url: link.url,
            sms_text,
            organization,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_data_url() {
        let url = qr_data_url("https://t.me/service_bot?start=abc").expect("qr");
        let svg = url
            .strip_prefix("data:image/svg+xml;base64,")
            .expect("an SVG data URL");
        let svg = base64::engine::general_purpose::STANDARD
            .decode(svg)
            .expect("base64");
        let svg = String::from_utf8(svg).expect("text");
        assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
    }
}
