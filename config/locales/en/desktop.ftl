# ServiceBot window and tray texts (English). Messages prefixed ui- are window labels, sent to
# the interface as a whole; the others match TextKey variants in crates/core/src/texts.rs.

## Navigation and common
ui-app-title = ServiceBot
ui-nav-status = Status
ui-nav-settings = Settings
ui-nav-users = Users
ui-nav-orders = Work orders
ui-details = details
ui-error-unexpected = Something went wrong. Try again; the details are below.

## Status
ui-status-bot = Bot
ui-status-last-error = Last error
ui-status-offline-since = Offline since
ui-status-offline-hint = Telegram keeps undelivered messages for 24 hours only.
ui-status-queue = Waiting to be sent
ui-status-files-today = Files today
ui-status-messages-today = Messages today
ui-status-orders = Work orders folder
ui-status-start = Start the bot
ui-status-stop = Stop the bot
ui-status-open-settings = Open settings
ui-status-none = none

## Settings
ui-settings-title = Settings
ui-settings-telegram = Telegram
ui-settings-token = Bot token
ui-settings-token-hint = Issued by @BotFather. Once saved, only its last characters are shown.
ui-settings-token-placeholder = 123456789:AA…
ui-settings-token-keep = Leave empty to keep it
ui-settings-orders = Work orders
ui-settings-root = Work orders folder
ui-settings-root-hint = The folder holding one folder per work order. Type a network folder by hand: \\nas\service\Photo
ui-settings-pick = Choose…
ui-settings-checking = Checking the folder…
ui-settings-newest = Newest
ui-settings-closed-keyword = "Closed" word in a folder name
ui-settings-closed-keyword-hint = Work orders whose folder name contains this word are closed.
ui-settings-organization = Organisation name
ui-settings-stages = Stages
ui-settings-stage-title = Title
ui-settings-stage-folder = Folder
ui-settings-stage-visible = Client sees it
ui-settings-stage-approval = Approval
ui-settings-stage-add = Add a stage
ui-settings-stage-remove = Remove
ui-settings-stage-up = Up
ui-settings-stage-down = Down
ui-settings-stage-visible-warning = Files of the stage "{ $title }" are seen by staff only. If you turn this on, clients will get every new file of this stage. Turn it on?
ui-settings-advanced = Advanced
ui-settings-api-url = Bot API address
ui-settings-api-url-hint = A Bot API server of your own is needed for files over 20 MB.
ui-settings-language = Bot language
ui-settings-language-ru = Русский
ui-settings-language-en = English
ui-settings-country-code = Default country code
ui-settings-autostart = Start with Windows
ui-settings-save = Save
ui-settings-saving = Saving…
ui-settings-saved = Saved. The bot restarted with the new settings.
ui-settings-has-errors = Fix the marked fields.
ui-settings-first-run = Welcome! Enter the bot token and the work orders folder, and the bot starts by itself.
ui-settings-config-file = Settings file

## Users
ui-users-search = Search: name, @username, phone or Telegram id
ui-users-col-name = Name (shown to clients)
ui-users-col-telegram = In Telegram
ui-users-col-phone = Phone
ui-users-col-level = Level
ui-users-col-active = Access
ui-users-col-last-seen = Last seen
ui-users-level-1 = Admin
ui-users-level-2 = Staff
ui-users-level-3 = Client
ui-users-active = active
ui-users-blocked = blocked
ui-users-blocked-bot = blocked the bot
ui-users-block = Block
ui-users-unblock = Unblock
ui-users-rename = Rename
ui-users-save = Save
ui-users-cancel = Cancel
ui-users-count = In all: { $count }
ui-users-prev = ← Back
ui-users-next = Next →
ui-users-page = { $from }–{ $to } of { $total }
ui-users-none = Nobody found. Users appear when they press Start in the bot.
ui-users-effect-hint = Changes apply from the user's next message to the bot.
ui-users-first-admin-title = Appoint the first admin
ui-users-first-admin-text = The bot has no admin yet. Ask the manager to press Start in the bot and choose them below — or give their phone or Telegram id.
ui-users-first-admin-who = Phone or Telegram id
ui-users-first-admin-appoint = Make admin
ui-users-make-admin = Make admin
ui-users-changed = Saved: { $name }

