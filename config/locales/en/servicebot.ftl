# ServiceBot texts for Telegram users (English).
# Each message matches a TextKey variant in crates/core/src/texts.rs.

start-greeting = Hello! This is the { $organization } service centre bot. You will receive photos and videos of your work order here and can chat with our staff.
start-ask-phone = To find your car, please share your phone number with the button below.
button-share-phone = 📱 Share my number
contact-not-own = Only your own number can be shared, with the "Share my number" button. The contact was not saved.
contact-linked = Thank you, your number is confirmed. You are connected to { $count ->
        [one] work order
       *[other] work orders
    } { $orders }.
contact-unlinked = Thank you, your number is confirmed. As soon as the service centre adds it to a work order, you will receive its materials here.
access-blocked = Access to this bot is closed. If this is a mistake, please contact the service centre.
help-client = Photos, videos and messages about your work order arrive here. Just reply and our staff will get it.
help-staff = /order picks a work order (calendar or search), /type changes the stage. Photos, videos and documents are saved to the order folder and sent to the client.
order-calendar = Pick a day or search for a work order:
order-search-prompt = Type part of the order number or the plate:
order-search-none = No open work orders match "{ $query }".
order-closed = Work order { $order } is closed or moved. Pick another one: /order
stage-choose = Work order { $order }. Pick a stage:
card = 📌 Work order: { $order }
    Plate: { $plate }
    Stage: { $stage }
    Clients connected: { $clients }
card-no-client = 📌 Work order: { $order }
    Plate: { $plate }
    Stage: { $stage }
    ⚠️ The client is not connected to the bot
media-no-order = Pick a work order and a stage first: /order. The file was not saved; send it again after choosing.
receipt-sent = ✅ Saved { $count } { $count ->
        [one] file
       *[other] files
    } and sent to: { $names }.
receipt-no-client = ✅ Saved { $count } { $count ->
        [one] file
       *[other] files
    }. The client is not connected; nothing was sent.
receipt-internal = 🔒 Saved { $count } { $count ->
        [one] file
       *[other] files
    } for internal use. Not sent to the client.
receipt-held = ⏳ The orders folder is unreachable: { $count } { $count ->
        [one] file is
       *[other] files are
    } held and will be moved there automatically.
receipt-not-saved = ❌ Not saved: { $reason }
receipt-too-big = ⚠️ The file is larger than { $limit } MB: it was sent to the client but cannot be saved to the folder.
staff-message-header = { $name }, { $organization }
client-reply-header = Client reply on order { $order }
button-switch-order = Go to order { $order }
button-approve = ✅ Approve
button-decline = ❌ Decline
error-internal = Something went wrong. Please try again in a minute.
button-search = 🔎 Search
button-calendar = 📅 Calendar
button-prev = ‹
button-next = ›
button-page-prev = ‹ Back
button-page-next = Next ›
button-other-order = ↩ Another work order
calendar-weekdays = Mo Tu We Th Fr Sa Su
calendar-title = { $month } { $year }
calendar-recent = Recent:
month-names = January,February,March,April,May,June,July,August,September,October,November,December
order-day = Work orders of { $date } ({ $count }):
order-search-results = Found for "{ $query }": { $count }
stage-chosen = Work order { $order }, stage "{ $stage }". Send photos, videos and documents: they are saved to the folder and sent to the client.
stage-chosen-internal = Work order { $order }, stage "{ $stage }". Files are saved to the folder and not sent to the client.
stage-unknown = This stage is no longer configured. Pick a stage again: /type
button-stale = This button has expired. Open the menu again: /order
no-plate = —
no-stage = not chosen
callback-ok = Done
text-no-order = To write to the client, pick a work order first: /order
text-sent = ✉️ Sent to: { $names }.
text-no-client = ⚠️ The client is not connected to the bot: nobody received the message.
unknown-command = Unknown command. The available commands are in the bot menu.
command-start = Start using the bot
command-help = Help
command-order = Pick a work order
command-type = Change the stage
command-admin = Admin menu
card-none = 📌 No work order chosen. Pick one: /order
contact-invalid = The phone number could not be recognised. Please try again with the "Share my number" button.
client-no-order = You have no open work orders right now. As soon as the service centre opens one with your number, you can write here.
client-message = { $name }: { $text }
not-allowed = This command or button is not available to you.
admin-menu = Admin menu:
button-admin-users = 👥 Users
button-admin-transcript = 📜 Work order transcript
button-admin-menu = « Menu
button-cancel = ✖️ Cancel
button-back-to-users = « Back to the list
button-level = Level { $level }
button-rename = ✏️ Rename
button-block = 🚫 Block
button-unblock = ✅ Unblock
level-name = { $level ->
        [1] admin
        [2] staff
       *[3] client
    }
