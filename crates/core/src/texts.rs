//! Every text users see in Telegram, in Fluent files per language (`config/locales/<lang>/`),
//! looked up through [`TextKey`] so a missing text is a test failure, not a blank message.
//! Fluent handles Russian plural forms (`one`, `few`, `many`).

use std::borrow::Cow;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

const RU: &str = include_str!("../../../config/locales/ru/servicebot.ftl");
const EN: &str = include_str!("../../../config/locales/en/servicebot.ftl");
const RU_DESKTOP: &str = include_str!("../../../config/locales/ru/desktop.ftl");
const EN_DESKTOP: &str = include_str!("../../../config/locales/en/desktop.ftl");

/// The prefix of the window's own labels: handed to the interface as a whole
/// ([`Texts::ui_labels`]) rather than looked up one by one through [`TextKey`].
pub const UI_LABEL_PREFIX: &str = "ui-";

/// A language users can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Russian,
    English,
}

impl Language {
    pub const ALL: &[Language] = &[Language::Russian, Language::English];

    /// The config value (`organization.language`): `ru` or `en`; anything else is Russian.
    pub fn from_code(code: &str) -> Self {
        match code {
            "en" => Self::English,
            _ => Self::Russian,
        }
    }

    /// The language code and its Fluent files (the bot's texts, the desktop's).
    fn sources(self) -> (&'static str, [&'static str; 2]) {
        match self {
            Self::Russian => ("ru", [RU, RU_DESKTOP]),
            Self::English => ("en", [EN, EN_DESKTOP]),
        }
    }

    /// The config value for this language.
    pub fn code(self) -> &'static str {
        self.sources().0
    }
}

macro_rules! text_keys {
    ($($variant:ident = $id:literal),+ $(,)?) => {
        /// The id of a user-facing text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TextKey { $($variant),+ }

        impl TextKey {
            pub const ALL: &[TextKey] = &[$(TextKey::$variant),+];

            /// The Fluent message id.
            pub fn id(self) -> &'static str {
                match self { $(TextKey::$variant => $id),+ }
            }
        }
    };
}

