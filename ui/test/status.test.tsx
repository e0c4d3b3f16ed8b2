import { describe, expect, it, vi } from 'vitest';
import * as api from '../src/api';
import { $, byTestId, click, get, mountApp, settingsView, status, resetBetweenTests, useApi } from './support';

vi.mock('../src/api', () => import('./api-mock'));

resetBetweenTests();

describe('Состояние', () => {
  it('shows the headline, @username and Stop while running, and marks the body ready', async () => {
    useApi();
    await mountApp();
    expect(document.body.dataset.ready).toBe('true');
    expect(get('[data-page]').dataset.page).toBe('status');
    expect(byTestId('bot-headline').textContent).toBe('Работает');
    expect(byTestId('bot-username').textContent).toBe('@service_bot');
    expect(byTestId('bot-stop').textContent).toBe('Остановить бота');
    expect($('[data-testid="bot-start"]')).toBeNull();
    expect(byTestId('outbox-queue').textContent).toBe('3');
    expect(byTestId('files-today').textContent).toBe('12');
    expect(byTestId('messages-today').textContent).toBe('40');
    expect(byTestId('orders-message').textContent).toBe('Найдено 5 открытых заказ-нарядов.');
    expect(byTestId('last-error').textContent).toBe('нет');
  });

  it('follows pushed status-changed events without asking again', async () => {
    const { push } = useApi();
    await mountApp();
    await push(status({ bot_state: 'stopped', headline: 'Остановлен', username: null }));
    expect(byTestId('bot-headline').textContent).toBe('Остановлен');
    expect($('[data-testid="bot-username"]')).toBeNull();
    expect(byTestId('bot-start').textContent).toBe('Запустить бота');
    expect($('[data-testid="bot-stop"]')).toBeNull();
    // The status is pushed, never polled.
    expect(api.getStatus).toHaveBeenCalledTimes(1);
  });

  it('starts the bot, and shows a start failure as its message with details collapsed', async () => {
    useApi({ status: status({ bot_state: 'stopped', headline: 'Остановлен', username: null }) });
    vi.mocked(api.startBot).mockRejectedValueOnce({
      code: 'bot_not_configured',
      message: 'Бот не может запуститься, пока не указан токен.',
      details: 'token: None',
      fields: [],
    });
    await mountApp();
    await click(byTestId('bot-start'));
    expect(api.startBot).toHaveBeenCalledTimes(1);
    const error = byTestId('command-error');
    expect(error.querySelector('.error-message')?.textContent).toBe('Бот не может запуститься, пока не указан токен.');
    const details = get<HTMLDetailsElement>('[data-testid="command-error"] details');
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('подробности');
  });

  it('shows the last error with its local time and offline-since with the 24-hour hint', async () => {
    const at = new Date(2025, 2, 4, 9, 41).toISOString();
    useApi({
      status: status({
        bot_state: 'error',
        headline: 'Ошибка',
        last_error: { message: 'Нет связи с Telegram.', details: 'timeout', at },
        offline_since: at,
      }),
    });
    await mountApp();
    expect(byTestId('last-error').textContent).toContain('Нет связи с Telegram.');
    expect(byTestId('last-error').textContent).toContain('04.03.2025 09:41');
    expect(get<HTMLDetailsElement>('[data-testid="last-error"] details').open).toBe(false);
    expect(byTestId('offline-since').textContent).toContain('Telegram хранит неполученные сообщения только 24 часа.');
    // In the error state the bot is still up (it reconnects): it can be stopped.
    expect(byTestId('bot-stop')).toBeTruthy();
  });

  it('disables Start without a token and offers the way to Настройки', async () => {
    useApi({ status: status({ bot_state: 'stopped', headline: 'Остановлен', can_start: false }) });
    await mountApp();
    expect(byTestId<HTMLButtonElement>('bot-start').disabled).toBe(true);
    await click(byTestId('open-settings'));
    expect(get('[data-page]').dataset.page).toBe('settings');
  });

  it('opens Настройки first while the bot still lacks what it needs', async () => {
    useApi({
      settings: settingsView({ missing: [{ field: 'orders.root', code: 'root_missing', message: 'Укажите папку.' }] }),
    });
    await mountApp();
    expect(get('[data-page]').dataset.page).toBe('settings');
    expect(byTestId('nav-settings').getAttribute('aria-current')).toBe('page');
  });
});
