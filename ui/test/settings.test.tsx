import { describe, expect, it, vi } from 'vitest';
import * as api from '../src/api';
import type { OrdersRootCheck, SettingsDraft } from '../src/bindings';
import {
  $,
  byTestId,
  click,
  errorFor,
  get,
  input,
  mountApp,
  rootCheck,
  settingsView,
  settle,
  type,
  resetBetweenTests,
  useApi,
} from './support';

vi.mock('../src/api', () => import('./api-mock'));

resetBetweenTests();

/** The app with Настройки open. */
async function openSettings(settings = settingsView()) {
  const api = useApi({ settings });
  await mountApp();
  if (!$('[data-page="settings"]')) await click(byTestId('nav-settings'));
  return api;
}

const lastDraft = (fn: typeof api.validateSettings | typeof api.saveSettings): SettingsDraft => {
  const calls = vi.mocked(fn).mock.calls;
  const call = calls[calls.length - 1];
  if (!call) throw new Error('never called');
  return call[0];
};

const stageTitles = () =>
  Array.from(document.querySelectorAll('[data-testid="stage-row"]')).map(
    (row, i) => row.querySelector<HTMLInputElement>(`[data-field="stages[${i}].title"]`)!.value,
  );

describe('Настройки: live validation', () => {
  it('shows the error validate_settings returns next to the token, once typing pauses', async () => {
    await openSettings();
    vi.mocked(api.validateSettings).mockResolvedValue([
      { field: 'telegram.token', code: 'token_malformed', message: 'Это не похоже на токен.' },
    ]);
    await type(input('telegram.token'), '123');
    await settle(200);
    expect(api.validateSettings).not.toHaveBeenCalled(); // debounced
    await type(input('telegram.token'), '1234:abc');
    await settle(200);
    expect(api.validateSettings).not.toHaveBeenCalled(); // each keystroke restarts the wait
    await settle(60);
    expect(api.validateSettings).toHaveBeenCalledTimes(1);
    expect(lastDraft(api.validateSettings).token).toBe('1234:abc');
    expect(errorFor('telegram.token')?.textContent).toBe('Это не похоже на токен.');
    expect(input('telegram.token').getAttribute('aria-invalid')).toBe('true');
    // Only that field is marked.
    expect(errorFor('orders.root')).toBeNull();

    vi.mocked(api.validateSettings).mockResolvedValue([]);
    await type(input('telegram.token'), '123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await settle(250);
    expect(errorFor('telegram.token')).toBeNull();
  });

  it('places stage errors on their row', async () => {
    await openSettings();
    vi.mocked(api.validateSettings).mockResolvedValue([
      { field: 'stages[1].folder', code: 'folder_duplicate', message: 'Эта папка уже указана.' },
    ]);
    await type(input('stages[1].folder'), 'Inspection');
    await settle(250);
    const rows = document.querySelectorAll('[data-testid="stage-row"]');
    expect(rows[1]!.querySelector('[data-error-for="stages[1].folder"]')?.textContent).toBe('Эта папка уже указана.');
    expect(rows[0]!.querySelector('[data-error-for]')).toBeNull();
  });
});

describe('Настройки: first run', () => {
  const firstRun = settingsView({
    first_run: true,
    token: { set: false, ends_with: '' },
    orders_root: '',
    missing: [
      { field: 'telegram.token', code: 'token_missing', message: 'Укажите токен бота.' },
      { field: 'orders.root', code: 'root_missing', message: 'Укажите папку заказ-нарядов.' },
    ],
  });

  it('opens on Настройки with the banner and marks the token and the folder until filled', async () => {
    useApi({ settings: firstRun });
    await mountApp();
    expect(get('[data-page]').dataset.page).toBe('settings');
    expect(byTestId('first-run-banner').textContent).toContain('Добро пожаловать!');
    expect(errorFor('telegram.token')?.textContent).toBe('Укажите токен бота.');
    expect(errorFor('orders.root')?.textContent).toBe('Укажите папку заказ-нарядов.');
    expect($('[data-testid="token-hint"]')).toBeNull(); // no saved token to keep

    await type(input('orders.root'), 'D:\\Photo');
    expect(errorFor('orders.root')).toBeNull();
    expect(errorFor('telegram.token')?.textContent).toBe('Укажите токен бота.');
  });

  it('shows no banner once settings exist, and the saved token only by its end', async () => {
    await openSettings();
    expect($('[data-testid="first-run-banner"]')).toBeNull();
    expect(byTestId('token-hint').textContent).toContain('••1234');
    expect(byTestId('token-hint').textContent).toContain('Оставьте пустым, чтобы не менять');
    expect(input('telegram.token').type).toBe('password');
    expect(input('telegram.token').value).toBe('');
    expect($('.config-path')?.textContent).toContain('config.toml');
  });
});

describe('Настройки: stages editor', () => {
  it('moves, removes and adds stages, and numbers the fields by position', async () => {
    await openSettings();
    expect(stageTitles()).toEqual(['Приёмка', 'Рекомендации', 'Внутреннее']);
    const rows = () => document.querySelectorAll<HTMLElement>('[data-testid="stage-row"]');

    await click(rows()[2]!.querySelector<HTMLElement>('[data-testid="stage-up"]')!);
    expect(stageTitles()).toEqual(['Приёмка', 'Внутреннее', 'Рекомендации']);
    await click(rows()[0]!.querySelector<HTMLElement>('[data-testid="stage-down"]')!);
    expect(stageTitles()).toEqual(['Внутреннее', 'Приёмка', 'Рекомендации']);
    expect(rows()[0]!.querySelector<HTMLButtonElement>('[data-testid="stage-up"]')!.disabled).toBe(true);

    await click(rows()[1]!.querySelector<HTMLElement>('[data-testid="stage-remove"]')!);
    expect(stageTitles()).toEqual(['Внутреннее', 'Рекомендации']);

    await click(byTestId('stage-add'));
    expect(stageTitles()).toEqual(['Внутреннее', 'Рекомендации', '']);
    await type(input('stages[2].title'), 'Мойка');
    await type(input('stages[2].folder'), 'Wash');

    await settle(250);
    expect(lastDraft(api.validateSettings).stages).toEqual([
      { title: 'Внутреннее', folder: 'Internal', client_visible: false, approval: false },
      { title: 'Рекомендации', folder: 'Recommendation', client_visible: true, approval: true },
      { title: 'Мойка', folder: 'Wash', client_visible: false, approval: false },
    ]);
  });

  it('asks before showing a hidden stage to clients, and keeps it hidden when declined', async () => {
    await openSettings();
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    const visible = input('stages[2].client_visible');
    expect(visible.checked).toBe(false);
    expect(input('stages[2].approval').disabled).toBe(true); // approval needs a visible stage

    await click(visible);
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('«Внутреннее»'));
    expect(input('stages[2].client_visible').checked).toBe(false);
    await click(byTestId('save-settings'));
    expect(lastDraft(api.saveSettings).stages[2]!.client_visible).toBe(false);

    confirm.mockReturnValue(true);
    await click(input('stages[2].client_visible'));
    expect(input('stages[2].client_visible').checked).toBe(true);
    expect(input('stages[2].approval').disabled).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(2);
  });

  it('hides a visible stage without asking, and drops its approval', async () => {
    await openSettings();
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    await click(input('stages[1].client_visible'));
    expect(confirm).not.toHaveBeenCalled();
    expect(input('stages[1].approval').checked).toBe(false);
    expect(input('stages[1].approval').disabled).toBe(true);
  });
});

