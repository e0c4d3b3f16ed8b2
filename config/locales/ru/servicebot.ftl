# Тексты ServiceBot для пользователей Telegram (русский, язык по умолчанию).
# Каждому сообщению соответствует вариант TextKey в crates/core/src/texts.rs.

start-greeting = Здравствуйте! Это бот сервисного центра «{ $organization }». Здесь вы будете получать фото и видео по вашему заказ-наряду и сможете переписываться с сотрудниками сервиса.
start-ask-phone = Чтобы мы узнали ваш автомобиль, поделитесь, пожалуйста, номером телефона кнопкой ниже.
button-share-phone = 📱 Поделиться номером
contact-not-own = Можно отправить только свой собственный номер — кнопкой «Поделиться номером». Чужой контакт не сохранён.
contact-linked = Спасибо! Номер подтверждён. Вы подключены к { $count ->
        [one] заказ-наряду
       *[other] заказ-нарядам
    } { $orders }.
contact-unlinked = Спасибо! Номер подтверждён. Как только сервисный центр добавит его в заказ-наряд, вы начнёте получать материалы здесь.
access-blocked = Доступ к боту закрыт. Если это ошибка, обратитесь в сервисный центр.
help-client = Здесь приходят фото, видео и сообщения по вашему заказ-наряду. Просто напишите ответ — его получит сотрудник сервиса.
help-staff = /order — выбрать заказ-наряд (календарь или поиск), /type — сменить этап. Фото, видео и документы сохраняются в папку заказ-наряда и уходят клиенту.
order-calendar = Выберите день или найдите заказ-наряд:
order-search-prompt = Введите часть номера заказ-наряда или госномера:
order-search-none = По запросу «{ $query }» открытых заказ-нарядов не найдено.
order-closed = Заказ-наряд { $order } закрыт или перемещён. Выберите другой: /order
stage-choose = Заказ-наряд { $order }. Выберите этап:
card = 📌 Заказ-наряд: { $order }
    Госномер: { $plate }
    Этап: { $stage }
    Клиентов подключено: { $clients }
card-no-client = 📌 Заказ-наряд: { $order }
    Госномер: { $plate }
    Этап: { $stage }
    ⚠️ Клиент не подключён к боту
media-no-order = Сначала выберите заказ-наряд и этап: /order. Файл не сохранён — отправьте его ещё раз после выбора.
receipt-sent = ✅ Сохранено { $count } { $count ->
        [one] файл
        [few] файла
       *[many] файлов
    } и отправлено: { $names }.
receipt-no-client = ✅ Сохранено { $count } { $count ->
        [one] файл
        [few] файла
       *[many] файлов
    }. Клиент не подключён — ничего не отправлено.
receipt-internal = 🔒 Сохранено { $count } { $count ->
        [one] файл
        [few] файла
       *[many] файлов
    } для сервисных нужд. Клиенту не отправлено.
receipt-held = ⏳ Папка заказов недоступна: { $count } { $count ->
        [one] файл ожидает
        [few] файла ожидают
       *[many] файлов ожидают
    } сохранения и будут перенесены автоматически.
receipt-not-saved = ❌ Не сохранено: { $reason }
receipt-too-big = ⚠️ Файл больше { $limit } МБ: клиенту отправлен, но сохранить его в папку нельзя.
staff-message-header = { $name }, { $organization }
client-reply-header = Ответ клиента по заказ-наряду { $order }
button-switch-order = Перейти в заказ-наряд { $order }
button-approve = ✅ Согласовать
button-decline = ❌ Отказаться
error-internal = Что-то пошло не так. Попробуйте ещё раз через минуту.
button-search = 🔎 Поиск
button-calendar = 📅 Календарь
button-prev = ‹
button-next = ›
button-page-prev = ‹ Назад
button-page-next = Далее ›
button-other-order = ↩ Другой заказ-наряд
calendar-weekdays = Пн Вт Ср Чт Пт Сб Вс
calendar-title = { $month } { $year }
calendar-recent = Последние:
month-names = Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь
order-day = Заказ-наряды за { $date } ({ $count }):
order-search-results = Найдено по запросу «{ $query }»: { $count }
stage-chosen = Заказ-наряд { $order }, этап «{ $stage }». Отправляйте фото, видео и документы — они сохранятся в папку и уйдут клиенту.
stage-chosen-internal = Заказ-наряд { $order }, этап «{ $stage }». Файлы сохранятся в папку и клиенту не отправляются.
stage-unknown = Этап больше не настроен. Выберите этап заново: /type
button-stale = Кнопка устарела. Откройте меню заново: /order
no-plate = —
no-stage = не выбран
callback-ok = Готово
text-no-order = Чтобы написать клиенту, сначала выберите заказ-наряд: /order
text-sent = ✉️ Отправлено: { $names }.
text-no-client = ⚠️ Клиент не подключён к боту — сообщение никто не получил.
unknown-command = Неизвестная команда. Доступные команды — в меню бота.
command-start = Начать работу с ботом
command-help = Помощь
command-order = Выбрать заказ-наряд
command-type = Сменить этап
command-admin = Меню администратора
card-none = 📌 Заказ-наряд не выбран. Выберите: /order
contact-invalid = Не удалось распознать номер телефона. Попробуйте ещё раз кнопкой «Поделиться номером».
client-no-order = Сейчас у вас нет открытых заказ-нарядов. Как только сервисный центр откроет заказ-наряд с вашим номером, вы сможете писать сюда.
client-message = { $name }: { $text }
not-allowed = Эта команда или кнопка вам недоступна.
admin-menu = Меню администратора:
button-admin-users = 👥 Пользователи
button-admin-transcript = 📜 Переписка по заказ-наряду
button-admin-menu = « Меню
button-cancel = ✖️ Отмена
button-back-to-users = « К списку
button-level = Уровень { $level }
button-rename = ✏️ Переименовать
button-block = 🚫 Заблокировать
button-unblock = ✅ Разблокировать
level-name = { $level ->
        [1] администратор
        [2] сотрудник
       *[3] клиент
    }
