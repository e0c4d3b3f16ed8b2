# Тексты окна и значка ServiceBot (русский). Сообщения с префиксом ui- — подписи окна, их
# получает интерфейс целиком; остальные соответствуют вариантам TextKey в crates/core/src/texts.rs.

## Навигация и общее
ui-app-title = ServiceBot
ui-nav-status = Состояние
ui-nav-settings = Настройки
ui-nav-users = Пользователи
ui-nav-orders = Заказ-наряды
ui-details = подробности
ui-error-unexpected = Что-то пошло не так. Попробуйте ещё раз; подробности ниже.

## Состояние
ui-status-bot = Бот
ui-status-last-error = Последняя ошибка
ui-status-offline-since = Не на связи с
ui-status-offline-hint = Telegram хранит неполученные сообщения только 24 часа.
ui-status-queue = В очереди на отправку
ui-status-files-today = Файлов сегодня
ui-status-messages-today = Сообщений сегодня
ui-status-orders = Папка заказ-нарядов
ui-status-start = Запустить бота
ui-status-stop = Остановить бота
ui-status-open-settings = Открыть настройки
ui-status-none = нет

## Настройки
ui-settings-title = Настройки
ui-settings-telegram = Telegram
ui-settings-token = Токен бота
ui-settings-token-hint = Выдаёт @BotFather. После сохранения показываются только последние символы.
ui-settings-token-placeholder = 123456789:AA…
ui-settings-token-keep = Оставьте пустым, чтобы не менять
ui-settings-orders = Заказ-наряды
ui-settings-root = Папка заказ-нарядов
ui-settings-root-hint = Папка, в которой лежат папки заказ-нарядов. Сетевую папку можно ввести вручную: \\nas\service\Photo
ui-settings-pick = Выбрать…
ui-settings-checking = Проверяю папку…
ui-settings-newest = Новые
ui-settings-closed-keyword = Слово «закрыт» в имени папки
ui-settings-closed-keyword-hint = Заказ-наряды, в имени папки которых есть это слово, считаются закрытыми.
ui-settings-organization = Название организации
ui-settings-stages = Этапы
ui-settings-stage-title = Название
ui-settings-stage-folder = Папка
ui-settings-stage-visible = Видит клиент
ui-settings-stage-approval = Согласование
ui-settings-stage-add = Добавить этап
ui-settings-stage-remove = Удалить
ui-settings-stage-up = Выше
ui-settings-stage-down = Ниже
ui-settings-stage-visible-warning = Файлы этапа «{ $title }» сейчас видят только сотрудники. Если включить, клиенты будут получать все новые файлы этого этапа. Включить?
ui-settings-advanced = Дополнительно
ui-settings-api-url = Адрес Bot API
ui-settings-api-url-hint = Свой сервер Bot API нужен для файлов больше 20 МБ.
ui-settings-language = Язык бота
ui-settings-language-ru = Русский
ui-settings-language-en = English
ui-settings-country-code = Код страны по умолчанию
ui-settings-autostart = Запускать вместе с Windows
ui-settings-save = Сохранить
ui-settings-saving = Сохраняю…
ui-settings-saved = Сохранено. Бот перезапущен с новыми настройками.
ui-settings-has-errors = Исправьте отмеченные поля.
ui-settings-first-run = Добро пожаловать! Укажите токен бота и папку заказ-нарядов — бот запустится сам.
ui-settings-config-file = Файл настроек

## Пользователи
ui-users-search = Поиск: имя, @username, телефон или Telegram id
ui-users-col-name = Имя (для клиентов)
ui-users-col-telegram = В Telegram
ui-users-col-phone = Телефон
ui-users-col-level = Уровень
ui-users-col-active = Доступ
ui-users-col-last-seen = Был в боте
ui-users-level-1 = Администратор
ui-users-level-2 = Сотрудник
ui-users-level-3 = Клиент
ui-users-active = активен
ui-users-blocked = заблокирован
ui-users-blocked-bot = заблокировал бота
ui-users-block = Заблокировать
ui-users-unblock = Разблокировать
ui-users-rename = Изменить имя
ui-users-save = Сохранить
ui-users-cancel = Отмена
ui-users-count = Всего: { $count }
ui-users-prev = ← Назад
ui-users-next = Дальше →
ui-users-page = { $from }–{ $to } из { $total }
ui-users-none = Никого не найдено. Пользователи появляются, когда нажимают «Старт» в боте.
ui-users-effect-hint = Изменения действуют с ближайшего сообщения пользователя боту.
ui-users-first-admin-title = Назначьте первого администратора
ui-users-first-admin-text = Пока в боте нет администратора. Попросите менеджера нажать «Старт» в боте и выберите его в списке ниже — или укажите его телефон или Telegram id.
ui-users-first-admin-who = Телефон или Telegram id
ui-users-first-admin-appoint = Назначить администратором
ui-users-make-admin = Сделать администратором
ui-users-changed = Сохранено: { $name }