no-phone = no phone
admin-users = Users ({ $count }):
admin-users-found = Users matching "{ $query }" ({ $count }):
admin-user-search-prompt = Type part of a name, @username, phone or Telegram id:
admin-user-card = 👤 { $name }
    Telegram: { $telegram }
    Phone: { $phone }
    Level: { $level }
    Access: { $active ->
        [yes] open
       *[no] 🚫 blocked
    }
    Last seen: { $seen }
admin-user-unknown = User not found.
admin-rename-prompt = Type the new display name for { $name } (clients will see it):
admin-renamed = Name changed: { $name }.
admin-name-invalid = A name must be 1 to { $max } characters. Type another one or press Cancel.
admin-done = Saved.
admin-last-admin = The last active admin cannot be demoted or blocked. Appoint another admin first.
admin-cancelled = Cancelled.
admin-transcript-prompt = Type the work order number or the plate:
admin-transcript-found = Transcripts found for "{ $query }": { $count }
admin-transcript-none = No work orders with a transcript match "{ $query }".
admin-transcript-empty = Work order { $order } has no transcript yet.
admin-transcript-title = Transcript of work order { $order }
admin-transcript-file = Transcript of work order { $order }: { $count } entries, in the file.
transcript-who = { $direction ->
        [staff] { $name } (service)
        [client] { $name } (client)
       *[system] System
    }
transcript-edited = ✏️ (edited)
transcript-failed = ⚠️ not delivered
transcript-media = 📎 { $kind }: { $path }
transcript-not-stored = not stored
media-kind = { $kind ->
        [photo] photo
        [video] video
        [document] document
        [voice] voice message
        [video_note] video message
       *[audio] audio
    }
invite-greeting = Hello! This is the { $organization } service centre bot. Photos, videos and messages about work order { $order } will arrive here.
invite-invalid = This invite link is invalid or expired. Share your phone number and we will find your work order ourselves.
invite-not-listed = Your number is confirmed, but it is not on work order { $order }. If this is your car, please give your phone number to the service advisor.
client-linked-later = You are connected to work order { $order }. Photos, videos and messages from the service will arrive here, and you can reply here.
button-materials = 📂 Show the materials of work order { $order }
materials-none = Work order { $order } has no materials yet.
materials-unavailable = This work order is not available to you.
approval-question = Do you approve the work on order { $order }? { $description }
approval-recorded = { $decision ->
        [approve] ✅ Recorded: you approved
       *[decline] ❌ Recorded: you declined
    } "{ $description }". You can change your decision until the service fixes it.
approval-closed = The service centre has already fixed this decision. To change it, write here.
approval-staff = { $decision ->
        [approve] ✅ Client { $name } ({ $phone }) approved
       *[decline] ❌ Client { $name } ({ $phone }) declined
    } "{ $description }" — order { $order }.
approval-transcript = { $decision ->
        [approve] Approved
       *[decline] Declined
    }: "{ $description }" (phone { $phone })
approval-no-description = work shown in the photos
button-close-approval = 🔒 Fix the decision
approval-fixed = Decision fixed.
client-edited-header = ✏️ The client edited a message, order { $order }
event-client-linked = Client { $name } connected
event-delivery-failed = Not delivered to client { $name }: { $reason }
delivery-failed-staff = ⚠️ A message of order { $order } was not delivered to client { $name }: { $reason }
reason-blocked-bot = the client blocked the bot
reason-refused = Telegram did not accept the message
reason-undeliverable = Telegram was unreachable for more than a day
text-sending = ⏳ Sending to { $names }…
text-delivered = ✉️ Delivered to { $names }.
text-not-delivered = ⚠️ Not delivered to { $name }: { $reason }
receipt-saving = ⏳ Received { $count } { $count ->
        [one] file
       *[other] files
    }: saving and sending…
receipt-saved = ✅ Saved { $count } { $count ->
        [one] file
       *[other] files
    }.
reason-file-download = Telegram did not hand over the file
reason-file-write = the file could not be written to the order folder
button-stale-client = This button has expired. Press /start to begin again.
approval-changed = The client changed the decision after this notice — the current one is below; fix that one.