text_keys! {
    StartGreeting = "start-greeting",
    StartAskPhone = "start-ask-phone",
    ButtonSharePhone = "button-share-phone",
    ContactNotOwn = "contact-not-own",
    ContactLinked = "contact-linked",
    ContactUnlinked = "contact-unlinked",
    AccessBlocked = "access-blocked",
    HelpClient = "help-client",
    HelpStaff = "help-staff",
    OrderCalendar = "order-calendar",
    OrderSearchPrompt = "order-search-prompt",
    OrderSearchNone = "order-search-none",
    OrderClosed = "order-closed",
    StageChoose = "stage-choose",
    Card = "card",
    CardNoClient = "card-no-client",
    MediaNoOrder = "media-no-order",
    ReceiptSent = "receipt-sent",
    ReceiptNoClient = "receipt-no-client",
    ReceiptInternal = "receipt-internal",
    ReceiptHeld = "receipt-held",
    ReceiptNotSaved = "receipt-not-saved",
    ReceiptTooBig = "receipt-too-big",
    StaffMessageHeader = "staff-message-header",
    ClientReplyHeader = "client-reply-header",
    ButtonSwitchOrder = "button-switch-order",
    ButtonApprove = "button-approve",
    ButtonDecline = "button-decline",
    ErrorInternal = "error-internal",
    ButtonSearch = "button-search",
    ButtonCalendar = "button-calendar",
    ButtonPrev = "button-prev",
    ButtonNext = "button-next",
    ButtonPagePrev = "button-page-prev",
    ButtonPageNext = "button-page-next",
    ButtonOtherOrder = "button-other-order",
    CalendarWeekdays = "calendar-weekdays",
    CalendarTitle = "calendar-title",
    CalendarRecent = "calendar-recent",
    MonthNames = "month-names",
    OrderDay = "order-day",
    OrderSearchResults = "order-search-results",
    StageChosen = "stage-chosen",
    StageChosenInternal = "stage-chosen-internal",
    StageUnknown = "stage-unknown",
    ButtonStale = "button-stale",
    NoPlate = "no-plate",
    NoStage = "no-stage",
    CallbackOk = "callback-ok",
    TextNoOrder = "text-no-order",
    TextSent = "text-sent",
    TextNoClient = "text-no-client",
    UnknownCommand = "unknown-command",
    CommandStart = "command-start",
    CommandHelp = "command-help",
    CommandOrder = "command-order",
    CommandType = "command-type",
    CommandAdmin = "command-admin",
    CardNone = "card-none",
    ContactInvalid = "contact-invalid",
    ClientNoOrder = "client-no-order",
    ClientMessage = "client-message",
    NotAllowed = "not-allowed",
    AdminMenu = "admin-menu",
    ButtonAdminUsers = "button-admin-users",
    ButtonAdminTranscript = "button-admin-transcript",
    ButtonAdminMenu = "button-admin-menu",
    ButtonCancel = "button-cancel",
    ButtonBackToUsers = "button-back-to-users",
    ButtonLevel = "button-level",
    ButtonRename = "button-rename",
    ButtonBlock = "button-block",
    ButtonUnblock = "button-unblock",
    LevelName = "level-name",
    NoPhone = "no-phone",
    AdminUsers = "admin-users",
    AdminUsersFound = "admin-users-found",
    AdminUserSearchPrompt = "admin-user-search-prompt",
    AdminUserCard = "admin-user-card",
    AdminUserUnknown = "admin-user-unknown",
    AdminRenamePrompt = "admin-rename-prompt",
    AdminRenamed = "admin-renamed",
    AdminNameInvalid = "admin-name-invalid",
    AdminDone = "admin-done",
    AdminLastAdmin = "admin-last-admin",
    AdminCancelled = "admin-cancelled",
    AdminTranscriptPrompt = "admin-transcript-prompt",
    AdminTranscriptFound = "admin-transcript-found",
    AdminTranscriptNone = "admin-transcript-none",
    AdminTranscriptEmpty = "admin-transcript-empty",
    AdminTranscriptTitle = "admin-transcript-title",
    AdminTranscriptFile = "admin-transcript-file",
    TranscriptWho = "transcript-who",
    TranscriptEdited = "transcript-edited",
    TranscriptFailed = "transcript-failed",
    TranscriptMedia = "transcript-media",
    TranscriptNotStored = "transcript-not-stored",
    MediaKind = "media-kind",
    InviteGreeting = "invite-greeting",
    InviteInvalid = "invite-invalid",
    InviteNotListed = "invite-not-listed",
    ClientLinkedLater = "client-linked-later",
    ButtonMaterials = "button-materials",
    MaterialsNone = "materials-none",
    MaterialsUnavailable = "materials-unavailable",
    ApprovalQuestion = "approval-question",
    ApprovalRecorded = "approval-recorded",
    ApprovalClosed = "approval-closed",
    ApprovalStaff = "approval-staff",
    ApprovalTranscript = "approval-transcript",
    ApprovalNoDescription = "approval-no-description",
    ButtonCloseApproval = "button-close-approval",
    ApprovalFixed = "approval-fixed",
    ClientEditedHeader = "client-edited-header",
    EventClientLinked = "event-client-linked",
    EventDeliveryFailed = "event-delivery-failed",
    DeliveryFailedStaff = "delivery-failed-staff",
    ReasonBlockedBot = "reason-blocked-bot",
    ReasonRefused = "reason-refused",
    ReasonUndeliverable = "reason-undeliverable",
    TextSending = "text-sending",
    TextDelivered = "text-delivered",
    TextNotDelivered = "text-not-delivered",
    ReceiptSaving = "receipt-saving",
    ReceiptSaved = "receipt-saved",
    ButtonStaleClient = "button-stale-client",
    ApprovalChanged = "approval-changed",
    ReasonFileDownload = "reason-file-download",
    ReasonFileWrite = "reason-file-write",
    // The desktop window and tray (config/locales/<lang>/desktop.ftl).
    GuiBotRunning = "gui-bot-running",
    GuiBotStarting = "gui-bot-starting",
    GuiBotStopped = "gui-bot-stopped",
    GuiBotError = "gui-bot-error",
    GuiBotProblemTokenMissing = "gui-bot-problem-token-missing",
    GuiBotProblemTokenRejected = "gui-bot-problem-token-rejected",
    GuiBotProblemBadApiUrl = "gui-bot-problem-bad-api-url",
    GuiBotProblemUnreachable = "gui-bot-problem-unreachable",
    GuiBotProblemConflict = "gui-bot-problem-conflict",
    GuiTrayRunning = "gui-tray-running",
    GuiTrayStarting = "gui-tray-starting",
    GuiTrayStopped = "gui-tray-stopped",
    GuiTrayError = "gui-tray-error",
    GuiMenuOpen = "gui-menu-open",
    GuiMenuStart = "gui-menu-start",
    GuiMenuStop = "gui-menu-stop",
    GuiMenuOpenFolder = "gui-menu-open-folder",
    GuiMenuQuit = "gui-menu-quit",
    GuiRootOk = "gui-root-ok",
    GuiRootFound = "gui-root-found",
    GuiRootNotSet = "gui-root-not-set",
    GuiRootNotAbsolute = "gui-root-not-absolute",
    GuiRootNotFound = "gui-root-not-found",
    GuiRootNotFolder = "gui-root-not-folder",
    GuiRootDenied = "gui-root-denied",
    GuiRootPending = "gui-root-pending",
    GuiRootUnreachable = "gui-root-unreachable",
    GuiProblemTokenMissing = "gui-problem-token-missing",
    GuiProblemRootMissing = "gui-problem-root-missing",
    GuiProblemTokenMalformed = "gui-problem-token-malformed",
    GuiProblemApiUrlScheme = "gui-problem-api-url-scheme",
    GuiProblemEmpty = "gui-problem-empty",
    GuiProblemTitleTooLong = "gui-problem-title-too-long",
    GuiProblemNameForbiddenCharacter = "gui-problem-name-forbidden-character",
    GuiProblemNameRelative = "gui-problem-name-relative",
    GuiProblemNameEdge = "gui-problem-name-edge",
    GuiProblemNameReserved = "gui-problem-name-reserved",
    GuiProblemNameTooLong = "gui-problem-name-too-long",
    GuiProblemZeroSeconds = "gui-problem-zero-seconds",
    GuiProblemUnknownLanguage = "gui-problem-unknown-language",
    GuiProblemCountryCode = "gui-problem-country-code",
    GuiProblemNoStages = "gui-problem-no-stages",
    GuiProblemFolderReserved = "gui-problem-folder-reserved",
    GuiProblemFolderDuplicate = "gui-problem-folder-duplicate",
    GuiProblemApprovalNeedsVisible = "gui-problem-approval-needs-visible",
    GuiProblemNoVisibleStage = "gui-problem-no-visible-stage",
    GuiErrorConfigMissing = "gui-error-config-missing",
    GuiErrorConfigInvalid = "gui-error-config-invalid",
    GuiErrorOrdersRootUnavailable = "gui-error-orders-root-unavailable",
    GuiErrorStorage = "gui-error-storage",
    GuiErrorNotFound = "gui-error-not-found",
    GuiErrorAmbiguous = "gui-error-ambiguous",
    GuiErrorInvalidInput = "gui-error-invalid-input",
    GuiErrorLastAdmin = "gui-error-last-admin",
    GuiErrorInternal = "gui-error-internal",
    GuiErrorBotNotConfigured = "gui-error-bot-not-configured",
    GuiLaunchConfigNeedsFile = "gui-launch-config-needs-file",
    GuiLaunchUnknownArgument = "gui-launch-unknown-argument",
    GuiLaunchFailed = "gui-launch-failed",
    // The evidence pack and the manager's pages (desktop.ftl).
    PackTitle = "pack-title",
    PackLanguage = "pack-language",
    PackOrganization = "pack-organization",
    PackOrder = "pack-order",
    PackFolder = "pack-folder",
    PackCreated = "pack-created",
    PackGenerated = "pack-generated",
    PackFlaggedSummary = "pack-flagged-summary",
    PackHashHowto = "pack-hash-howto",
    PackFiles = "pack-files",
    PackColPreview = "pack-col-preview",
    PackColFile = "pack-col-file",
    PackColStage = "pack-col-stage",
    PackColTime = "pack-col-time",
    PackColAuthor = "pack-col-author",
    PackColSize = "pack-col-size",
    PackColHash = "pack-col-hash",
    PackColDelivery = "pack-col-delivery",
    PackHashOk = "pack-hash-ok",
    PackHashChanged = "pack-hash-changed",
    PackFileMissing = "pack-file-missing",
    PackNotStored = "pack-not-stored",
    PackDelivered = "pack-delivered",
    PackNotDelivered = "pack-not-delivered",
    PackDeliveryPending = "pack-delivery-pending",
    PackInternal = "pack-internal",
    PackNoClient = "pack-no-client",
    PackFromClient = "pack-from-client",
    PackApprovals = "pack-approvals",
    PackColWork = "pack-col-work",
    PackColDecision = "pack-col-decision",
    PackColClient = "pack-col-client",
    PackColPhone = "pack-col-phone",
    PackDecision = "pack-decision",
    PackMessages = "pack-messages",
    PackUserChange = "pack-user-change",
    GuiInviteSms = "gui-invite-sms",
    GuiInviteSmsNoOrganization = "gui-invite-sms-no-organization",
    GuiInviteNoBot = "gui-invite-no-bot",
    GuiNotifyTitle = "gui-notify-title",
    GuiNotifyBody = "gui-notify-body",
    GuiActorCli = "gui-actor-cli",
    GuiActorGui = "gui-actor-gui",
    GuiStageFromClient = "gui-stage-from-client",
}

