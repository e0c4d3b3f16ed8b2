//! What the window says, decided from codes: every error, field problem and bot state becomes a
//! text of the configured language from the Fluent files (`config/locales/*/desktop.ftl`). The
//! technical detail (often a library's English) goes to the "подробности" line, never in its
//! place.

use servicebot_core::config::{NameProblem, Problem, STAGE_TITLE_MAX};
use servicebot_core::texts::{TextKey, Texts};
use servicebot_telegram::BotProblem;

use crate::dto::{CommandError, FieldError};
use crate::{AppError, ErrorCode};

/// The text of a settings problem.
pub(crate) fn problem_text(texts: &Texts, problem: Problem) -> String {
    let key = match problem {
        Problem::TokenMalformed => TextKey::GuiProblemTokenMalformed,
        Problem::ApiUrlScheme => TextKey::GuiProblemApiUrlScheme,
        Problem::Empty | Problem::BadName(NameProblem::Empty) => TextKey::GuiProblemEmpty,
        Problem::TitleTooLong => {
            return texts.get(
                TextKey::GuiProblemTitleTooLong,
                &[("max", STAGE_TITLE_MAX.into())],
            );
        }
        Problem::BadName(NameProblem::ForbiddenCharacter) => {
            TextKey::GuiProblemNameForbiddenCharacter
        }
        Problem::BadName(NameProblem::RelativePath) => TextKey::GuiProblemNameRelative,
        Problem::BadName(NameProblem::EdgeSpaceOrDot) => TextKey::GuiProblemNameEdge,
        Problem::BadName(NameProblem::Reserved) => TextKey::GuiProblemNameReserved,
        Problem::BadName(NameProblem::TooLong) => TextKey::GuiProblemNameTooLong,
        Problem::ZeroSeconds => TextKey::GuiProblemZeroSeconds,
        Problem::UnknownLanguage => TextKey::GuiProblemUnknownLanguage,
        Problem::CountryCode => TextKey::GuiProblemCountryCode,
        Problem::NoStages => TextKey::GuiProblemNoStages,
        Problem::FolderReserved => TextKey::GuiProblemFolderReserved,
        Problem::FolderDuplicate => TextKey::GuiProblemFolderDuplicate,
        Problem::ApprovalNeedsVisible => TextKey::GuiProblemApprovalNeedsVisible,
        Problem::NoVisibleStage => TextKey::GuiProblemNoVisibleStage,
    };
    texts.get(key, &[])
}

/// A field problem as the window shows it.
pub(crate) fn field_error(texts: &Texts, field: &str, problem: Problem) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: problem.code().to_owned(),
        message: problem_text(texts, problem),
    }
}

/// What a bot problem means for the manager.
pub(crate) fn bot_problem_text(texts: &Texts, problem: BotProblem) -> String {
    let key = match problem {
        BotProblem::TokenMissing => TextKey::GuiBotProblemTokenMissing,
        BotProblem::TokenRejected => TextKey::GuiBotProblemTokenRejected,
        BotProblem::BadApiUrl => TextKey::GuiBotProblemBadApiUrl,
        BotProblem::Unreachable => TextKey::GuiBotProblemUnreachable,
        BotProblem::Conflict => TextKey::GuiBotProblemConflict,
    };
    texts.get(key, &[])
}

/// The message for an error code; the error's own (technical) message becomes the details.
pub(crate) fn command_error(texts: &Texts, error: &AppError) -> CommandError {
    let key = match error.code {
        ErrorCode::ConfigMissing => TextKey::GuiErrorConfigMissing,
        ErrorCode::ConfigInvalid => TextKey::GuiErrorConfigInvalid,
        ErrorCode::OrdersRootUnavailable => TextKey::GuiErrorOrdersRootUnavailable,
        ErrorCode::Storage => TextKey::GuiErrorStorage,
        ErrorCode::NotFound => TextKey::GuiErrorNotFound,
        ErrorCode::Ambiguous => TextKey::GuiErrorAmbiguous,
        ErrorCode::InvalidInput => TextKey::GuiErrorInvalidInput,
        ErrorCode::LastAdmin => TextKey::GuiErrorLastAdmin,
        ErrorCode::Internal => TextKey::GuiErrorInternal,
        ErrorCode::BotNotConfigured => TextKey::GuiErrorBotNotConfigured,
        ErrorCode::BotNameUnknown => TextKey::GuiInviteNoBot,
    };
    CommandError {
        code: error.code.as_str().to_owned(),
        message: texts.get(key, &[]),
        details: Some(error.message.clone()).filter(|m| !m.is_empty()),
        fields: Vec::new(),
    }
}

/// Why the desktop app could not start, before any configuration (and so any language) is
/// known: said in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LaunchProblem {
    /// `--config` without a file after it.
    ConfigNeedsFile,
    UnknownArgument(String),
    /// The app could not open: `details` says why (a settings file that does not parse, a
    /// data folder that cannot be written, no display).
    Failed {
        details: String,
    },
}

/// The message box text for `problem`: a sentence, then the technical detail if any.
pub fn launch_problem_text(problem: &LaunchProblem) -> String {
    let Ok(texts) = Texts::new(servicebot_core::texts::Language::Russian) else {
        return format!("{problem:?}");
    };
    match problem {
        LaunchProblem::ConfigNeedsFile => texts.get(TextKey::GuiLaunchConfigNeedsFile, &[]),
        LaunchProblem::UnknownArgument(argument) => texts.get(
            TextKey::GuiLaunchUnknownArgument,
            &[("argument", argument.as_str().into())],
        ),
        LaunchProblem::Failed { details } => {
            format!("{}\n\n{details}", texts.get(TextKey::GuiLaunchFailed, &[]))
        }
    }
}

/// `error` for people, in Russian: for failures before any configuration (and so any language)
/// is known, such as a settings file that cannot be read at start.
pub fn explain(error: &AppError) -> CommandError {
    match Texts::new(servicebot_core::texts::Language::Russian) {
        Ok(texts) => command_error(&texts, error),
        Err(_) => CommandError {
            code: error.code.as_str().to_owned(),
            message: error.message.clone(),
            details: None,
            fields: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use servicebot_core::texts::Language;

    use super::*;

    #[test]
    fn every_error_code_has_a_russian_message_and_keeps_the_detail() {
        let texts = Texts::new(Language::Russian).expect("ru");
        for code in ErrorCode::ALL {
            let error = AppError::new(*code, "database is locked");
            let shown = command_error(&texts, &error);
            assert_eq!(shown.code, code.as_str());
            assert!(
                shown.message.chars().any(|c| ('а'..='я').contains(&c)),
                "{code:?} must say it in Russian: {}",
                shown.message
            );
            assert!(
                !shown.message.contains("locked"),
                "no raw text in the message"
            );
            assert_eq!(shown.details.as_deref(), Some("database is locked"));
        }
    }

    #[test]
    fn problems_read_as_sentences_not_ids() {
        let texts = Texts::new(Language::Russian).expect("ru");
        let cases = [
            (Problem::TokenMalformed, "@BotFather"),
            (Problem::TitleTooLong, "60"),
            (Problem::BadName(NameProblem::Reserved), "Windows"),
            (Problem::FolderDuplicate, "другого этапа"),
        ];
        for (problem, expected) in cases {
            let text = problem_text(&texts, problem);
            assert!(text.contains(expected), "{problem:?}: {text}");
            assert!(!text.starts_with("gui-"), "{problem:?} has a text: {text}");
        }
    }
}