## Work orders
ui-orders-search = Work order number or plate
ui-orders-newest = Newest work orders
ui-orders-found = Found: { $count }
ui-orders-day = Created { $date }: { $count }
ui-orders-none = Nothing found.
ui-orders-prev-month = ‹ Previous month
ui-orders-next-month = Next month ›
ui-orders-more = Show more
ui-order-back = ← Back to the list
ui-order-folder = Folder
ui-order-created = Created
ui-order-created-first-seen = (the day the app first saw the folder)
ui-order-phones = Client phones
ui-order-no-phones = The folder has no phone file: no client will be connected.
ui-order-not-connected = not connected (the client has not pressed Start yet)
ui-order-blocked-bot = blocked the bot
ui-order-stages = Stages
ui-order-internal = hidden from clients
ui-order-open-folder = Open folder
ui-order-invite = Client invite
ui-order-copy = Copy
ui-order-copied = Copied
ui-order-sms = SMS text
ui-order-print = Print
ui-order-print-instructions = Point your phone's camera at the code and press Start in Telegram: the photos and messages about your car arrive there.
ui-order-timeline = Messages and files
ui-order-timeline-empty = Nothing has happened in this work order yet.
ui-order-export = Export
ui-order-export-folder = Into the order folder
ui-order-export-choose = Save as…
ui-order-exported = Pack saved: { $path }
ui-order-flagged = ⚠ Files changed or removed after they were saved: { $count }
ui-order-file-changed = changed after it was saved
ui-order-file-missing = file removed
ui-order-edited = edited
ui-order-not-delivered = not delivered
ui-order-approve = ✅ Approved
ui-order-decline = ❌ Declined
ui-order-not-stored = not stored
ui-order-side-staff = service
ui-order-side-client = client

## Status: clients waiting
ui-status-unanswered = Clients waiting for an answer
ui-status-unanswered-none = Nobody is waiting.
ui-status-unanswered-since = waiting since { $since }

## Messages the program composes
gui-bot-running = Running
gui-bot-starting = Starting…
gui-bot-stopped = Stopped
gui-bot-error = Error
gui-bot-problem-token-missing = The bot token is not set.
gui-bot-problem-token-rejected = Telegram refused the bot token. Check it with @BotFather.
gui-bot-problem-bad-api-url = The Bot API address is wrong.
gui-bot-problem-unreachable = Telegram cannot be reached. The bot reconnects by itself.
gui-bot-problem-conflict = Another copy of the bot runs with this token. Stop it.
gui-tray-running = ServiceBot — running (@{ $username })
gui-tray-starting = ServiceBot — starting
gui-tray-stopped = ServiceBot — stopped
gui-tray-error = ServiceBot — error: { $reason }
gui-menu-open = Open
gui-menu-start = Start the bot
gui-menu-stop = Stop the bot
gui-menu-open-folder = Open the orders folder
gui-menu-quit = Quit
gui-root-ok = { $orders ->
        [one] { $orders } open work order
       *[other] { $orders } open work orders
    } found, { $phones } with a phone file.
gui-root-found = { $orders ->
        [one] { $orders } open work order
       *[other] { $orders } open work orders
    } found.