## Заказ-наряды
ui-orders-search = Номер заказ-наряда или госномер
ui-orders-newest = Новые заказ-наряды
ui-orders-found = Найдено: { $count }
ui-orders-day = Создан { $date }: { $count }
ui-orders-none = Ничего не найдено.
ui-orders-prev-month = ‹ Предыдущий месяц
ui-orders-next-month = Следующий месяц ›
ui-orders-more = Показать ещё
ui-order-back = ← К списку
ui-order-folder = Папка
ui-order-created = Создан
ui-order-created-first-seen = (дата, когда программа впервые увидела папку)
ui-order-phones = Телефоны клиента
ui-order-no-phones = В папке нет файла с телефонами — клиент не будет подключён.
ui-order-not-connected = не подключён (клиент ещё не нажал «Старт» в боте)
ui-order-blocked-bot = заблокировал бота
ui-order-stages = Этапы
ui-order-internal = не видит клиент
ui-order-open-folder = Открыть папку
ui-order-invite = Приглашение клиента
ui-order-copy = Копировать
ui-order-copied = Скопировано
ui-order-sms = Текст для SMS
ui-order-print = Распечатать
ui-order-print-instructions = Наведите камеру телефона на код и нажмите «Старт» в Telegram — фото и сообщения по вашему автомобилю придут туда.
ui-order-timeline = Переписка и файлы
ui-order-timeline-empty = По этому заказ-наряду ещё ничего не было.
ui-order-export = Экспорт
ui-order-export-folder = В папку заказ-наряда
ui-order-export-choose = Сохранить как…
ui-order-exported = Пакет сохранён: { $path }
ui-order-flagged = ⚠ Файлов изменено или пропало после сохранения: { $count }
ui-order-file-changed = изменён после сохранения
ui-order-file-missing = файл пропал
ui-order-edited = изменено
ui-order-not-delivered = не доставлено
ui-order-approve = ✅ Согласовано
ui-order-decline = ❌ Отказ
ui-order-not-stored = не сохранён
ui-order-side-staff = сервис
ui-order-side-client = клиент

## Состояние: клиенты ждут ответа
ui-status-unanswered = Клиенты ждут ответа
ui-status-unanswered-none = Никто не ждёт.
ui-status-unanswered-since = ждёт с { $since }

## Сообщения, которые формирует программа
gui-bot-running = Работает
gui-bot-starting = Запускается…
gui-bot-stopped = Остановлен
gui-bot-error = Ошибка
gui-bot-problem-token-missing = Не указан токен бота.
gui-bot-problem-token-rejected = Telegram не принял токен бота. Проверьте его в @BotFather.
gui-bot-problem-bad-api-url = Неверный адрес Bot API.
gui-bot-problem-unreachable = Нет связи с Telegram. Бот переподключится сам.
gui-bot-problem-conflict = С этим токеном уже работает другая копия бота. Остановите её.
gui-tray-running = ServiceBot — работает (@{ $username })
gui-tray-starting = ServiceBot — запускается
gui-tray-stopped = ServiceBot — остановлен
gui-tray-error = ServiceBot — ошибка: { $reason }
gui-menu-open = Открыть
gui-menu-start = Запустить бота
gui-menu-stop = Остановить бота
gui-menu-open-folder = Открыть папку заказов
gui-menu-quit = Выход
gui-root-ok = { $orders ->
        [one] Найден { $orders } открытый заказ-наряд
        [few] Найдено { $orders } открытых заказ-наряда
       *[other] Найдено { $orders } открытых заказ-нарядов
    }, с файлом телефонов — { $phones }.
gui-root-found = { $orders ->
        [one] Найден { $orders } открытый заказ-наряд
        [few] Найдено { $orders } открытых заказ-наряда
       *[other] Найдено { $orders } открытых заказ-нарядов
    }.
