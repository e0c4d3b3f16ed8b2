import { describe, expect, it, vi } from 'vitest';
import * as api from '../src/api';
import type { OrderDetail, TimelineItem } from '../src/bindings';
import { $, byTestId, click, get, input, mountApp, resetBetweenTests, settingsView, settle, type, useApi } from './support';

vi.mock('../src/api', () => import('./api-mock'));

resetBetweenTests();

const detail: OrderDetail = {
  folder: 'ЗН-1 А123ВС77',
  number: 'ЗН-1',
  plate: 'А123ВС77',
  path: 'D:\\Photo\\ЗН-1 А123ВС77',
  created: '2026-03-09',
  created_from: 'birth',
  phones: [{ phone: '+7 912 345-67-89', clients: [{ telegram_id: 3, name: 'Анна', active: true, blocked_bot: false }] }],
  stages: [{ title: 'Приёмка', folder: 'Inspection', client_visible: true, files: 2 }],
  organization: 'Автоцентр',
};

const item = (change: Partial<TimelineItem>): TimelineItem => ({
  key: 't1',
  at: '2026-03-09T10:00:00Z',
  side: 'client',
  kind: 'text',
  who: 'Анна',
  versions: [],
  media: null,
  approval: null,
  event: null,
  failed: false,
  ...change,
});

function orderApi() {
  const m = vi.mocked(api);
  m.calendarMonth.mockImplementation(async (month) => ({ month, days: [{ day: 9, orders: 2 }], today: `${month}-09` }));
  m.ordersPage.mockResolvedValue({ total: 1, offset: 0, orders: [{ folder: detail.folder, number: 'ЗН-1', plate: 'А123ВС77', created: '2026-03-09' }] });
  m.ordersOfDay.mockResolvedValue({ total: 0, offset: 0, orders: [] });
  m.orderDetail.mockResolvedValue(detail);
  m.orderInvite.mockResolvedValue({
    order_no: 'ЗН-1',
    url: 'https://t.me/service_bot?start=abc',
    qr_data_url: 'data:image/svg+xml;base64,PHN2Zy8+',
    sms_text: 'Здравствуйте! https://t.me/service_bot?start=abc',
    organization: 'Автоцентр',
  });
  m.orderTimeline.mockResolvedValue({
    items: [
      item({ versions: [{ at: '2026-03-09T10:00:00Z', text: 'Скока' }, { at: '2026-03-09T10:01:00Z', text: 'Сколько?' }] }),
      item({
        key: 't2',
        side: 'staff',
        kind: 'media',
        who: 'Иван',
        media: {
          media_id: 7,
          kind: 'photo',
          kind_text: 'фото',
          name: 'a.jpg',
          thumbnail_path: 'ЗН-1 А123ВС77/Inspection/a.jpg',
          size: 2048,
          duration: null,
          stage: 'Приёмка',
          storage: 'stored',
          relay: 'sent',
        },
      }),
      item({
        key: 't3',
        side: 'staff',
        kind: 'media',
        who: 'Иван',
        media: {
          media_id: 8,
          kind: 'video',
          kind_text: 'видео',
          name: 'clip.mp4',
          thumbnail_path: null,
          size: 3 * 1024 * 1024,
          duration: '1:05',
          stage: 'Приёмка',
          storage: 'stored',
          relay: 'sent',
        },
      }),
    ],
  });
  m.thumbnail.mockResolvedValue('data:image/jpeg;base64,AAAA');
  m.checkOrderFiles.mockResolvedValue({ checked: 1, flagged: [{ media_id: 7, check: 'changed', name: 'a.jpg' }] });
  m.exportOrder.mockResolvedValue({ path: 'D:\\Photo\\ЗН-1 А123ВС77\\ServiceBot-ЗН-1-2026-03-09.html', files: 1, flagged: 1 });
  m.openOrderFolder.mockResolvedValue(undefined);
}

async function openOrders() {
  await mountApp();
  await click(byTestId('nav-orders'));
  await settle(200);
}

