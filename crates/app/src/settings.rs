//! The settings page: the configuration as the window shows it (never the token), a draft's
//! problems field by field, and saving it atomically. What the file holds is edited, not the
//! effective configuration: values that come from the environment (`SERVICEBOT_TOKEN`, …) are
//! not written into the file.

use std::path::{Path, PathBuf};

use servicebot_core::Config;
use servicebot_core::config::{self, BotToken, Stage, problems};
use servicebot_core::texts::{TextKey, Texts};

use crate::dto::{FieldError, SettingsDraft, SettingsView, StageDto, TokenHint};
use crate::gui_text::field_error;
use crate::{AppError, ErrorCode, Result};

/// The configuration as the file holds it (no environment overrides, relative paths kept), or
/// the embedded defaults when there is no file yet.
pub(crate) fn file_config(path: &Path) -> Result<Option<Config>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(AppError::new(
                ErrorCode::ConfigInvalid,
                format!("cannot read config file {}: {error}", path.display()),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(Some(Config::parse(text)?))
}

/// The settings page: the values of `file` (what the settings file holds, which a save
/// writes), with the token's hint and what is missing taken from `effective` (the
/// configuration the app runs with, the environment's overrides applied), so a value that
/// comes from `SERVICEBOT_ORDERS_ROOT` or `SERVICEBOT_TOKEN` is never written into the file.
pub(crate) fn view(
    file: &Config,
    effective: &Config,
    config_path: &Path,
    first_run: bool,
    texts: &Texts,
) -> SettingsView {
    let token = &effective.telegram.token;
    SettingsView {
        token: TokenHint {
            set: !token.is_empty(),
            ends_with: token.hint(),
        },
        api_url: file.telegram.api_url.clone(),
        orders_root: file.orders.root.display().to_string(),
        organization_name: file.organization.name.clone(),
        closed_keyword: file.orders.closed_keyword.clone(),
        language: file.organization.language.clone(),
        default_country_code: file.phone.default_country_code.clone(),
        stages: file.stages.iter().map(stage_dto).collect(),
        config_path: config_path.display().to_string(),
        first_run,
        missing: missing(effective, texts),
    }
}

/// What the bot needs before it can run: a token and an orders folder.
pub(crate) fn missing(config: &Config, texts: &Texts) -> Vec<FieldError> {
    let mut missing = Vec::new();
    if config.telegram.token.is_empty() {
        missing.push(FieldError {
            field: "telegram.token".to_owned(),
            code: "missing".to_owned(),
            message: texts.get(TextKey::GuiProblemTokenMissing, &[]),
        });
    }
    if config.orders.root.as_os_str().is_empty() {
        missing.push(FieldError {
            field: "orders.root".to_owned(),
            code: "missing".to_owned(),
            message: texts.get(TextKey::GuiProblemRootMissing, &[]),
        });
    }
    missing
}

fn stage_dto(stage: &Stage) -> StageDto {
    StageDto {
        title: stage.title.clone(),
        folder: stage.folder.clone(),
        client_visible: stage.client_visible,
        approval: stage.approval,
    }
}

/// `base` (the file's configuration) with the draft's values; the token is kept when the draft
/// leaves it out or empty.
pub(crate) fn apply(base: &Config, draft: &SettingsDraft) -> Config {
    let mut config = base.clone();
    if let Some(token) = draft.token.as_deref().filter(|t| !t.trim().is_empty()) {
        config.telegram.token = BotToken::new(token);
    }
    config.telegram.api_url = draft.api_url.trim().to_owned();
    config.orders.root = PathBuf::from(draft.orders_root.trim());
    config.orders.closed_keyword = draft.closed_keyword.trim().to_owned();
    config.organization.name = draft.organization_name.trim().to_owned();
    config.organization.language = draft.language.trim().to_owned();
    config.phone.default_country_code = draft.default_country_code.trim().to_owned();
    config.stages = draft
        .stages
        .iter()
        .map(|stage| Stage {
            title: stage.title.trim().to_owned(),
            folder: stage.folder.trim().to_owned(),
            client_visible: stage.client_visible,
            approval: stage.approval,
        })
        .collect();
    config
}

/// Every problem of the configuration `draft` would make, each next to its field.
pub(crate) fn draft_problems(
    base: &Config,
    draft: &SettingsDraft,
    texts: &Texts,
) -> Vec<FieldError> {
    problems(&apply(base, draft))
        .into_iter()
        .map(|found| field_error(texts, &found.key, found.problem))
        .collect()
}

/// Validates `draft` over `base` and writes the result to `path` atomically.
pub(crate) fn save(
    path: &Path,
    base: &Config,
    draft: &SettingsDraft,
    texts: &Texts,
) -> std::result::Result<Config, SaveError> {
    let config = apply(base, draft);
    let fields: Vec<FieldError> = problems(&config)
        .into_iter()
        .map(|found| field_error(texts, &found.key, found.problem))
        .collect();
    if !fields.is_empty() {
        return Err(SaveError::Invalid(fields));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            SaveError::Failed(AppError::new(
                ErrorCode::Storage,
                format!("cannot create the settings folder {}: {e}", dir.display()),
            ))
        })?;
    }
    config::save(path, &config).map_err(|e| SaveError::Failed(e.into()))?;
    tracing::info!(path = %path.display(), "settings saved");
    Ok(config)
}

