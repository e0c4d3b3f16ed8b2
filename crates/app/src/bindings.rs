//! The TypeScript twins of [`crate::dto`], committed as `ui/src/bindings.ts` so the window is
//! type-checked against the shapes the commands really return.

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    use crate::dto::*;

    const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/bindings.ts");

    fn generated() -> String {
        let cfg = Config::default();
        let declarations = [
            CommandError::decl(&cfg),
            FieldError::decl(&cfg),
            UiTexts::decl(&cfg),
            StageDto::decl(&cfg),
            TokenHint::decl(&cfg),
            SettingsView::decl(&cfg),
            SettingsDraft::decl(&cfg),
            OrderBrief::decl(&cfg),
            OrdersRootCheck::decl(&cfg),
            BotState::decl(&cfg),
            ErrorNote::decl(&cfg),
            StatusDto::decl(&cfg),
            UserRow::decl(&cfg),
            UsersPageDto::decl(&cfg),
            UserEdit::decl(&cfg),
            OrderRow::decl(&cfg),
            OrdersPageDto::decl(&cfg),
            CalendarDayDto::decl(&cfg),
            CalendarMonthDto::decl(&cfg),
            ConnectedClient::decl(&cfg),
            OrderPhone::decl(&cfg),
            StageFiles::decl(&cfg),
            OrderDetail::decl(&cfg),
            InviteDto::decl(&cfg),
            VersionDto::decl(&cfg),
            TimelineMedia::decl(&cfg),
            TimelineApproval::decl(&cfg),
            TimelineItem::decl(&cfg),
            TimelineDto::decl(&cfg),
            FileFlag::decl(&cfg),
            FileChecks::decl(&cfg),
            ExportDto::decl(&cfg),
            UnansweredDto::decl(&cfg),
        ];
        let mut out = String::from(
            "// Generated from crates/app/src/dto.rs by ts-rs: do not edit.\n\
             // Regenerate: UPDATE_BINDINGS=1 cargo test -p servicebot-app bindings\n",
        );
        for declaration in declarations {
            out.push_str("\nexport ");
            out.push_str(&declaration);
            out.push('\n');
        }
        out
    }

    #[test]
    fn the_committed_typescript_is_current() {
        let fresh = generated();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(COMMITTED, &fresh).expect("write ui/src/bindings.ts");
        }
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/bindings.ts is stale: run UPDATE_BINDINGS=1 cargo test -p servicebot-app bindings"
        );
    }
}
