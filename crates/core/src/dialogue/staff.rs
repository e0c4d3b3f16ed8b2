//! The staff conversation: choosing the order and the stage, searching, and where their text
//! goes. `step` is pure: the adapter persists the state and executes the effects.

use chrono::Datelike;

use super::screens::{self, NavContext};
use super::{NavAction, Screen};
use crate::texts::TextKey;

/// Where a staff member is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffState {
    /// The current order folder.
    pub order: Option<String>,
    /// The current stage folder within it.
    pub stage: Option<String>,
    /// The next text is a search query (after "🔎 Поиск").
    pub awaiting_search: bool,
}

/// What the staff member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffInput {
    /// `/order` or `/order <text>`.
    OrderCommand { query: Option<String> },
    /// `/type`.
    TypeCommand,
    /// A text message that is not a known command.
    Text(String),
    /// A button press, already resolved from its key and authorised.
    Pressed(NavAction),
}

/// What the adapter must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffEffect {
    /// Send a new message with this screen.
    Send(Screen),
    /// Replace the pressed message with this screen.
    Edit(Screen),
    /// Send a plain message.
    Say(String),
    /// Answer the button press, with a short notice or none (never leave the spinner).
    Answer(Option<String>),
    /// The pinned card must show the current order and stage.
    RefreshCard,
    /// Send the staff member's text to the order's connected clients.
    RelayText { folder: String, text: String },
}

/// One step of the staff conversation.
pub fn step(
    state: &StaffState,
    input: StaffInput,
    ctx: NavContext<'_>,
) -> (StaffState, Vec<StaffEffect>) {
    let mut next = StaffState {
        awaiting_search: false,
        ..state.clone()
    };
    let say = |key: TextKey, order: &str| ctx.texts.get(key, &[("order", order.into())]);
    let today_calendar = || screens::calendar(ctx, ctx.today.year(), ctx.today.month());
    let effects = match input {
        StaffInput::OrderCommand { query: None } => vec![StaffEffect::Send(today_calendar())],
        StaffInput::OrderCommand { query: Some(query) } => {
            vec![StaffEffect::Send(screens::search(ctx, &query, 0))]
        }
        StaffInput::TypeCommand => match state.order.as_deref().and_then(|f| ctx.orders.get(f)) {
            Some(order) => vec![StaffEffect::Send(screens::stages(ctx, &order))],
            None => vec![StaffEffect::Send(today_calendar())],
        },
        StaffInput::Text(text) if text.trim_start().starts_with('/') => {
            next.awaiting_search = state.awaiting_search;
            vec![StaffEffect::Say(
                ctx.texts.get(TextKey::UnknownCommand, &[]),
            )]
        }
        StaffInput::Text(text) if state.awaiting_search => {
            vec![StaffEffect::Send(screens::search(ctx, &text, 0))]
        }
        StaffInput::Text(text) => match state.order.as_deref() {
            None => vec![StaffEffect::Say(ctx.texts.get(TextKey::TextNoOrder, &[]))],
            Some(folder) if ctx.orders.get(folder).is_none() => {
                next.order = None;
                next.stage = None;
                vec![
                    StaffEffect::Say(say(TextKey::OrderClosed, folder)),
                    StaffEffect::RefreshCard,
                ]
            }
            Some(folder) => vec![StaffEffect::RelayText {
                folder: folder.to_owned(),
                text,
            }],
        },
        StaffInput::Pressed(action) => pressed(state, &mut next, action, ctx),
    };
    (next, effects)
}