gui-root-not-set = Папка заказ-нарядов не указана.
gui-root-not-absolute = Укажите полный путь, например D:\Photo или \\nas\service\Photo.
gui-root-not-found = Папка не найдена или недоступна.
gui-root-not-folder = Это файл, а не папка.
gui-root-denied = Нет прав на чтение этой папки.
gui-root-pending = Папка ещё не прочитана.
gui-root-unreachable = Папка недоступна с { $since }. Файлы сохраняются во временную папку и будут перенесены, когда она появится.
gui-problem-token-missing = Укажите токен бота — без него бот не подключится к Telegram.
gui-problem-root-missing = Укажите папку заказ-нарядов.
gui-problem-token-malformed = Это не похоже на токен от @BotFather: цифры, двоеточие и около 35 латинских букв и цифр.
gui-problem-api-url-scheme = Адрес должен начинаться с https:// или http://.
gui-problem-empty = Заполните это поле.
gui-problem-title-too-long = Не длиннее { $max } символов.
gui-problem-name-forbidden-character = Windows не разрешает в именах символы < > : " / \ | ? *
gui-problem-name-relative = Такое имя папки недопустимо.
gui-problem-name-edge = Имя не может начинаться или заканчиваться пробелом и заканчиваться точкой.
gui-problem-name-reserved = Это имя занято Windows (CON, PRN, AUX, NUL, COM1…, LPT1…).
gui-problem-name-too-long = Слишком длинное имя.
gui-problem-zero-seconds = Не меньше одной секунды.
gui-problem-unknown-language = Выберите русский или английский.
gui-problem-country-code = От одной до трёх цифр, без «+».
gui-problem-no-stages = Нужен хотя бы один этап.
gui-problem-folder-reserved = Папка FromClient отведена под файлы от клиентов.
gui-problem-folder-duplicate = Эта папка уже указана у другого этапа.
gui-problem-approval-needs-visible = Согласование возможно только на этапе, который видит клиент.
gui-problem-no-visible-stage = Хотя бы один этап должен быть виден клиенту.
gui-error-config-missing = Файл настроек не найден.
gui-error-config-invalid = В настройках есть ошибки.
gui-error-orders-root-unavailable = Папка заказ-нарядов недоступна.
gui-error-storage = Не удалось прочитать или записать данные программы.
gui-error-not-found = Не найдено.
gui-error-ambiguous = Найдено несколько совпадений — уточните.
gui-error-invalid-input = Неверные данные.
gui-error-last-admin = Нельзя снять последнего активного администратора.
gui-error-internal = Внутренняя ошибка программы. Подробности записаны в журнал.
gui-error-bot-not-configured = Бот не может запуститься, пока не указан токен.
gui-launch-config-needs-file = После --config укажите файл настроек.
gui-launch-unknown-argument = Неизвестный параметр { $argument }. Возможны --config ФАЙЛ и --hidden.
gui-launch-failed = ServiceBot не смог запуститься.

## Доказательный пакет и страницы менеджера
pack-title = Доказательный пакет: заказ-наряд { $order }
pack-language = ru
pack-organization = Организация
pack-order = Заказ-наряд
pack-folder = Папка
pack-created = Папка создана
pack-generated = Пакет сформирован
pack-flagged-summary = { $count ->
        [one] ⚠ { $count } файл изменён или пропал после сохранения — он отмечен ниже.
        [few] ⚠ { $count } файла изменены или пропали после сохранения — они отмечены ниже.
       *[other] ⚠ { $count } файлов изменены или пропали после сохранения — они отмечены ниже.
    }
pack-hash-howto = Как проверить, что файл не изменён: откройте командную строку Windows в папке заказ-наряда и выполните certutil -hashfile <файл> SHA256 — напечатанная строка должна совпасть с SHA-256 в таблице (регистр букв не важен).
pack-files = Файлы
pack-col-preview = Вид
pack-col-file = Файл
pack-col-stage = Этап
pack-col-time = Время
pack-col-author = Автор
pack-col-size = Размер
pack-col-hash = SHA-256
pack-col-delivery = Доставка
pack-hash-ok = ✓ совпадает с файлом
pack-hash-changed = ⚠ файл изменён после сохранения, сейчас SHA-256: { $actual }
pack-file-missing = ⚠ файл не найден в папке
pack-not-stored = не сохранён в папке
pack-delivered = доставлено: { $name }, { $at }
pack-not-delivered = не доставлено: { $name } — { $reason }
pack-delivery-pending = отправляется
pack-internal = внутренний этап, клиенту не отправляется
pack-no-client = клиент не был подключён
pack-from-client = прислал клиент
pack-approvals = Согласования
pack-col-work = Работы
pack-col-decision = Решение
pack-col-client = Клиент
pack-col-phone = Подтверждённый телефон
pack-decision = { $decision ->
        [approve] ✅ Согласовано
       *[decline] ❌ Отказ
    }
pack-messages = Переписка и события
pack-user-change = { $action ->
        [set_level] { $target }: уровень изменён ({ $details })
        [rename] { $target }: имя изменено на «{ $details }»
        [block] { $target } заблокирован
       *[unblock] { $target } разблокирован
    }, кто: { $actor }
gui-invite-sms = Здравствуйте! Фото и сообщения по вашему заказ-наряду { $order } в «{ $organization }» — в Telegram: { $url }
gui-invite-sms-no-organization = Здравствуйте! Фото и сообщения по вашему заказ-наряду { $order } — в Telegram: { $url }
gui-invite-no-bot = Имя бота ещё не известно: запустите бота один раз, и ссылка появится.
gui-notify-title = Клиент ждёт ответа
gui-notify-body = { $name } ждёт ответа по заказ-наряду { $order } уже { $minutes } мин.
gui-actor-cli = командная строка
gui-actor-gui = программа на компьютере
gui-stage-from-client = От клиента
