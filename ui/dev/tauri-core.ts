// DEV ONLY (vite --mode mock): canned answers in place of the Rust commands, so the pages can
// be looked at in a browser. The labels are read from the real Russian catalog.
import ftl from '../../config/locales/ru/desktop.ftl?raw';
import type { OrdersRootCheck, SettingsView, StatusDto } from '../src/bindings';
import { uiLabels } from './ftl';
import { emit } from './tauri-event';

const labels = uiLabels(ftl);

const scenario = new URLSearchParams(location.search).get('scenario') ?? 'running';
const firstRun = scenario === 'first-run';

let status: StatusDto = {
  bot_state: firstRun ? 'stopped' : scenario === 'error' ? 'error' : 'running',
  headline: firstRun ? 'Остановлен' : scenario === 'error' ? 'Ошибка: нет связи с Telegram' : 'Работает',
  username: firstRun ? null : 'autocenter_service_bot',
  tooltip: 'ServiceBot',
  last_error:
    scenario === 'error'
      ? {
          message: 'Нет связи с Telegram. Бот переподключится сам.',
          details: 'error sending request for url (https://api.telegram.org/bot…/getUpdates): connection timed out',
          at: '2025-03-04T09:41:00+03:00',
        }
      : null,
  offline_since: scenario === 'error' ? '2025-03-04T09:40:12+03:00' : null,
  outbox_queue: scenario === 'error' ? 7 : 0,
  files_today: firstRun ? 0 : 42,
  messages_today: firstRun ? 0 : 118,
  orders_root: firstRun ? '' : '\\\\nas\\service\\Photo',
  orders_found: 37,
  orders_state: firstRun ? 'not_configured' : 'ready',
  orders_message: firstRun ? 'Папка заказ-нарядов не указана.' : 'Найдено 37 открытых заказ-нарядов, с файлом телефонов — 35.',
  can_start: !firstRun,
};

const stages = [
  { title: 'Приёмка автомобиля', folder: 'Inspection', client_visible: true, approval: false },
  { title: 'Текущие рекомендации', folder: 'Recommendation', client_visible: true, approval: true },
  { title: 'Кузовные повреждения', folder: 'BodyDamage', client_visible: true, approval: false },
  { title: 'Прочее', folder: 'Other', client_visible: true, approval: false },
  { title: 'Для сервисных нужд', folder: 'Service', client_visible: false, approval: false },
];

let settings: SettingsView = {
  token: firstRun ? { set: false, ends_with: '' } : { set: true, ends_with: '••x9Qk' },
  api_url: 'https://api.telegram.org',
  orders_root: status.orders_root,
  organization_name: 'Автоцентр «Север»',
  closed_keyword: 'закрыт',
  language: 'ru',
  default_country_code: '7',
  stages,
  config_path: 'C:\\Users\\master\\AppData\\Roaming\\ServiceBot\\config.toml',
  first_run: firstRun,
  missing: firstRun
    ? [
        { field: 'telegram.token', code: 'token_missing', message: 'Укажите токен бота — без него бот не подключится к Telegram.' },
        { field: 'orders.root', code: 'root_missing', message: 'Укажите папку заказ-нарядов.' },
      ]
    : [],
};

const push = (change: Partial<StatusDto>) => {
  status = { ...status, ...change };
  emit('status-changed', status);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function check(path: string): OrdersRootCheck {
  const base = { path, details: null, open_orders: 0, with_phone_file: 0, newest: [] };
  if (path.trim() === '') return { ...base, readable: false, code: 'not_set', message: 'Папка заказ-нарядов не указана.' };
  if (!/^([A-Za-z]:\\|\\\\)/.test(path))
    return { ...base, readable: false, code: 'not_absolute', message: 'Укажите полный путь, например D:\\Photo или \\\\nas\\service\\Photo.' };
  return {
    ...base,
    readable: true,
    code: 'ok',
    message: 'Найдено 37 открытых заказ-нарядов, с файлом телефонов — 35.',
    open_orders: 37,
    with_phone_file: 35,
    newest: [
      { folder: 'ЗН-004217 Иванов Kia Rio', created: '2025-03-04' },
      { folder: 'ЗН-004216 Петрова Skoda Octavia', created: '2025-03-03' },
      { folder: 'ЗН-004215 Сидоров Hyundai Creta', created: '2025-03-03' },
    ],
  };
}

export async function invoke<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  await sleep(60);
  const answer = (): unknown => {
    switch (cmd) {
      case 'ui_texts':
        return { language: 'ru', labels };
      case 'get_status':
        return status;
      case 'start_bot':
        push({ bot_state: 'starting', headline: 'Запускается…' });
        setTimeout(() => push({ bot_state: 'running', headline: 'Работает', username: 'autocenter_service_bot' }), 800);
        return null;
      case 'stop_bot':
        push({ bot_state: 'stopped', headline: 'Остановлен', username: null, offline_since: new Date().toISOString() });
        return null;
      case 'get_settings':
        return settings;
      case 'validate_settings': {
        const draft = args.draft as { token: string | null };
        return draft.token !== null && !/^\d+:[\w-]{30,}$/.test(draft.token)
          ? [{ field: 'telegram.token', code: 'token_malformed', message: 'Это не похоже на токен от @BotFather: цифры, двоеточие и около 35 латинских букв и цифр.' }]
          : [];
      }
      case 'save_settings': {
        // Like the Rust side: a draft that fails validation is refused with its field errors.
        const draft = args.draft as { token: string | null; orders_root: string };
        const fields = [
          ...(draft.token === null && !settings.token.set ? [settings.missing[0]!] : []),
          ...(draft.orders_root.trim() === '' ? [settings.missing[1]!] : []),
        ].filter(Boolean);
        if (fields.length > 0)
          throw { code: 'config_invalid', message: 'В настройках есть ошибки.', details: fields.map((f) => `${f.field}: ${f.code}`).join('\n'), fields };
        settings = { ...settings, first_run: false, missing: [], orders_root: draft.orders_root };
        return settings;
      }
      case 'check_orders_root':
        return check(String(args.path));
      case 'pick_orders_folder':
        return 'D:\\Photo';
      case 'get_autostart':
        return true;
      case 'set_autostart':
        return null;
      default:
        throw { code: 'unknown_command', message: `mock: ${cmd}`, details: null, fields: [] };
    }
  };
  return answer() as T;
}