gui-root-not-set = The work orders folder is not set.
gui-root-not-absolute = Enter a full path, such as D:\Photo or \\nas\service\Photo.
gui-root-not-found = The folder does not exist or cannot be reached.
gui-root-not-folder = This is a file, not a folder.
gui-root-denied = No permission to read this folder.
gui-root-pending = The folder has not been read yet.
gui-root-unreachable = The folder cannot be reached since { $since }. Files are kept in a local folder and moved when it is back.
gui-problem-token-missing = Enter the bot token: without it the bot cannot connect to Telegram.
gui-problem-root-missing = Choose the work orders folder.
gui-problem-token-malformed = This does not look like a token from @BotFather: digits, a colon, then about 35 letters and digits.
gui-problem-api-url-scheme = The address must start with https:// or http://.
gui-problem-empty = Fill in this field.
gui-problem-title-too-long = At most { $max } characters.
gui-problem-name-forbidden-character = Windows forbids the characters < > : " / \ | ? * in names
gui-problem-name-relative = This folder name is not allowed.
gui-problem-name-edge = A name cannot start or end with a space or end with a dot.
gui-problem-name-reserved = Windows reserves this name (CON, PRN, AUX, NUL, COM1…, LPT1…).
gui-problem-name-too-long = The name is too long.
gui-problem-zero-seconds = At least one second.
gui-problem-unknown-language = Choose Russian or English.
gui-problem-country-code = One to three digits, without "+".
gui-problem-no-stages = At least one stage is needed.
gui-problem-folder-reserved = The FromClient folder holds files from clients.
gui-problem-folder-duplicate = Another stage already uses this folder.
gui-problem-approval-needs-visible = Approval works only on a stage clients see.
gui-problem-no-visible-stage = At least one stage must be visible to clients.
gui-error-config-missing = The settings file was not found.
gui-error-config-invalid = The settings have errors.
gui-error-orders-root-unavailable = The work orders folder cannot be reached.
gui-error-storage = The program's data could not be read or written.
gui-error-not-found = Not found.
gui-error-ambiguous = Several matches: be more specific.
gui-error-invalid-input = Invalid input.
gui-error-last-admin = The last active administrator cannot be removed.
gui-error-internal = An internal error. The details are in the log.
gui-error-bot-not-configured = The bot cannot start until the token is set.
gui-launch-config-needs-file = Give the settings file after --config.
gui-launch-unknown-argument = Unknown option { $argument }. Possible: --config FILE and --hidden.
gui-launch-failed = ServiceBot could not start.

## The evidence pack and the manager's pages
pack-title = Evidence pack: work order { $order }
pack-language = en
pack-organization = Organisation
pack-order = Work order
pack-folder = Folder
pack-created = Folder created
pack-generated = Pack made
pack-flagged-summary = { $count ->
        [one] ⚠ { $count } file was changed or removed after it was saved — marked below.
       *[other] ⚠ { $count } files were changed or removed after they were saved — marked below.
    }
pack-hash-howto = How to check that a file is unchanged: open a Windows command prompt in the work order's folder and run certutil -hashfile <file> SHA256 — the printed line must equal the SHA-256 in the table (letter case does not matter).
pack-files = Files
pack-col-preview = Preview
pack-col-file = File
pack-col-stage = Stage
pack-col-time = Time
pack-col-author = Author
pack-col-size = Size
pack-col-hash = SHA-256
pack-col-delivery = Delivery
pack-hash-ok = ✓ matches the file
pack-hash-changed = ⚠ the file was changed after it was saved; its SHA-256 now: { $actual }
pack-file-missing = ⚠ the file is not in the folder
pack-not-stored = not stored in the folder
pack-delivered = delivered to { $name }, { $at }
pack-not-delivered = not delivered to { $name }: { $reason }
pack-delivery-pending = being sent
pack-internal = internal stage, never sent to clients
pack-no-client = no client was connected
pack-from-client = sent by the client
pack-approvals = Approvals
pack-col-work = Work
pack-col-decision = Decision
pack-col-client = Client
pack-col-phone = Verified phone
pack-decision = { $decision ->
        [approve] ✅ Approved
       *[decline] ❌ Declined
    }
pack-messages = Messages and events
pack-user-change = { $action ->
        [set_level] { $target }: level changed ({ $details })
        [rename] { $target }: renamed to “{ $details }”
        [block] { $target } blocked
       *[unblock] { $target } unblocked
    }, by { $actor }
gui-invite-sms = Hello! Photos and messages about your work order { $order } at { $organization } are in Telegram: { $url }
gui-invite-sms-no-organization = Hello! Photos and messages about your work order { $order } are in Telegram: { $url }
gui-invite-no-bot = The bot's name is not known yet: start the bot once and the link appears.
gui-notify-title = A client is waiting for an answer
gui-notify-body = { $name } has waited { $minutes } min for an answer about work order { $order }.
gui-actor-cli = the command line
gui-actor-gui = the desktop app
gui-stage-from-client = From the client