fn pressed(
    state: &StaffState,
    next: &mut StaffState,
    action: NavAction,
    ctx: NavContext<'_>,
) -> Vec<StaffEffect> {
    let ok = StaffEffect::Answer(None);
    let closed = |folder: &str| {
        let notice = ctx
            .texts
            .get(TextKey::OrderClosed, &[("order", folder.into())]);
        vec![
            StaffEffect::Answer(Some(notice)),
            StaffEffect::Edit(screens::calendar(ctx, ctx.today.year(), ctx.today.month())),
        ]
    };
    match action {
        NavAction::Noop => vec![ok],
        NavAction::Month { year, month } => {
            vec![ok, StaffEffect::Edit(screens::calendar(ctx, year, month))]
        }
        NavAction::Day { date, page } => vec![ok, StaffEffect::Edit(screens::day(ctx, date, page))],
        NavAction::Search { query, page } => {
            vec![ok, StaffEffect::Edit(screens::search(ctx, &query, page))]
        }
        NavAction::SearchPrompt => {
            next.awaiting_search = true;
            vec![
                ok,
                StaffEffect::Say(ctx.texts.get(TextKey::OrderSearchPrompt, &[])),
            ]
        }
        NavAction::Order { folder } => match ctx.orders.get(&folder) {
            None => closed(&folder),
            Some(order) => {
                next.order = Some(folder.clone());
                next.stage = None;
                vec![
                    ok,
                    StaffEffect::Edit(screens::stages(ctx, &order)),
                    StaffEffect::RefreshCard,
                ]
            }
        },
        NavAction::Stage { folder, stage } => {
            if ctx.orders.get(&folder).is_none() {
                if state.order.as_deref() == Some(folder.as_str()) {
                    next.order = None;
                    next.stage = None;
                }
                let mut effects = closed(&folder);
                effects.push(StaffEffect::RefreshCard);
                return effects;
            }
            let Some(stage_config) = ctx.stages.iter().find(|s| s.folder == stage) else {
                return vec![StaffEffect::Answer(Some(
                    ctx.texts.get(TextKey::StageUnknown, &[]),
                ))];
            };
            next.order = Some(folder.clone());
            next.stage = Some(stage.clone());
            let key = if stage_config.client_visible {
                TextKey::StageChosen
            } else {
                TextKey::StageChosenInternal
            };
            let text = ctx.texts.get(
                key,
                &[
                    ("order", folder.as_str().into()),
                    ("stage", stage_config.title.as_str().into()),
                ],
            );
            vec![
                StaffEffect::Answer(Some(ctx.texts.get(TextKey::CallbackOk, &[]))),
                StaffEffect::Edit(Screen {
                    text,
                    rows: Vec::new(),
                }),
                StaffEffect::RefreshCard,
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::config::Config;
    use crate::orders::{DateSource, Order, OrderIndex};
    use crate::texts::{Language, Texts};

    const OPEN: &str = "ЗН-1 А123ВС77";

    fn fixture() -> (OrderIndex, Config, Texts) {
        let mut index = OrderIndex::new();
        let created = Utc
            .with_ymd_and_hms(2026, 11, 2, 10, 0, 0)
            .single()
            .expect("time");
        index.replace_all(
            vec![Order {
                folder: OPEN.into(),
                number: "ЗН-1".into(),
                plate: Some("А123ВС77".into()),
                created,
                date: created.date_naive(),
                date_source: DateSource::Birth,
            }],
            created,
        );
        (
            index,
            Config::default(),
            Texts::new(Language::Russian).expect("texts"),
        )
    }

    /// The context on 23 November 2026.
    fn ctx<'a>(index: &'a OrderIndex, config: &'a Config, texts: &'a Texts) -> NavContext<'a> {
        NavContext {
            orders: index,
            stages: &config.stages,
            texts,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        }
    }

    fn in_order(stage: Option<&str>) -> StaffState {
        StaffState {
            order: Some(OPEN.into()),
            stage: stage.map(str::to_owned),
            awaiting_search: false,
        }
    }

    fn kinds(effects: &[StaffEffect]) -> Vec<&'static str> {
        effects
            .iter()
            .map(|e| match e {
                StaffEffect::Send(_) => "send",
                StaffEffect::Edit(_) => "edit",
                StaffEffect::Say(_) => "say",
                StaffEffect::Answer(_) => "answer",
                StaffEffect::RefreshCard => "card",
                StaffEffect::RelayText { .. } => "relay",
            })
            .collect()
    }

    #[test]
    fn staff_dialogue_table() {
        let (index, config, texts) = fixture();
        let ctx = ctx(&index, &config, &texts);
        let idle = StaffState::default();
        let searching = StaffState {
            awaiting_search: true,
            ..StaffState::default()
        };
        let stage = |s: &str| NavAction::Stage {
            folder: OPEN.into(),
            stage: s.into(),
        };
        let gone = NavAction::Order {
            folder: "ЗН-9 closed".into(),
        };
        // (state, input, expected state, expected effect kinds)
        let table: Vec<(StaffState, StaffInput, StaffState, Vec<&str>)> = vec![
            (
                idle.clone(),
                StaffInput::OrderCommand { query: None },
                idle.clone(),
                vec!["send"],
            ),
            (
                idle.clone(),
                StaffInput::OrderCommand {
                    query: Some("a123".into()),
                },
                idle.clone(),
                vec!["send"],
            ),
            (
                idle.clone(),
                StaffInput::Pressed(NavAction::SearchPrompt),
                searching.clone(),
                vec!["answer", "say"],
            ),
            (
                searching.clone(),
                StaffInput::Text("в456".into()),
                idle.clone(),
                vec!["send"],
            ),
            (
                searching.clone(),
                StaffInput::Text("/help".into()),
                searching.clone(),
                vec!["say"],
            ),
            (
                idle.clone(),
                StaffInput::Pressed(NavAction::Order {
                    folder: OPEN.into(),
                }),
                in_order(None),
                vec!["answer", "edit", "card"],
            ),
            (
                in_order(None),
                StaffInput::Pressed(stage("Inspection")),
                in_order(Some("Inspection")),
                vec!["answer", "edit", "card"],
            ),
            (
                in_order(Some("Inspection")),
                StaffInput::Pressed(stage("Nope")),
                in_order(Some("Inspection")),
                vec!["answer"],
            ),
            (
                in_order(Some("Inspection")),
                StaffInput::TypeCommand,
                in_order(Some("Inspection")),
                vec!["send"],
            ),
            (
                idle.clone(),
                StaffInput::TypeCommand,
                idle.clone(),
                vec!["send"],
            ),
            (
                in_order(Some("Other")),
                StaffInput::Text("Готово <b> & ок".into()),
                in_order(Some("Other")),
                vec!["relay"],
            ),
            (
                in_order(None),
                StaffInput::Text("без этапа тоже уходит".into()),
                in_order(None),
                vec!["relay"],
            ),
            (
                idle.clone(),
                StaffInput::Text("привет".into()),
                idle.clone(),
                vec!["say"],
            ),
            (
                in_order(Some("Other")),
                StaffInput::Text("/unknown".into()),
                in_order(Some("Other")),
                vec!["say"],
            ),
            (
                idle.clone(),
                StaffInput::Pressed(gone.clone()),
                idle.clone(),
                vec!["answer", "edit"],
            ),
            (
                idle.clone(),
                StaffInput::Pressed(NavAction::Noop),
                idle.clone(),
                vec!["answer"],
            ),
            (
                idle.clone(),
                StaffInput::Pressed(NavAction::Month {
                    year: 2026,
                    month: 10,
                }),
                idle.clone(),
                vec!["answer", "edit"],
            ),
        ];
        for (state, input, expected_state, expected) in table {
            let (next, effects) = step(&state, input.clone(), ctx);
            assert_eq!(next, expected_state, "state after {input:?} from {state:?}");
            assert_eq!(
                kinds(&effects),
                expected,
                "effects of {input:?} from {state:?}: {effects:?}"
            );
        }
    }

    #[test]
    fn a_closed_order_stops_relaying_and_says_so() {
        let (index, config, texts) = fixture();
        let ctx = ctx(&index, &config, &texts);
        let state = StaffState {
            order: Some("ЗН-7 closed".into()),
            stage: Some("Other".into()),
            awaiting_search: false,
        };
        let (next, effects) = step(&state, StaffInput::Text("привет".into()), ctx);
        assert_eq!(next, StaffState::default());
        assert!(
            matches!(&effects[0], StaffEffect::Say(text) if text.contains("закрыт")),
            "{effects:?}"
        );
        let (next, effects) = step(
            &state,
            StaffInput::Pressed(NavAction::Stage {
                folder: "ЗН-7 closed".into(),
                stage: "Other".into(),
            }),
            ctx,
        );
        assert_eq!(next.order, None);
        assert!(matches!(&effects[0], StaffEffect::Answer(Some(text)) if text.contains("закрыт")));
    }

    #[test]
    fn relayed_text_is_passed_unchanged_for_the_adapter_to_escape() {
        let (index, config, texts) = fixture();
        let ctx = ctx(&index, &config, &texts);
        let (_, effects) = step(
            &in_order(Some("Other")),
            StaffInput::Text("Цена <b>4 500</b> & скидка".into()),
            ctx,
        );
        assert_eq!(
            effects,
            [StaffEffect::RelayText {
                folder: OPEN.into(),
                text: "Цена <b>4 500</b> & скидка".into()
            }]
        );
    }
}