/// Why a draft was not saved.
#[derive(Debug)]
pub(crate) enum SaveError {
    /// The draft has problems; nothing was written.
    Invalid(Vec<FieldError>),
    /// Writing failed; the old file is untouched.
    Failed(AppError),
}

#[cfg(test)]
mod tests {
    use servicebot_core::texts::Language;

    use super::*;

    const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";

    fn texts() -> Texts {
        Texts::new(Language::Russian).expect("ru")
    }

    #[test]
    fn settings_round_trip_through_the_file_and_keep_the_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ServiceBot").join("config.toml");
        let texts = texts();
        assert!(file_config(&path).expect("no file is fine").is_none());
        let base = Config::default();
        let first = view(&base, &base, &path, true, &texts);
        let fields: Vec<&str> = first.missing.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(
            fields,
            ["telegram.token", "orders.root"],
            "first run marks both"
        );

        let mut draft = first.to_draft();
        draft.token = Some(format!("  {TOKEN} "));
        draft.orders_root = "/srv/photo".to_owned();
        draft.organization_name = "Автоцентр Север".to_owned();
        draft.stages.swap(0, 1);
        save(&path, &base, &draft, &texts).expect("saves");

        let saved = file_config(&path).expect("reads").expect("written");
        assert_eq!(saved.telegram.token.expose(), TOKEN, "trimmed");
        assert_eq!(saved.organization.name, "Автоцентр Север");
        assert_eq!(saved.stages[0].folder, base.stages[1].folder, "order kept");
        let again = view(&saved, &saved, &path, false, &texts);
        assert!(again.missing.is_empty());
        assert_eq!(again.token.ends_with, "••saw1");
        let shown = serde_json::to_string(&again).expect("serialises");
        assert!(
            !shown.contains("AAHdqTcv"),
            "the token never leaves: {shown}"
        );

        // A draft without a token keeps the saved one.
        let mut rename = again.to_draft();
        rename.organization_name = "Север".to_owned();
        save(&path, &saved, &rename, &texts).expect("saves");
        let kept = file_config(&path).expect("reads").expect("written");
        assert_eq!(kept.telegram.token.expose(), TOKEN);
        assert_eq!(kept.organization.name, "Север");
    }

    #[test]
    fn an_invalid_draft_reports_each_field_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        let texts = texts();
        let base = Config::default();
        let mut draft = view(&base, &base, &path, true, &texts).to_draft();
        draft.token = Some("12345".to_owned());
        draft.api_url = "api.telegram.org".to_owned();
        draft.stages[1].folder = "CON".to_owned();
        let problems = draft_problems(&base, &draft, &texts);
        let fields: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("telegram.token", "token_malformed"),
                ("telegram.api_url", "api_url_scheme"),
                ("stages[1].folder", "name_reserved"),
            ]
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
        match save(&path, &base, &draft, &texts) {
            Err(SaveError::Invalid(fields)) => assert_eq!(fields, problems),
            other => panic!("expected field errors, got {other:?}"),
        }
        assert!(!path.exists(), "nothing written");
    }
}
