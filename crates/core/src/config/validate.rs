//! Validation rules that serde's types cannot express. Every rule reports the key it concerns
//! and a [`Problem`] code, and all of them are checked at once, so the settings window can show
//! each error next to its field while the user types; the command line shows the first.

use std::collections::HashSet;

use super::{Config, ConfigError, FROM_CLIENT_FOLDER};
use crate::win_names::{self, NameProblem};

/// The longest stage title (it is a button label in Telegram).
pub const STAGE_TITLE_MAX: usize = 60;

/// What is wrong with one configuration value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// `telegram.token` is not `<digits>:<secret>` as BotFather issues it.
    TokenMalformed,
    /// `telegram.api_url` is not an http(s) URL.
    ApiUrlScheme,
    /// A value that must not be empty is.
    Empty,
    /// A stage title longer than [`STAGE_TITLE_MAX`] characters.
    TitleTooLong,
    /// A file or folder name Windows would refuse.
    BadName(NameProblem),
    /// `orders.rescan_seconds` is zero.
    ZeroSeconds,
    /// `organization.language` is neither `ru` nor `en`.
    UnknownLanguage,
    /// `phone.default_country_code` is not 1 to 3 digits.
    CountryCode,
    /// No stages at all.
    NoStages,
    /// A stage folder named like the folder for clients' files.
    FolderReserved,
    /// Two stages share a folder (case-insensitively, as on Windows).
    FolderDuplicate,
    /// A stage asks for approval but clients never see it.
    ApprovalNeedsVisible,
    /// No stage is visible to clients.
    NoVisibleStage,
}

impl Problem {
    /// A stable code for the UI to branch on.
    pub fn code(self) -> &'static str {
        match self {
            Self::TokenMalformed => "token_malformed",
            Self::ApiUrlScheme => "api_url_scheme",
            Self::Empty => "empty",
            Self::TitleTooLong => "title_too_long",
            Self::BadName(NameProblem::Empty) => "empty",
            Self::BadName(NameProblem::ForbiddenCharacter) => "name_forbidden_character",
            Self::BadName(NameProblem::RelativePath) => "name_relative",
            Self::BadName(NameProblem::EdgeSpaceOrDot) => "name_edge",
            Self::BadName(NameProblem::Reserved) => "name_reserved",
            Self::BadName(NameProblem::TooLong) => "name_too_long",
            Self::ZeroSeconds => "zero_seconds",
            Self::UnknownLanguage => "unknown_language",
            Self::CountryCode => "country_code",
            Self::NoStages => "no_stages",
            Self::FolderReserved => "folder_reserved",
            Self::FolderDuplicate => "folder_duplicate",
            Self::ApprovalNeedsVisible => "approval_needs_visible",
            Self::NoVisibleStage => "no_visible_stage",
        }
    }

    /// The reason in English, completing "config key `…` ", for the command line and logs.
    pub fn reason(self) -> String {
        match self {
            Self::TokenMalformed => {
                "does not look like a BotFather token (digits, a colon, then about 35 letters)"
                    .to_owned()
            }
            Self::ApiUrlScheme => "must start with https:// or http://".to_owned(),
            Self::Empty => "must not be empty".to_owned(),
            Self::TitleTooLong => format!("is longer than {STAGE_TITLE_MAX} characters"),
            Self::BadName(name) => name.reason().to_owned(),
            Self::ZeroSeconds => "must be at least 1".to_owned(),
            Self::UnknownLanguage => "must be \"ru\" or \"en\"".to_owned(),
            Self::CountryCode => "must be 1 to 3 digits, without +".to_owned(),
            Self::NoStages => "must list at least one stage".to_owned(),
            Self::FolderReserved => {
                format!("\"{FROM_CLIENT_FOLDER}\" is reserved for files sent by clients")
            }
            Self::FolderDuplicate => "is used by another stage".to_owned(),
            Self::ApprovalNeedsVisible => {
                "needs client_visible = true: the client cannot approve what they never see"
                    .to_owned()
            }
            Self::NoVisibleStage => "need at least one stage with client_visible = true".to_owned(),
        }
    }
}

/// One problem and the key it concerns (`telegram.token`, `stages[2].folder`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub key: String,
    pub problem: Problem,
}

/// Every problem of `config`, in the order of the file's keys.
pub fn problems(config: &Config) -> Vec<FieldProblem> {
    let mut found = Vec::new();
    let mut report = |key: &str, problem: Problem| {
        found.push(FieldProblem {
            key: key.to_owned(),
            problem,
        });
    };
    let token = &config.telegram.token;
    if !token.is_empty() && !token.looks_valid() {
        report("telegram.token", Problem::TokenMalformed);
    }
    let api_url = config.telegram.api_url.trim();
    if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
        report("telegram.api_url", Problem::ApiUrlScheme);
    }
    let keyword = config
        .orders
        .closed_keyword
        .trim_matches(|c| matches!(c, ' ' | '_' | '-'));
    if keyword.is_empty() {
        report("orders.closed_keyword", Problem::Empty);
    }
    if let Some(name) = win_names::problem(&config.orders.phone_file) {
        report("orders.phone_file", Problem::BadName(name));
    }
    if config.orders.rescan_seconds == 0 {
        report("orders.rescan_seconds", Problem::ZeroSeconds);
    }
    if !matches!(config.organization.language.as_str(), "ru" | "en") {
        report("organization.language", Problem::UnknownLanguage);
    }
    let code = &config.phone.default_country_code;
    if code.is_empty() || code.len() > 3 || !code.chars().all(|c| c.is_ascii_digit()) {
        report("phone.default_country_code", Problem::CountryCode);
    }
    stage_problems(config, &mut report);
    found
}

fn stage_problems(config: &Config, report: &mut impl FnMut(&str, Problem)) {
    if config.stages.is_empty() {
        report("stages", Problem::NoStages);
        return;
    }
    let mut folders = HashSet::new();
    for (i, stage) in config.stages.iter().enumerate() {
        let key = |field: &str| format!("stages[{i}].{field}");
        let title = stage.title.trim();
        if title.is_empty() {
            report(&key("title"), Problem::Empty);
        } else if title.chars().count() > STAGE_TITLE_MAX {
            report(&key("title"), Problem::TitleTooLong);
        }
        // Windows folder names are case-insensitive, so `Other` and `other` are one folder.
        let folded = stage.folder.to_lowercase();
        if let Some(name) = win_names::problem(&stage.folder) {
            report(&key("folder"), Problem::BadName(name));
        } else if folded == FROM_CLIENT_FOLDER.to_lowercase() {
            report(&key("folder"), Problem::FolderReserved);
        } else if !folders.insert(folded) {
            report(&key("folder"), Problem::FolderDuplicate);
        }
        if stage.approval && !stage.client_visible {
            report(&key("approval"), Problem::ApprovalNeedsVisible);
        }
    }
    if !config.stages.iter().any(|stage| stage.client_visible) {
        report("stages", Problem::NoVisibleStage);
    }
}

/// The first problem, as the error the command line prints.
pub(super) fn validate(config: &Config) -> Result<(), ConfigError> {
    match problems(config).into_iter().next() {
        None => Ok(()),
        Some(FieldProblem { key, problem }) => Err(ConfigError::Invalid {
            key,
            reason: problem.reason(),
        }),
    }
}
