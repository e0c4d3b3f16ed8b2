// Заказ-наряды: search (the bot's folding: case, spaces, Latin/Cyrillic plate letters — done on
// the Rust side), a month calendar by folder creation date with per-day counts, and the list of
// what was searched or picked. Choosing an order opens its page.
import { useEffect, useState } from 'preact/hooks';
import * as api from '../../api';
import type { CalendarMonthDto, CommandError, OrdersPageDto } from '../../bindings';
import { ErrorBox } from '../../components/error-box';
import { toCommandError } from '../../errors';
import { formatDate, monthTitle } from '../../format';
import { useT } from '../../i18n';
import { OrderView } from './order';

const PAGE = 50;

type Listing = { kind: 'newest' } | { kind: 'search'; query: string } | { kind: 'day'; date: string };

const monthOf = (ymd: string) => ymd.slice(0, 7);

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(y, m - 1 + by, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function OrdersPage({ open, onOpen }: { open: string | null; onOpen: (folder: string | null) => void }) {
  if (open) return <OrderView folder={open} onBack={() => onOpen(null)} />;
  return <OrdersList onOpen={onOpen} />;
}

function OrdersList({ onOpen }: { onOpen: (folder: string) => void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [listing, setListing] = useState<Listing>({ kind: 'newest' });
  const [month, setMonth] = useState(monthOf(localToday()));
  const [calendar, setCalendar] = useState<CalendarMonthDto | null>(null);
  const [page, setPage] = useState<OrdersPageDto | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [error, setError] = useState<CommandError | null>(null);
  const fail = (e: unknown) => setError(toCommandError(e, t('ui-error-unexpected')));

  useEffect(() => {
    let current = true;
    api.calendarMonth(month).then((c) => current && setCalendar(c), fail);
    return () => {
      current = false;
    };
  }, [month]);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const asked =
        listing.kind === 'day'
          ? api.ordersOfDay(listing.date, 0, limit)
          : api.ordersPage(listing.kind === 'search' ? listing.query : '', 0, limit);
      asked.then((p) => {
        if (current) {
          setError(null);
          setPage(p);
        }
      }, fail);
    }, listing.kind === 'search' ? 150 : 0);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [listing, limit]);

  const heading =
    listing.kind === 'newest'
      ? t('ui-orders-newest')
      : listing.kind === 'day'
        ? t('ui-orders-day', { date: formatDate(listing.date), count: page?.total ?? 0 })
        : t('ui-orders-found', { count: page?.total ?? 0 });

  return (
    <section class="page page-orders" data-page="orders">
      <h1 class="page-title">{t('ui-nav-orders')}</h1>
      <div class="orders-layout">
        <div class="orders-main">
          <input
            type="text"
            class="search"
            data-field="orders-search"
            placeholder={t('ui-orders-search')}
            aria-label={t('ui-orders-search')}
            value={text}
            onInput={(e) => {
              const value = e.currentTarget.value;
              setText(value);
              setLimit(PAGE);
              setListing(value.trim() ? { kind: 'search', query: value } : { kind: 'newest' });
            }}
          />
          {error && <ErrorBox error={error} />}
          <h2 class="section-title" data-testid="orders-heading">{heading}</h2>
          {page && page.orders.length === 0 && <p class="notice">{t('ui-orders-none')}</p>}
          <ul class="order-list" data-testid="orders-list">
            {page?.orders.map((o) => (
              <li key={o.folder}>
                <button type="button" class="order-item" data-order={o.folder} onClick={() => onOpen(o.folder)}>
                  <span class="order-number">{o.number}</span>
                  {o.plate && <span class="plate">{o.plate}</span>}
                  <span class="muted">{formatDate(o.created)}</span>
                </button>
              </li>
            ))}
          </ul>
          {page && page.total > page.orders.length && (
            <button type="button" data-testid="orders-more" onClick={() => setLimit(limit + PAGE)}>
              {t('ui-orders-more')}
            </button>
          )}
        </div>
        {calendar && (
          <Calendar
            calendar={calendar}
            selected={listing.kind === 'day' ? listing.date : null}
            onMonth={(by) => setMonth(shiftMonth(month, by))}
            onDay={(date) => {
              setText('');
              setLimit(PAGE);
              setListing({ kind: 'day', date });
            }}
          />
        )}
      </div>
    </section>
  );
}

function Calendar({
  calendar,
  selected,
  onMonth,
  onDay,
}: {
  calendar: CalendarMonthDto;
  selected: string | null;
  onMonth: (by: number) => void;
  onDay: (date: string) => void;
}) {
  const t = useT();
  const [y, m] = calendar.month.split('-').map(Number) as [number, number];
  const first = new Date(y, m - 1, 1);
  const days = new Date(y, m, 0).getDate();
  const lead = (first.getDay() + 6) % 7; // Monday first
  const counts = new Map(calendar.days.map((d) => [d.day, d.orders]));
  const lang = document.documentElement.lang || 'ru';
  const title = monthTitle(y, m, lang);
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    new Date(2024, 0, 1 + i).toLocaleDateString(lang, { weekday: 'short' }),
  );
  const cells: (number | null)[] = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  return (
    <div class="card calendar" data-testid="calendar" data-month={calendar.month}>
      <div class="calendar-head">
        <button type="button" class="small" aria-label={t('ui-orders-prev-month')} title={t('ui-orders-prev-month')} data-testid="calendar-prev" onClick={() => onMonth(-1)}>
          ‹
        </button>
        <span class="calendar-title" data-testid="calendar-title">{title}</span>
        <button type="button" class="small" aria-label={t('ui-orders-next-month')} title={t('ui-orders-next-month')} data-testid="calendar-next" onClick={() => onMonth(1)}>
          ›
        </button>
      </div>
      <div class="calendar-grid">
        {weekdays.map((w) => (
          <span key={w} class="weekday">{w}</span>
        ))}
        {cells.map((day, i) => {
          if (day === null) return <span key={`e${i}`} />;
          const date = `${calendar.month}-${String(day).padStart(2, '0')}`;
          const count = counts.get(day) ?? 0;
          const classes = ['day', count ? 'has-orders' : '', date === calendar.today ? 'today' : '', date === selected ? 'selected' : ''];
          return (
            <button
              key={date}
              type="button"
              class={classes.filter(Boolean).join(' ')}
              data-day={date}
              data-count={count}
              disabled={count === 0}
              onClick={() => onDay(date)}
            >
              <span>{day}</span>
              {count > 0 && <span class="count">{count}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}