/// An argument value for a text.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Str(Cow<'a, str>),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(value))
    }
}

impl From<String> for Arg<'_> {
    fn from(value: String) -> Self {
        Arg::Str(Cow::Owned(value))
    }
}

impl From<usize> for Arg<'_> {
    fn from(value: usize) -> Self {
        Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<i64> for Arg<'_> {
    fn from(value: i64) -> Self {
        Arg::Number(value)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TextsError {
    #[error("locale file {language} has syntax errors: {details}")]
    Syntax {
        language: &'static str,
        details: String,
    },
}

/// The texts of one language.
pub struct Texts {
    bundle: FluentBundle<FluentResource>,
    /// The ids of the window's labels, in file order.
    ui_ids: Vec<String>,
}

/// The message ids a Fluent file defines (lines starting with a lowercase id and ` =`).
fn message_ids(source: &str) -> impl Iterator<Item = &str> {
    source
        .lines()
        .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim()))
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Texts")
            .field("locales", &self.bundle.locales)
            .finish()
    }
}

impl Texts {
    pub fn new(language: Language) -> Result<Self, TextsError> {
        let (code, sources) = language.sources();
        let id: LanguageIdentifier = code.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Telegram shows Unicode isolation marks as garbage in some clients.
        bundle.set_use_isolating(false);
        let mut ui_ids = Vec::new();
        for source in sources {
            let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
                TextsError::Syntax {
                    language: code,
                    details: format!("{errors:?}"),
                }
            })?;
            ui_ids.extend(
                message_ids(source)
                    .filter(|id| id.starts_with(UI_LABEL_PREFIX))
                    .map(str::to_owned),
            );
            bundle
                .add_resource(resource)
                .map_err(|errors| TextsError::Syntax {
                    language: code,
                    details: format!("{errors:?}"),
                })?;
        }
        Ok(Self { bundle, ui_ids })
    }

    /// Every window label (`ui-…`) of this language. A label's argument comes out as
    /// `{$name}`, which the window fills in.
    pub fn ui_labels(&self) -> Vec<(String, String)> {
        self.ui_ids
            .iter()
            .filter_map(|id| {
                let pattern = self.bundle.get_message(id)?.value()?;
                let mut errors = Vec::new();
                let text = self.bundle.format_pattern(pattern, None, &mut errors);
                Some((id.clone(), text.into_owned()))
            })
            .collect()
    }

    /// The text for `key` with `args` filled in. A missing text yields its id, so a broken
    /// locale file shows up as an odd word rather than a crash (and fails the tests).
    pub fn get(&self, key: TextKey, args: &[(&str, Arg<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(key.id()).and_then(|m| m.value()) else {
            return key.id().to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Str(text) => FluentValue::from(text.to_string()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key = key.id(), ?errors, "text formatted with errors");
        }
        text.into_owned()
    }

    /// Whether the language defines `id` (tests and the GUI's checks).
    pub fn has(&self, id: &str) -> bool {
        self.bundle
            .get_message(id)
            .and_then(|m| m.value())
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `.rs` file of the workspace's crates, outside this file.
    fn workspace_sources() -> String {
        fn walk(dir: &std::path::Path, into: &mut String) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, into);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("texts.rs")
                {
                    into.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut sources = String::new();
        walk(&crates, &mut sources);
        sources
    }

    #[test]
    fn every_text_key_is_used_somewhere() {
        // A key nobody uses is a message users never see: a feature lost on the way.
        let sources = workspace_sources();
        let unused: Vec<String> = TextKey::ALL
            .iter()
            .map(|key| format!("{key:?}"))
            .filter(|name| !sources.contains(&format!("TextKey::{name}")))
            .collect();
        assert!(unused.is_empty(), "unused text keys: {unused:?}");
    }

    #[test]
    fn every_key_exists_in_every_language() {
        for language in Language::ALL {
            let texts = Texts::new(*language).expect("locale parses");
            for key in TextKey::ALL {
                assert!(texts.has(key.id()), "{language:?} lacks `{}`", key.id());
            }
        }
    }

    #[test]
    fn every_message_in_the_files_has_a_key() {
        // An orphan text is either dead or a typo in an id.
        let ids: Vec<&str> = TextKey::ALL.iter().map(|k| k.id()).collect();
        for source in [RU, EN, RU_DESKTOP, EN_DESKTOP] {
            for id in message_ids(source).filter(|id| !id.starts_with(UI_LABEL_PREFIX)) {
                assert!(ids.contains(&id), "`{id}` has no TextKey");
            }
        }
    }

    #[test]
    fn every_window_label_exists_in_every_language() {
        // The window shows a label's id where a language lacks it.
        let labels = |language| -> Vec<String> {
            let texts = Texts::new(language).expect("locale parses");
            texts.ui_labels().into_iter().map(|(id, _)| id).collect()
        };
        let russian = labels(Language::Russian);
        assert!(
            russian.contains(&"ui-nav-settings".to_owned()),
            "{russian:?}"
        );
        let mut english = labels(Language::English);
        let mut sorted = russian.clone();
        sorted.sort();
        english.sort();
        assert_eq!(sorted, english, "the same labels in Russian and English");
    }

    #[test]
    fn russian_plurals_and_arguments() {
        let texts = Texts::new(Language::Russian).expect("ru");
        let receipt = |n: usize| texts.get(TextKey::ReceiptNoClient, &[("count", n.into())]);
        assert!(receipt(1).contains("1 файл."), "{}", receipt(1));
        assert!(receipt(3).contains("3 файла."), "{}", receipt(3));
        assert!(receipt(5).contains("5 файлов."), "{}", receipt(5));
        let greeting = texts.get(
            TextKey::StartGreeting,
            &[("organization", "Автоцентр Север".into())],
        );
        assert!(greeting.contains("«Автоцентр Север»"), "{greeting}");
        assert!(!greeting.contains('\u{2068}'), "no isolation marks");
    }

    #[test]
    fn language_codes() {
        assert_eq!(Language::from_code("en"), Language::English);
        assert_eq!(Language::from_code("ru"), Language::Russian);
        let en = Texts::new(Language::English).expect("en");
        assert_eq!(en.get(TextKey::ButtonApprove, &[]), "✅ Approve");
    }
}
