// The order's transcript as a timeline: texts both ways with edits as versions, files (image
// thumbnails fetched lazily as they scroll into view, one at a time per picture; others an
// icon, the size and, for what plays, how long), approvals with decision, time and verified phone, and system events.
import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from '../../api';
import type { TimelineItem, TimelineMedia } from '../../bindings';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';

const ICONS: Record<string, string> = {
  photo: '🖼',
  video: '🎬',
  document: '📄',
  voice: '🎤',
  video_note: '📹',
  audio: '🎵',
};

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function Timeline({ items, flagged }: { items: TimelineItem[]; flagged: Map<number, string> }) {
  const t = useT();
  if (items.length === 0) return <p class="notice">{t('ui-order-timeline-empty')}</p>;
  return (
    <ol class="timeline" data-testid="timeline">
      {items.map((item) => (
        <li key={item.key} class={`entry side-${item.side} kind-${item.kind}`} data-kind={item.kind} data-side={item.side}>
          <div class="entry-head">
            <span class="muted">{formatDateTime(item.at)}</span>
            {item.who && (
              <span class="who">
                {item.who} <span class="muted">({t(item.side === 'staff' ? 'ui-order-side-staff' : 'ui-order-side-client')})</span>
              </span>
            )}
            {item.failed && <span class="error-text">{t('ui-order-not-delivered')}</span>}
          </div>
          {item.media && <Media media={item.media} flag={flagged.get(item.media.media_id)} />}
          {item.kind !== 'approval' && <Versions item={item} />}
          {item.approval && (
            <div class={`approval approval-${item.approval.decision}`} data-testid="approval">
              <strong>{t(item.approval.decision === 'approve' ? 'ui-order-approve' : 'ui-order-decline')}</strong>{' '}
              «{item.approval.description}» · {item.approval.phone} · {formatDateTime(item.approval.decided_at)}
            </div>
          )}
          {item.event && <div class="event">{item.event}</div>}
        </li>
      ))}
    </ol>
  );
}

function Versions({ item }: { item: TimelineItem }) {
  const t = useT();
  const texts = item.versions.filter((v) => v.text);
  if (texts.length === 0) return null;
  const last = texts[texts.length - 1]!;
  return (
    <div class="text">
      <div class="message" data-testid="message-text">{last.text}</div>
      {texts.length > 1 && (
        <details class="versions">
          <summary>
            {t('ui-order-edited')} ({texts.length - 1})
          </summary>
          {texts.slice(0, -1).map((v) => (
            <div key={v.at} class="old-version">
              <span class="muted">{formatDateTime(v.at)}</span> {v.text}
            </div>
          ))}
        </details>
      )}
    </div>
  );
}

function Media({ media, flag }: { media: TimelineMedia; flag: string | undefined }) {
  const t = useT();
  return (
    <div class="media" data-media={media.media_id}>
      {media.thumbnail_path ? (
        <Thumb path={media.thumbnail_path} alt={media.name ?? media.kind_text} />
      ) : (
        <span class="media-icon" aria-hidden="true">{ICONS[media.kind] ?? '📎'}</span>
      )}
      <div class="media-facts">
        <div>
          {media.kind_text} · {media.stage}
          {media.size !== null && <> · {formatSize(media.size)}</>}
          {media.duration !== null && (
            <>
              {' · '}
              <span class="duration" data-testid="media-duration">
                {media.duration}
              </span>
            </>
          )}
        </div>
        <div class="muted path">{media.name ?? t('ui-order-not-stored')}</div>
        {flag && (
          <div class="error-text" data-testid="file-flag" data-check={flag}>
            ⚠ {t(flag === 'missing' ? 'ui-order-file-missing' : 'ui-order-file-changed')}
          </div>
        )}
      </div>
    </div>
  );
}

/** A thumbnail asked for once it comes near the visible part of the page. */
function Thumb({ path, alt }: { path: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let current = true;
    const load = () =>
      api.thumbnail(path).then(
        (url) => current && setSrc(url),
        () => current && setFailed(true),
      );
    const el = box.current;
    if (typeof IntersectionObserver === 'undefined' || !el) {
      void load();
      return () => {
        current = false;
      };
    }
    const seen = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          seen.disconnect();
          void load();
        }
      },
      { rootMargin: '400px' },
    );
    seen.observe(el);
    return () => {
      current = false;
      seen.disconnect();
    };
  }, [path]);
  return (
    <span class="thumb" ref={box} data-thumb={path} data-loaded={src ? 'true' : 'false'}>
      {src ? <img src={src} alt={alt} /> : <span class="media-icon">{failed ? '⚠' : '🖼'}</span>}
    </span>
  );
}
