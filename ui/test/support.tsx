// Shared test support: fixtures shaped like the Rust answers, a mounted App, and helpers that
// type, click and let debounce timers run, always inside Preact's act().
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, vi } from 'vitest';
import ftl from '../../config/locales/ru/desktop.ftl?raw';
import { uiLabels } from '../dev/ftl';
import * as api from '../src/api';
import { App } from '../src/app';
import type { OrdersRootCheck, SettingsView, StatusDto } from '../src/bindings';

/** The real Russian catalog, so a label the UI uses but the catalog lacks shows up as an id. */
export const labels = uiLabels(ftl);

export const status = (change: Partial<StatusDto> = {}): StatusDto => ({
  bot_state: 'running',
  headline: 'Работает',
  username: 'service_bot',
  tooltip: 'ServiceBot — работает (@service_bot)',
  last_error: null,
  offline_since: null,
  outbox_queue: 3,
  files_today: 12,
  messages_today: 40,
  orders_root: 'D:\\Photo',
  orders_found: 5,
  orders_state: 'ready',
  orders_message: 'Найдено 5 открытых заказ-нарядов.',
  can_start: true,
  ...change,
});

export const settingsView = (change: Partial<SettingsView> = {}): SettingsView => ({
  token: { set: true, ends_with: '••1234' },
  api_url: 'https://api.telegram.org',
  orders_root: 'D:\\Photo',
  organization_name: 'Автоцентр',
  closed_keyword: 'закрыт',
  language: 'ru',
  default_country_code: '7',
  stages: [
    { title: 'Приёмка', folder: 'Inspection', client_visible: true, approval: false },
    { title: 'Рекомендации', folder: 'Recommendation', client_visible: true, approval: true },
    { title: 'Внутреннее', folder: 'Internal', client_visible: false, approval: false },
  ],
  config_path: 'C:\\Users\\master\\AppData\\Roaming\\ServiceBot\\config.toml',
  first_run: false,
  missing: [],
  ...change,
});

export const rootCheck = (path: string, message: string): OrdersRootCheck => ({
  path,
  readable: true,
  code: 'ok',
  message,
  details: null,
  open_orders: 1,
  with_phone_file: 1,
  newest: [{ folder: 'ЗН-1 Иванов', created: '2025-03-04' }],
});

/** Default answers for every command; returns the pusher of `status-changed` events. */
export function useApi(opts: { status?: StatusDto; settings?: SettingsView } = {}) {
  let push: ((s: StatusDto) => void) | null = null;
  let broughtUp: (() => void) | null = null;
  const m = vi.mocked(api);
  m.onBroughtUp.mockImplementation(async (handler) => {
    broughtUp = handler;
    return () => {};
  });
  m.uiTexts.mockResolvedValue({ language: 'ru', labels });
  m.getStatus.mockResolvedValue(opts.status ?? status());
  m.onStatusChanged.mockImplementation(async (handler) => {
    push = handler;
    return () => {};
  });
  m.getSettings.mockResolvedValue(opts.settings ?? settingsView());
  m.validateSettings.mockResolvedValue([]);
  m.saveSettings.mockImplementation(async () => opts.settings ?? settingsView());
  m.checkOrdersRoot.mockImplementation(async (path) => rootCheck(path, `ok: ${path}`));
  m.pickOrdersFolder.mockResolvedValue(null);
  m.getAutostart.mockResolvedValue(false);
  m.setAutostart.mockResolvedValue(undefined);
  m.startBot.mockResolvedValue(undefined);
  m.stopBot.mockResolvedValue(undefined);
  m.unanswered.mockResolvedValue([]);
  m.takeAlertOrder.mockResolvedValue(null);
  return {
    push: async (s: StatusDto) => {
      if (!push) throw new Error('the app never subscribed to status-changed');
      await act(() => push!(s));
    },
    /** The shell brought the window up (the tray, a second launch, a clicked notification). */
    bringUp: async () => {
      if (!broughtUp) throw new Error('the app never subscribed to brought-up');
      await act(() => broughtUp!());
      await settle();
    },
  };
}

/** Lets `ms` of fake time pass and every resolved promise land, then renders. */
export async function settle(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
    for (let i = 0; i < 20; i++) await Promise.resolve();
  });
}

export async function mountApp() {
  const root = document.createElement('div');
  document.body.appendChild(root);
  await act(() => render(<App />, root));
  await settle();
  return root;
}

export function unmountAll() {
  for (const el of Array.from(document.body.children)) {
    render(null, el);
    el.remove();
  }
  delete document.body.dataset.ready;
}

export const $ = <T extends Element = HTMLElement>(selector: string): T | null => document.querySelector<T>(selector);

/** The element for `selector`, or a failure naming it. */
export function get<T extends Element = HTMLElement>(selector: string): T {
  const el = $<T>(selector);
  if (!el) throw new Error(`nothing matches ${selector}`);
  return el;
}

export const byTestId = <T extends Element = HTMLElement>(id: string) => get<T>(`[data-testid="${id}"]`);
export const input = (field: string) => get<HTMLInputElement>(`[data-field="${field}"]`);
export const errorFor = (field: string) => $(`[data-error-for="${field}"]`);

export async function type(el: HTMLInputElement, value: string) {
  await act(() => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function click(el: HTMLElement) {
  await act(() => el.click());
  await settle();
}

/** Fake timers and fresh mocks for each test; the mounted app, stubbed globals and timers
 * undone after it. */
export function resetBetweenTests() {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.resetAllMocks();
  });
  afterEach(() => {
    unmountAll();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
}
