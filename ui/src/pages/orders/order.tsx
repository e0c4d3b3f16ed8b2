// An order's page: its folder and creation date, the phones of its phone file with the clients
// using them, stages with file counts, "Открыть папку", the invite (link, a QR code made on
// this computer, an SMS text and a print sheet), the timeline, and the evidence pack export.
// A file whose bytes no longer match their recorded SHA-256 is flagged once the check is done.
import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from '../../api';
import type { CommandError, ExportDto, FileChecks, InviteDto, OrderDetail, TimelineDto } from '../../bindings';
import { ErrorBox } from '../../components/error-box';
import { toCommandError } from '../../errors';
import { formatDate } from '../../format';
import { useT } from '../../i18n';
import { Timeline } from './timeline';

export function OrderView({ folder, onBack }: { folder: string; onBack: () => void }) {
  const t = useT();
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [invite, setInvite] = useState<InviteDto | CommandError | null>(null);
  const [timeline, setTimeline] = useState<TimelineDto | null>(null);
  const [checks, setChecks] = useState<FileChecks | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [exported, setExported] = useState<ExportDto | null>(null);
  const [exporting, setExporting] = useState(false);
  const fail = (e: unknown) => setError(toCommandError(e, t('ui-error-unexpected')));

  useEffect(() => {
    let current = true;
    const keep =
      <T,>(set: (v: T) => void) =>
      (v: T) => {
        if (current) set(v);
      };
    api.orderDetail(folder).then(keep(setDetail), fail);
    api.orderTimeline(folder).then(keep(setTimeline), fail);
    api.orderInvite(folder).then(keep(setInvite), (e) => current && setInvite(toCommandError(e, t('ui-error-unexpected'))));
    // Hashing every file takes a while on a share: it comes last and marks files when done.
    api.checkOrderFiles(folder).then(keep(setChecks), () => {});
    return () => {
      current = false;
    };
  }, [folder]);

  const exportPack = async (choose: boolean) => {
    setExporting(true);
    setError(null);
    try {
      const name = detail ? `ServiceBot-${detail.number}-${new Date().toISOString().slice(0, 10)}.html` : null;
      const done = await api.exportOrder(folder, choose, name);
      if (done) setExported(done);
    } catch (e) {
      fail(e);
    } finally {
      setExporting(false);
    }
  };

  const flagged = new Map((checks?.flagged ?? []).map((f) => [f.media_id, f.check]));
  return (
    <section class="page page-order" data-page="order" data-order={folder}>
      <button type="button" class="link" data-testid="order-back" onClick={onBack}>
        {t('ui-order-back')}
      </button>
      <h1 class="page-title" data-testid="order-title">
        {detail?.number ?? folder} {detail?.plate && <span class="plate">{detail.plate}</span>}
      </h1>
      {error && <ErrorBox error={error} />}
      {checks && checks.flagged.length > 0 && (
        <p class="banner danger" data-testid="order-flagged">{t('ui-order-flagged', { count: checks.flagged.length })}</p>
      )}
      {detail && (
        <div class="order-grid">
          <div class="card">
            <dl class="facts compact">
              <div class="fact">
                <dt>{t('ui-order-folder')}</dt>
                <dd>
                  <div class="path" data-testid="order-path">{detail.path}</div>
                  <button type="button" class="small" data-testid="order-open-folder" onClick={() => api.openOrderFolder(folder).catch(fail)}>
                    {t('ui-order-open-folder')}
                  </button>
                </dd>
              </div>
              <div class="fact">
                <dt>{t('ui-order-created')}</dt>
                <dd data-testid="order-created">
                  {formatDate(detail.created)}{' '}
                  {detail.created_from === 'first_seen' && <span class="muted">{t('ui-order-created-first-seen')}</span>}
                </dd>
              </div>
              <div class="fact">
                <dt>{t('ui-order-phones')}</dt>
                <dd data-testid="order-phones">
                  {detail.phones.length === 0 && <span class="muted">{t('ui-order-no-phones')}</span>}
                  {detail.phones.map((p) => (
                    <div key={p.phone} class="phone-line">
                      <span class="nowrap">{p.phone}</span>{' — '}
                      {p.clients.length === 0 ? (
                        <span class="muted">{t('ui-order-not-connected')}</span>
                      ) : (
                        p.clients.map((c) => (
                          <span key={c.telegram_id} class="client" data-client={c.telegram_id}>
                            {c.name}
                            {c.blocked_bot && <span class="error-text"> ({t('ui-order-blocked-bot')})</span>}
                          </span>
                        ))
                      )}
                    </div>
                  ))}
                </dd>
              </div>
              <div class="fact">
                <dt>{t('ui-order-stages')}</dt>
                <dd>
                  <ul class="stage-list" data-testid="order-stages">
                    {detail.stages.map((s) => (
                      <li key={s.folder} data-stage={s.folder} data-files={s.files}>
                        <span>{s.title}</span> <span class="number">{s.files}</span>
                        {!s.client_visible && <span class="muted"> · {t('ui-order-internal')}</span>}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            </dl>
            <div class="actions">
              <button type="button" class="primary" data-testid="order-export" disabled={exporting} onClick={() => exportPack(false)}>
                {t('ui-order-export')} · {t('ui-order-export-folder')}
              </button>
              <button type="button" data-testid="order-export-choose" disabled={exporting} onClick={() => exportPack(true)}>
                {t('ui-order-export-choose')}
              </button>
            </div>
            {exported && (
              <p class="banner ok" data-testid="order-exported">
                {t('ui-order-exported', { path: exported.path })}
              </p>
            )}
          </div>
          <InviteCard invite={invite} detail={detail} />
        </div>
      )}
      <h2 class="section-title">{t('ui-order-timeline')}</h2>
      {timeline && <Timeline items={timeline.items} flagged={flagged} />}
    </section>
  );
}

function isError(v: InviteDto | CommandError): v is CommandError {
  return 'code' in v;
}

function InviteCard({ invite, detail }: { invite: InviteDto | CommandError | null; detail: OrderDetail }) {
  const t = useT();
  const [copied, setCopied] = useState<string | null>(null);
  const sms = useRef<HTMLTextAreaElement>(null);
  if (!invite) return <div class="card invite" />;
  if (isError(invite)) {
    return (
      <div class="card invite" data-testid="invite">
        <h2>{t('ui-order-invite')}</h2>
        <p class="muted" data-testid="invite-problem">{invite.message}</p>
      </div>
    );
  }
  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // The webview may refuse the clipboard API: select the text so Ctrl+C works.
      sms.current?.select();
    }
    setCopied(what);
  };
  return (
    <div class="card invite" data-testid="invite">
      <h2>{t('ui-order-invite')}</h2>
      <img class="qr" data-testid="invite-qr" src={invite.qr_data_url} alt={invite.url} width={200} height={200} />
      <div class="input-row">
        <input type="text" readOnly data-field="invite-url" value={invite.url} />
        <button type="button" class="small" data-testid="invite-copy" onClick={() => copy('url', invite.url)}>
          {copied === 'url' ? t('ui-order-copied') : t('ui-order-copy')}
        </button>
      </div>
      <label class="field-label">{t('ui-order-sms')}</label>
      <textarea ref={sms} readOnly rows={3} data-field="invite-sms" value={invite.sms_text} />
      <div class="actions">
        <button type="button" class="small" data-testid="invite-copy-sms" onClick={() => copy('sms', invite.sms_text)}>
          {copied === 'sms' ? t('ui-order-copied') : t('ui-order-copy')}
        </button>
        <button type="button" class="small" data-testid="invite-print" onClick={() => window.print()}>
          {t('ui-order-print')}
        </button>
      </div>
      {/* Only this sheet is printed (see @media print in styles.css). */}
      <div class="print-sheet" data-testid="print-sheet">
        <div class="print-org">{invite.organization || detail.organization}</div>
        <div class="print-order">{invite.order_no}</div>
        <img src={invite.qr_data_url} alt="" width={300} height={300} />
        <p>{t('ui-order-print-instructions')}</p>
      </div>
    </div>
  );
}