no-phone = без телефона
admin-users = Пользователи ({ $count }):
admin-users-found = Пользователи по запросу «{ $query }» ({ $count }):
admin-user-search-prompt = Введите часть имени, @username, телефона или Telegram id:
admin-user-card = 👤 { $name }
    Telegram: { $telegram }
    Телефон: { $phone }
    Уровень: { $level }
    Доступ: { $active ->
        [yes] открыт
       *[no] 🚫 заблокирован
    }
    Последняя активность: { $seen }
admin-user-unknown = Пользователь не найден.
admin-rename-prompt = Введите новое отображаемое имя для { $name } (так его увидят клиенты):
admin-renamed = Имя изменено: { $name }.
admin-name-invalid = Имя должно быть от 1 до { $max } символов. Введите другое или нажмите «Отмена».
admin-done = Сохранено.
admin-last-admin = Нельзя понизить или заблокировать последнего активного администратора. Сначала назначьте другого.
admin-cancelled = Отменено.
admin-transcript-prompt = Введите номер заказ-наряда или госномер:
admin-transcript-found = Переписка — найдено по «{ $query }»: { $count }
admin-transcript-none = По запросу «{ $query }» заказ-нарядов с перепиской не найдено.
admin-transcript-empty = По заказ-наряду { $order } переписки пока нет.
admin-transcript-title = Переписка по заказ-наряду { $order }
admin-transcript-file = Переписка по заказ-наряду { $order }: { $count } записей — в файле.
transcript-who = { $direction ->
        [staff] { $name } (сервис)
        [client] { $name } (клиент)
       *[system] Система
    }
transcript-edited = ✏️ (изменено)
transcript-failed = ⚠️ не доставлено
transcript-media = 📎 { $kind }: { $path }
transcript-not-stored = не сохранён
media-kind = { $kind ->
        [photo] фото
        [video] видео
        [document] документ
        [voice] голосовое
        [video_note] видеосообщение
       *[audio] аудио
    }
invite-greeting = Здравствуйте! Это бот сервисного центра «{ $organization }». Здесь будут фото, видео и сообщения по заказ-наряду { $order }.
invite-invalid = Ссылка-приглашение недействительна или устарела. Поделитесь номером телефона — мы найдём ваш заказ-наряд сами.
invite-not-listed = Номер подтверждён, но его нет в заказ-наряде { $order }. Если это ваш автомобиль, сообщите номер телефона мастеру-приёмщику.
client-linked-later = Вы подключены к заказ-наряду { $order }. Сюда будут приходить фото, видео и сообщения сервиса, а вы можете отвечать здесь.
button-materials = 📂 Показать материалы по заказ-наряду { $order }
materials-none = По заказ-наряду { $order } пока нет материалов.
materials-unavailable = Этот заказ-наряд вам недоступен.
approval-question = Согласуете работы по заказ-наряду { $order }? { $description }
approval-recorded = { $decision ->
        [approve] ✅ Записано: вы согласовали
       *[decline] ❌ Записано: вы отказались от
    } «{ $description }». Решение можно изменить, пока сервис его не зафиксировал.
approval-closed = Решение уже зафиксировано сервисным центром. Если нужно изменить — напишите сюда.
approval-staff = { $decision ->
        [approve] ✅ Клиент { $name } ({ $phone }) согласовал
       *[decline] ❌ Клиент { $name } ({ $phone }) отказался от
    } «{ $description }» — заказ-наряд { $order }.
approval-transcript = { $decision ->
        [approve] Согласовано
       *[decline] Отказ
    }: «{ $description }» (тел. { $phone })
approval-no-description = работы по фото
button-close-approval = 🔒 Зафиксировать решение
approval-fixed = Решение зафиксировано.
client-edited-header = ✏️ Клиент изменил сообщение по заказ-наряду { $order }
event-client-linked = Клиент { $name } подключён
event-delivery-failed = Не доставлено клиенту { $name }: { $reason }
delivery-failed-staff = ⚠️ Сообщение по заказ-наряду { $order } не доставлено клиенту { $name }: { $reason }
reason-blocked-bot = клиент заблокировал бота
reason-refused = Telegram не принял сообщение
reason-undeliverable = Telegram был недоступен больше суток
text-sending = ⏳ Отправляется: { $names }…
text-delivered = ✉️ Доставлено: { $names }.
text-not-delivered = ⚠️ Не доставлено { $name }: { $reason }
receipt-saving = ⏳ Принято { $count } { $count ->
        [one] файл
        [few] файла
       *[many] файлов
    }: сохраняю и отправляю…
receipt-saved = ✅ Сохранено { $count } { $count ->
        [one] файл
        [few] файла
       *[many] файлов
    }.
reason-file-download = Telegram не отдал файл
reason-file-write = не удалось записать файл в папку заказа
button-stale-client = Кнопка устарела. Нажмите /start, чтобы начать заново.
approval-changed = Клиент изменил решение после этого уведомления — ниже текущее решение, зафиксируйте его.