describe('Настройки: saving', () => {
  it('sends token null when the token field is left empty, the typed token otherwise', async () => {
    await openSettings();
    await click(byTestId('save-settings'));
    expect(lastDraft(api.saveSettings).token).toBeNull();
    expect(byTestId('save-result').textContent).toBe('Сохранено. Бот перезапущен с новыми настройками.');

    await type(input('telegram.token'), '  123:ABC  ');
    await click(byTestId('save-settings'));
    expect(lastDraft(api.saveSettings).token).toBe('123:ABC');
  });

  it('disables Save while saving and says so', async () => {
    await openSettings();
    let finish: (v: ReturnType<typeof settingsView>) => void = () => {};
    vi.mocked(api.saveSettings).mockReturnValue(new Promise((resolve) => (finish = resolve)));
    await click(byTestId('save-settings'));
    expect(byTestId<HTMLButtonElement>('save-settings').disabled).toBe(true);
    expect(byTestId('save-result').textContent).toBe('Сохраняю…');
    finish(settingsView());
    await settle();
    expect(byTestId<HTMLButtonElement>('save-settings').disabled).toBe(false);
    expect(byTestId('save-result').dataset.state).toBe('saved');
  });

  it('shows a rejected save as its message and field errors, details collapsed', async () => {
    await openSettings();
    vi.mocked(api.saveSettings).mockRejectedValue({
      code: 'config_invalid',
      message: 'В настройках есть ошибки.',
      details: 'stages[0].folder: reserved',
      fields: [
        { field: 'stages[0].folder', code: 'folder_reserved', message: 'Папка FromClient отведена под файлы от клиентов.' },
        { field: 'phone.default_country_code', code: 'country_code', message: 'От одной до трёх цифр, без «+».' },
      ],
    });
    await click(byTestId('save-settings'));
    const result = byTestId('save-result');
    expect(result.textContent).toContain('Исправьте отмеченные поля.');
    expect(result.querySelector('.error-message')?.textContent).toBe('В настройках есть ошибки.');
    const details = result.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('подробности');
    expect(errorFor('stages[0].folder')?.textContent).toBe('Папка FromClient отведена под файлы от клиентов.');
    expect(errorFor('phone.default_country_code')?.textContent).toBe('От одной до трёх цифр, без «+».');
    // The advanced section opens so its error can be seen.
    expect(get<HTMLDetailsElement>('details.advanced').open).toBe(true);
  });

  it('applies autostart at once, apart from Save', async () => {
    await openSettings();
    const box = byTestId<HTMLInputElement>('autostart');
    expect(box.checked).toBe(false);
    await click(box);
    expect(api.setAutostart).toHaveBeenCalledWith(true);
    expect(api.saveSettings).not.toHaveBeenCalled();
    expect(byTestId<HTMLInputElement>('autostart').checked).toBe(true);
  });

  it('puts autostart back when the system refuses it', async () => {
    await openSettings();
    vi.mocked(api.setAutostart).mockRejectedValue({ code: 'internal', message: 'Не получилось.', details: 'denied', fields: [] });
    await click(byTestId('autostart'));
    expect(byTestId<HTMLInputElement>('autostart').checked).toBe(false);
    expect(byTestId('autostart-error').textContent).toContain('Не получилось.');
  });
});

