// Состояние: big and plain. The status is pushed by the shell (`status-changed`) and handed in
// by the app; this page only shows it and starts or stops the bot.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api';
import type { CommandError, StatusDto, UnansweredDto } from '../bindings';
import { Details, ErrorBox } from '../components/error-box';
import { toCommandError } from '../errors';
import { formatDateTime } from '../format';
import { useT } from '../i18n';

type Props = { status: StatusDto; onOpenSettings: () => void; onOpenOrder: (folder: string) => void };

/** How often the waiting clients are asked for while the page is shown. */
const WAITING_EVERY_MS = 30_000;

export function StatusPage({ status, onOpenSettings, onOpenOrder }: Props) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  // Start and stop answer once the bot has been told; the new state itself arrives as an event.
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(toCommandError(e, t('ui-error-unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const stopped = status.bot_state === 'stopped';
  const none = t('ui-status-none');

  return (
    <section class="page page-status" data-page="status">
      <header class="status-head">
        <span class={`dot dot-${status.bot_state}`} aria-hidden="true" />
        <h1 class="headline" data-testid="bot-headline" data-state={status.bot_state}>
          {status.headline}
        </h1>
        {status.bot_state === 'running' && status.username && (
          <span class="username" data-testid="bot-username">
            @{status.username}
          </span>
        )}
      </header>

      <div class="actions">
        {stopped ? (
          <button
            type="button"
            class="primary big"
            data-testid="bot-start"
            disabled={busy || !status.can_start}
            onClick={() => run(api.startBot)}
          >
            {t('ui-status-start')}
          </button>
        ) : (
          <button
            type="button"
            class="big"
            data-testid="bot-stop"
            disabled={busy}
            onClick={() => run(api.stopBot)}
          >
            {t('ui-status-stop')}
          </button>
        )}
        {stopped && !status.can_start && (
          <button type="button" class="link" data-testid="open-settings" onClick={onOpenSettings}>
            {t('ui-status-open-settings')}
          </button>
        )}
      </div>
      {error && <ErrorBox error={error} />}

      <dl class="facts">
        <Row label={t('ui-status-last-error')}>
          <div data-testid="last-error">
            {status.last_error ? (
              <>
                <span class="error-text">{status.last_error.message}</span>{' '}
                <span class="muted">{formatDateTime(status.last_error.at)}</span>
                {status.last_error.details && <Details text={status.last_error.details} />}
              </>
            ) : (
              <span class="muted">{none}</span>
            )}
          </div>
        </Row>
        {status.offline_since && (
          <Row label={t('ui-status-offline-since')}>
            <div data-testid="offline-since">
              {formatDateTime(status.offline_since)}
              <p class="hint">{t('ui-status-offline-hint')}</p>
            </div>
          </Row>
        )}
        <Row label={t('ui-status-queue')}>
          <span class="number" data-testid="outbox-queue">{status.outbox_queue}</span>
        </Row>
        <Row label={t('ui-status-files-today')}>
          <span class="number" data-testid="files-today">{status.files_today}</span>
        </Row>
        <Row label={t('ui-status-messages-today')}>
          <span class="number" data-testid="messages-today">{status.messages_today}</span>
        </Row>
        <Row label={t('ui-status-orders')}>
          <div>
            <div class="path">{status.orders_root || none}</div>
            <div class={`orders-${status.orders_state}`} data-testid="orders-message">
              {status.orders_message}
            </div>
          </div>
        </Row>
      </dl>
      <Waiting onOpenOrder={onOpenOrder} />
    </section>
  );
}

/** The clients waiting for an answer, longest first; each opens its order. */
function Waiting({ onOpenOrder }: { onOpenOrder: (folder: string) => void }) {
  const t = useT();
  const [waiting, setWaiting] = useState<UnansweredDto[] | null>(null);
  useEffect(() => {
    let current = true;
    const ask = () =>
      api.unanswered().then(
        (w) => current && setWaiting(w),
        () => {},
      );
    void ask();
    const timer = setInterval(ask, WAITING_EVERY_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, []);
  return (
    <div class="card waiting" data-testid="unanswered">
      <h2>{t('ui-status-unanswered')}</h2>
      {waiting && waiting.length === 0 && <p class="muted">{t('ui-status-unanswered-none')}</p>}
      <ul class="waiting-list">
        {waiting?.map((w) => (
          <li key={`${w.order_folder}-${w.client_id}`} class={w.overdue ? 'overdue' : ''}>
            <button type="button" class="link" data-waiting={w.order_folder} onClick={() => onOpenOrder(w.order_folder)}>
              {w.order_no}
            </button>{' '}
            {w.client} <span class={w.overdue ? 'error-text' : 'muted'}>{t('ui-status-unanswered-since', { since: formatDateTime(w.since) })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