describe('Заказ-наряды', () => {
  it('searches as typed and marks calendar days with their counts', async () => {
    useApi();
    orderApi();
    await openOrders();
    const nine = get('[data-day$="-09"]');
    expect(nine.dataset.count).toBe('2');
    expect(nine.querySelector('.count')?.textContent).toBe('2');
    await type(input('orders-search'), 'a123');
    await settle(200);
    expect(api.ordersPage).toHaveBeenLastCalledWith('a123', 0, 50);
    expect(byTestId('orders-heading').textContent).toBe('Найдено: 1');
    await click(nine);
    await settle();
    expect(api.ordersOfDay).toHaveBeenCalled();
  });

  it('titles the calendar with the month capitalised and the year — «Декабрь 2026», never «2026 Г.»', async () => {
    useApi();
    orderApi();
    vi.setSystemTime(new Date(2026, 11, 9, 12));
    await openOrders();
    expect(byTestId('calendar-title').textContent).toBe('Декабрь 2026');
    await click(byTestId('calendar-next'));
    expect(byTestId('calendar').dataset.month).toBe('2027-01');
    expect(byTestId('calendar-title').textContent).toBe('Январь 2027');
  });

  it('opens an order: phones with clients, stages, invite, timeline with lazy thumbnails, flags, export', async () => {
    useApi();
    orderApi();
    // Thumbnails are asked for only once they come into view.
    const watched: { fire: () => void }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(private readonly report: (entries: { isIntersecting: boolean }[]) => void) {}
        observe() {
          watched.push({ fire: () => this.report([{ isIntersecting: true }]) });
        }
        disconnect() {}
      },
    );
    await openOrders();
    await click(get(`[data-order="${detail.folder}"]`));
    await settle();
    expect(byTestId('order-phones').textContent).toContain('Анна');
    expect(get('[data-stage="Inspection"]').dataset.files).toBe('2');
    expect(get<HTMLImageElement>('[data-testid="invite-qr"]').src).toContain('data:image/svg+xml');
    expect(get<HTMLTextAreaElement>('[data-field="invite-sms"]').value).toContain('https://t.me/service_bot?start=abc');
    expect(byTestId('print-sheet').textContent).toContain('Автоцентр');
    const texts = Array.from(document.querySelectorAll('[data-testid="message-text"]')).map((e) => e.textContent);
    expect(texts).toEqual(['Сколько?']);
    expect(api.thumbnail).not.toHaveBeenCalled();
    expect(watched).toHaveLength(1);
    watched[0]!.fire();
    await settle();
    expect(api.thumbnail).toHaveBeenCalledWith('ЗН-1 А123ВС77/Inspection/a.jpg');
    expect(get('[data-thumb] img').getAttribute('src')).toBe('data:image/jpeg;base64,AAAA');
    expect(byTestId('file-flag').dataset.check).toBe('changed');
    // A video: its icon, size and how long it plays; a photo has no length.
    const video = get('[data-media="8"]');
    expect(video.querySelector('.media-icon')?.textContent).toBe('🎬');
    expect(video.querySelector('[data-testid="media-duration"]')?.textContent).toBe('1:05');
    expect(video.querySelector('.media-facts')?.textContent).toContain('видео · Приёмка · 3.0 MB · 1:05');
    expect(get('[data-media="7"]').querySelector('[data-testid="media-duration"]')).toBeNull();
    expect(byTestId('order-flagged')).toBeTruthy();
    await click(byTestId('order-export'));
    expect(api.exportOrder).toHaveBeenCalledWith(detail.folder, false, expect.stringContaining('ServiceBot-ЗН-1-'));
    expect(byTestId('order-exported').textContent).toContain('ServiceBot-ЗН-1-2026-03-09.html');
    await click(byTestId('order-back'));
    expect($('[data-page="order"]')).toBeNull();
  });

  it('lists waiting clients on Состояние and opens their order', async () => {
    useApi();
    orderApi();
    vi.mocked(api.unanswered).mockResolvedValue([
      { order_no: 'ЗН-1', order_folder: detail.folder, client_id: 3, client: 'Анна', since: '2026-03-09T10:00:00Z', overdue: true },
    ]);
    await mountApp();
    expect(byTestId('unanswered').textContent).toContain('Анна');
    await click(get(`[data-waiting="${detail.folder}"]`));
    await settle();
    expect(get('[data-page="order"]').dataset.order).toBe(detail.folder);
  });
});

describe('a clicked notification', () => {
  it('opens its order when the window is brought up, and only then', async () => {
    const { bringUp } = useApi();
    orderApi();
    await mountApp();
    expect($('[data-page="status"]')).not.toBeNull();
    // Brought up with no notification clicked: the page stays where it is.
    await bringUp();
    expect($('[data-testid="order-title"]')).toBeNull();
    // The manager clicked the notification about ЗН-1: the host keeps its order for the window.
    vi.mocked(api).takeAlertOrder.mockResolvedValueOnce(detail.folder);
    await bringUp();
    await settle(200);
    expect(byTestId('order-title').textContent).toContain('ЗН-1');
  });

  it('opens the order of a notification clicked before the window had loaded', async () => {
    useApi();
    orderApi();
    const m = vi.mocked(api);
    m.takeAlertOrder.mockResolvedValueOnce(detail.folder);
    // The settings arrive after the clicked order is known: loading must not switch away.
    m.getSettings.mockImplementation(
      () => new Promise((done) => setTimeout(() => done(settingsView()), 100)),
    );
    await mountApp();
    await settle(300);
    expect(byTestId('order-title').textContent).toContain('ЗН-1');
  });
});