describe('Настройки: orders folder check', () => {
  it('checks the saved folder on opening and lists the newest orders', async () => {
    await openSettings();
    expect(api.checkOrdersRoot).toHaveBeenCalledWith('D:\\Photo', 'закрыт');
    expect(byTestId('root-check').textContent).toBe('ok: D:\\Photo');
    expect(byTestId('root-newest').textContent).toContain('ЗН-1 Иванов');
    expect(byTestId('root-newest').textContent).toContain('04.03.2025');
  });

  it('shows "checking" while waiting and never lets an older answer overwrite a newer one', async () => {
    await openSettings();
    const pending = new Map<string, (c: OrdersRootCheck) => void>();
    vi.mocked(api.checkOrdersRoot).mockImplementation(
      (path) => new Promise((resolve) => pending.set(path, resolve)),
    );
    await type(input('orders.root'), '\\\\nas\\slow');
    await settle(250);
    expect(byTestId('root-check').textContent).toBe('Проверяю папку…');
    await type(input('orders.root'), 'E:\\fast');
    await settle(250);
    expect(pending.size).toBe(2);

    pending.get('E:\\fast')!(rootCheck('E:\\fast', 'новый ответ'));
    await settle();
    expect(byTestId('root-check').textContent).toBe('новый ответ');
    pending.get('\\\\nas\\slow')!(rootCheck('\\\\nas\\slow', 'старый ответ'));
    await settle();
    expect(byTestId('root-check').textContent).toBe('новый ответ');
  });

  it('debounces typing and checks a picked folder at once', async () => {
    await openSettings();
    vi.mocked(api.checkOrdersRoot).mockClear();
    await type(input('orders.root'), 'D:\\P');
    await type(input('orders.root'), 'D:\\Ph');
    await settle(250);
    expect(api.checkOrdersRoot).toHaveBeenCalledTimes(1);
    expect(api.checkOrdersRoot).toHaveBeenLastCalledWith('D:\\Ph', 'закрыт');

    vi.mocked(api.pickOrdersFolder).mockResolvedValue('\\\\nas\\service\\Photo');
    await click(byTestId('pick-folder'));
    await settle(); // no typing pause after a pick: only the zero-delay timer
    expect(input('orders.root').value).toBe('\\\\nas\\service\\Photo');
    expect(api.checkOrdersRoot).toHaveBeenLastCalledWith('\\\\nas\\service\\Photo', 'закрыт');
  });

  it('leaves the folder as it was when the dialog is cancelled', async () => {
    await openSettings();
    await click(byTestId('pick-folder'));
    expect(api.pickOrdersFolder).toHaveBeenCalledTimes(1);
    expect(input('orders.root').value).toBe('D:\\Photo');
  });
});

describe('Настройки: language', () => {
  it('shows the window in the new language once a save switches it', async () => {
    await openSettings();
    vi.mocked(api.saveSettings).mockResolvedValue(settingsView({ language: 'en' }));
    vi.mocked(api.uiTexts).mockResolvedValue({
      language: 'en',
      labels: { 'ui-nav-settings': 'Settings', 'ui-nav-status': 'Status' },
    });
    await click(byTestId('save-settings'));
    await settle();
    expect(byTestId('nav-settings').textContent).toBe('Settings');
    expect(document.documentElement.lang).toBe('en');
  });

  it('keeps the labels when the language stays', async () => {
    await openSettings();
    const asked = vi.mocked(api.uiTexts).mock.calls.length;
    await click(byTestId('save-settings'));
    await settle();
    expect(vi.mocked(api.uiTexts).mock.calls.length).toBe(asked);
    expect(byTestId('nav-settings').textContent).toBe('Настройки');
  });
});

describe('Настройки: unsaved edits', () => {
  it('keeps what was typed when the manager looks at another page and comes back', async () => {
    await openSettings();
    await type(input('organization.name'), 'Автоцентр Юг');
    await click(byTestId('nav-status'));
    expect($('[data-page="settings"]')).toBeNull();
    expect($('[data-page="status"]')).not.toBeNull();
    await click(byTestId('nav-settings'));
    expect(input('organization.name').value).toBe('Автоцентр Юг');
  });
});
