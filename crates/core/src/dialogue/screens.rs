//! The staff menus: the month calendar with per-day counts, the recent orders, search results
//! and a day's orders (paginated), and the stage buttons of an order.

use chrono::{Datelike, Duration, NaiveDate};

use super::{Button, NavAction, Screen};
use crate::config::Stage;
use crate::orders::{Order, OrderIndex, SearchPage};
use crate::texts::{Arg, TextKey, Texts};

/// Orders per page of search results or of a day.
pub const PAGE_SIZE: usize = 8;
/// Orders in the "recent" row under the calendar.
const RECENT: usize = 3;
/// Longest button label: Telegram shows about this much on a phone.
const MAX_LABEL_CHARS: usize = 48;

/// What the screens need to know, read-only.
#[derive(Debug, Clone, Copy)]
pub struct NavContext<'a> {
    pub orders: &'a OrderIndex,
    pub stages: &'a [Stage],
    pub texts: &'a Texts,
    /// The local date today (the adapter reads the clock, not this code).
    pub today: NaiveDate,
}

impl NavContext<'_> {
    fn text(&self, key: TextKey, args: &[(&str, Arg<'_>)]) -> String {
        self.texts.get(key, args)
    }
}

/// A label that fits a button.
pub fn label(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

fn order_button(order: &Order) -> Button {
    Button::new(
        label(&order.folder),
        NavAction::Order {
            folder: order.folder.clone(),
        },
    )
}

/// The `/order` menu: the calendar of `year`/`month` with the recent orders and search.
pub fn calendar(ctx: NavContext<'_>, year: i32, month: u32) -> Screen {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return calendar(ctx, ctx.today.year(), ctx.today.month());
    };
    let counts = ctx.orders.month_counts(year, month);
    let names = ctx.text(TextKey::MonthNames, &[]);
    let name = names
        .split(',')
        .nth(month as usize - 1)
        .unwrap_or_default()
        .trim()
        .to_owned();
    let title = ctx.text(
        TextKey::CalendarTitle,
        &[("month", name.into()), ("year", i64::from(year).into())],
    );
    let prev = first - Duration::days(1);
    let next = first + Duration::days(32);
    let mut rows = vec![vec![
        Button::new(
            ctx.text(TextKey::ButtonPrev, &[]),
            NavAction::Month {
                year: prev.year(),
                month: prev.month(),
            },
        ),
        Button::new(title.clone(), NavAction::Noop),
        Button::new(
            ctx.text(TextKey::ButtonNext, &[]),
            NavAction::Month {
                year: next.year(),
                month: next.month(),
            },
        ),
    ]];
    rows.push(
        ctx.text(TextKey::CalendarWeekdays, &[])
            .split_whitespace()
            .map(|day| Button::new(day, NavAction::Noop))
            .collect(),
    );
    let offset = first.weekday().num_days_from_monday() as usize;
    let days_in_month = (next.with_day(1).unwrap_or(next) - first).num_days() as u32;
    let mut week: Vec<Button> = (0..offset)
        .map(|_| Button::new("·", NavAction::Noop))
        .collect();
    for day in 1..=days_in_month {
        let date = first.with_day(day).unwrap_or(first);
        let mut text = match counts.get(&day) {
            Some(count) => format!("{day}({count})"),
            None => day.to_string(),
        };
        if date == ctx.today {
            text = format!("[{text}]");
        }
        let action = if counts.contains_key(&day) {
            NavAction::Day { date, page: 0 }
        } else {
            NavAction::Noop
        };
        week.push(Button::new(text, action));
        if week.len() == 7 {
            rows.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(Button::new("·", NavAction::Noop));
        }
        rows.push(week);
    }
    let recent = ctx.orders.recent(RECENT);
    if !recent.is_empty() {
        rows.push(recent.iter().map(order_button).collect());
    }
    rows.push(vec![Button::new(
        ctx.text(TextKey::ButtonSearch, &[]),
        NavAction::SearchPrompt,
    )]);
    let mut text = ctx.text(TextKey::OrderCalendar, &[]);
    if !recent.is_empty() {
        text.push('\n');
        text.push_str(&ctx.text(TextKey::CalendarRecent, &[]));
        text.push(' ');
        text.push_str(
            &recent
                .iter()
                .map(|o| o.number.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    Screen { text, rows }
}

/// One page of orders with ‹ › buttons and a way back to the calendar.
fn order_page(
    ctx: NavContext<'_>,
    text: String,
    page: &SearchPage,
    number: usize,
    goto: impl Fn(usize) -> NavAction,
) -> Screen {
    let mut rows: Vec<Vec<Button>> = page.orders.iter().map(|o| vec![order_button(o)]).collect();
    let mut paging = Vec::new();
    if number > 0 {
        paging.push(Button::new(
            ctx.text(TextKey::ButtonPagePrev, &[]),
            goto(number - 1),
        ));
    }
    if (number + 1) * PAGE_SIZE < page.total {
        paging.push(Button::new(
            ctx.text(TextKey::ButtonPageNext, &[]),
            goto(number + 1),
        ));
    }
    if !paging.is_empty() {
        rows.push(paging);
    }
    rows.push(vec![
        Button::new(
            ctx.text(TextKey::ButtonCalendar, &[]),
            NavAction::Month {
                year: ctx.today.year(),
                month: ctx.today.month(),
            },
        ),
        Button::new(
            ctx.text(TextKey::ButtonSearch, &[]),
            NavAction::SearchPrompt,
        ),
    ]);
    Screen { text, rows }
}

/// The orders of `date`, page `page`.
pub fn day(ctx: NavContext<'_>, date: NaiveDate, page: usize) -> Screen {
    let found = ctx.orders.on_day(date, page * PAGE_SIZE, PAGE_SIZE);
    let text = ctx.text(
        TextKey::OrderDay,
        &[
            ("date", date.format("%d.%m.%Y").to_string().into()),
            ("count", found.total.into()),
        ],
    );
    order_page(ctx, text, &found, page, |page| NavAction::Day {
        date,
        page,
    })
}

/// Search results for `query`, page `page`; a clear message when nothing matches.
pub fn search(ctx: NavContext<'_>, query: &str, page: usize) -> Screen {
    let query = query.trim();
    let found = ctx.orders.search(query, page * PAGE_SIZE, PAGE_SIZE);
    if found.total == 0 {
        let text = ctx.text(TextKey::OrderSearchNone, &[("query", query.into())]);
        return order_page(ctx, text, &found, 0, |_| NavAction::Noop);
    }
    let text = ctx.text(
        TextKey::OrderSearchResults,
        &[("query", query.into()), ("count", found.total.into())],
    );
    let owned = query.to_owned();
    order_page(ctx, text, &found, page, move |page| NavAction::Search {
        query: owned.clone(),
        page,
    })
}

/// The stage buttons of an order.
pub fn stages(ctx: NavContext<'_>, order: &Order) -> Screen {
    let mut rows: Vec<Vec<Button>> = ctx
        .stages
        .iter()
        .map(|stage| {
            vec![Button::new(
                stage.title.clone(),
                NavAction::Stage {
                    folder: order.folder.clone(),
                    stage: stage.folder.clone(),
                },
            )]
        })
        .collect();
    rows.push(vec![Button::new(
        ctx.text(TextKey::ButtonOtherOrder, &[]),
        NavAction::Month {
            year: ctx.today.year(),
            month: ctx.today.month(),
        },
    )]);
    Screen {
        text: ctx.text(
            TextKey::StageChoose,
            &[("order", order.folder.as_str().into())],
        ),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::config::Config;
    use crate::dialogue::Action;
    use crate::orders::DateSource;
    use crate::texts::Language;

    fn index(orders: &[(&str, u32, u32)]) -> OrderIndex {
        let mut index = OrderIndex::new();
        let orders = orders
            .iter()
            .map(|(folder, month, day)| {
                let created = Utc
                    .with_ymd_and_hms(2026, *month, *day, 10, 0, 0)
                    .single()
                    .expect("time");
                let name = crate::orders::OrderName::parse(folder, "closed").expect("name");
                Order {
                    folder: (*folder).to_owned(),
                    number: name.number,
                    plate: name.plate,
                    created,
                    date: created.date_naive(),
                    date_source: DateSource::Birth,
                }
            })
            .collect();
        index.replace_all(orders, Utc::now());
        index
    }

    fn labels(screen: &Screen) -> Vec<Vec<String>> {
        screen
            .rows
            .iter()
            .map(|row| row.iter().map(|b| b.label.clone()).collect())
            .collect()
    }

    #[test]
    fn november_2026_calendar_marks_counts_and_today() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let config = Config::default();
        let orders = index(&[
            ("ЗН-1", 11, 2),
            ("ЗН-2", 11, 2),
            ("ЗН-3", 11, 23),
            ("ЗН-4", 10, 31),
        ]);
        let ctx = NavContext {
            orders: &orders,
            stages: &config.stages,
            texts: &texts,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        };
        let screen = calendar(ctx, 2026, 11);
        let rows = labels(&screen);
        assert_eq!(rows[0], ["‹", "Ноябрь 2026", "›"]);
        assert_eq!(rows[1], ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]);
        // 1 November 2026 is a Sunday.
        assert_eq!(rows[2], ["·", "·", "·", "·", "·", "·", "1"]);
        assert_eq!(rows[3][0], "2(2)");
        assert!(
            rows.iter().flatten().any(|l| l == "[23(1)]"),
            "today is highlighted: {rows:?}"
        );
        let day_two = &screen.rows[3][0];
        assert_eq!(
            day_two.action,
            NavAction::Day {
                date: NaiveDate::from_ymd_opt(2026, 11, 2).expect("date"),
                page: 0
            }
        );
        assert_eq!(
            screen.rows[2][6].action,
            NavAction::Noop,
            "days without orders do nothing"
        );
        assert_eq!(
            screen.rows[0][0].action,
            NavAction::Month {
                year: 2026,
                month: 10
            }
        );
        assert_eq!(
            screen.rows[0][2].action,
            NavAction::Month {
                year: 2026,
                month: 12
            }
        );
        let recent = &rows[rows.len() - 2];
        assert_eq!(
            recent,
            &["ЗН-3", "ЗН-1", "ЗН-2"],
            "recent row, newest first"
        );
        assert_eq!(rows.last().expect("search row"), &["🔎 Поиск"]);
        assert!(screen.rows.iter().map(Vec::len).sum::<usize>() <= 100);
    }

    #[test]
    fn december_wraps_to_january_of_the_next_year() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let config = Config::default();
        let orders = index(&[]);
        let ctx = NavContext {
            orders: &orders,
            stages: &config.stages,
            texts: &texts,
            today: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        };
        let screen = calendar(ctx, 2026, 12);
        assert_eq!(
            screen.rows[0][2].action,
            NavAction::Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(
            labels(&screen).last().expect("row"),
            &["🔎 Поиск"],
            "no recent row without orders"
        );
        let weeks = &screen.rows[2..screen.rows.len() - 1];
        assert_eq!(
            weeks
                .iter()
                .flatten()
                .filter(|b| b.label.trim_matches(['[', ']']).parse::<u32>().is_ok())
                .count(),
            31
        );
    }

    #[test]
    fn search_and_day_pages() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let config = Config::default();
        let many: Vec<(String, u32, u32)> = (1..=20)
            .map(|i| (format!("ЗН-{i:03} А{i:03}ВС77"), 11, 2))
            .collect();
        let refs: Vec<(&str, u32, u32)> =
            many.iter().map(|(f, m, d)| (f.as_str(), *m, *d)).collect();
        let orders = index(&refs);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let ctx = NavContext {
            orders: &orders,
            stages: &config.stages,
            texts: &texts,
            today,
        };
        let first = search(ctx, "a0", 0);
        assert!(first.text.contains("20"), "{}", first.text);
        assert_eq!(
            first
                .rows
                .iter()
                .filter(|r| matches!(r[0].action, Action::Nav(NavAction::Order { .. })))
                .count(),
            PAGE_SIZE
        );
        let paging = &first.rows[PAGE_SIZE];
        assert_eq!(paging.len(), 1, "no ‹ on the first page");
        assert_eq!(
            paging[0].action,
            NavAction::Search {
                query: "a0".into(),
                page: 1
            }
        );
        let last = search(ctx, "a0", 2);
        assert_eq!(
            last.rows
                .iter()
                .filter(|r| matches!(r[0].action, Action::Nav(NavAction::Order { .. })))
                .count(),
            4
        );
        assert_eq!(
            last.rows[4][0].action,
            NavAction::Search {
                query: "a0".into(),
                page: 1
            }
        );
        let none = search(ctx, "zzz", 0);
        assert!(none.text.contains("не найдено"), "{}", none.text);
        let day_page = day(ctx, NaiveDate::from_ymd_opt(2026, 11, 2).expect("date"), 1);
        assert!(
            day_page.text.contains("02.11.2026 (20)"),
            "{}",
            day_page.text
        );
        assert_eq!(day_page.rows[PAGE_SIZE].len(), 2, "‹ and › in the middle");
    }

    #[test]
    fn stage_buttons_and_long_labels() {
        let texts = Texts::new(Language::Russian).expect("texts");
        let config = Config::default();
        let long = format!("ЗН-1 {}", "Ж".repeat(100));
        let orders = index(&[(long.as_str(), 11, 2)]);
        let ctx = NavContext {
            orders: &orders,
            stages: &config.stages,
            texts: &texts,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        };
        let order = orders.get(&long).expect("order").clone();
        let screen = stages(ctx, &order);
        assert_eq!(screen.rows.len(), config.stages.len() + 1);
        assert_eq!(screen.rows[4][0].label, "Для сервисных нужд");
        assert_eq!(
            screen.rows[4][0].action,
            NavAction::Stage {
                folder: long.clone(),
                stage: "Service".into()
            }
        );
        assert_eq!(label(&long).chars().count(), MAX_LABEL_CHARS);
    }
}
