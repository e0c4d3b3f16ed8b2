// The orders folder: typed (network paths like \\nas\service\Photo cannot be picked on every
// machine) or picked with the native dialog, and checked live so the user sees at once whether
// the bot will find the orders there.
import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from '../../api';
import type { CommandError, OrdersRootCheck } from '../../bindings';
import { Details, ErrorBox } from '../../components/error-box';
import { Field, inputProps } from '../../components/field';
import { toCommandError } from '../../errors';
import { formatDate } from '../../format';
import { useT } from '../../i18n';

/** How long typing must pause before the folder is checked. */
export const CHECK_DELAY_MS = 250;

type Props = {
  path: string;
  closedKeyword: string;
  error: string | undefined;
  onChange: (path: string) => void;
};

export function OrdersRootField({ path, closedKeyword, error, onChange }: Props) {
  const t = useT();
  const [check, setCheck] = useState<OrdersRootCheck | null>(null);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const [checking, setChecking] = useState(false);
  // Answers can come back out of order (a slow network share, then a fast local path): only the
  // answer to the latest question is shown.
  const latest = useRef(0);
  // The first check (the saved folder) and one right after picking need no typing pause.
  const immediate = useRef(true);

  useEffect(() => {
    const seq = ++latest.current;
    const delay = immediate.current ? 0 : CHECK_DELAY_MS;
    immediate.current = false;
    if (path.trim() === '') {
      // Nothing to check: the field's own "fill this in" mark says it.
      setCheck(null);
      setFailure(null);
      setChecking(false);
      return;
    }
    setChecking(true);
    const timer = setTimeout(async () => {
      try {
        const answer = await api.checkOrdersRoot(path, closedKeyword);
        if (seq !== latest.current) return;
        setCheck(answer);
        setFailure(null);
      } catch (e) {
        if (seq !== latest.current) return;
        setCheck(null);
        setFailure(toCommandError(e, t('ui-error-unexpected')));
      }
      setChecking(false);
    }, delay);
    return () => clearTimeout(timer);
  }, [path, closedKeyword]);

  const pick = async () => {
    try {
      const picked = await api.pickOrdersFolder();
      if (picked === null) return; // the dialog was cancelled
      immediate.current = true;
      onChange(picked);
    } catch (e) {
      setFailure(toCommandError(e, t('ui-error-unexpected')));
    }
  };

  const state = checking ? 'checking' : check?.readable ? 'ok' : 'bad';
  return (
    <Field field="orders.root" label={t('ui-settings-root')} error={error}>
      <div class="input-row">
        <input
          type="text"
          class="path-input"
          spellcheck={false}
          {...inputProps('orders.root', error)}
          value={path}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
        <button type="button" data-testid="pick-folder" onClick={pick}>
          {t('ui-settings-pick')}
        </button>
      </div>
      <p class="field-hint">{t('ui-settings-root-hint')}</p>
      <div class={`root-check root-check-${state}`} aria-live="polite">
        <p data-testid="root-check" data-state={state}>
          {checking ? t('ui-settings-checking') : (check?.message ?? '')}
        </p>
        {!checking && check?.details && <Details text={check.details} />}
        {!checking && check?.readable && check.newest.length > 0 && (
          <div class="newest" data-testid="root-newest">
            <span class="muted">{t('ui-settings-newest')}:</span>
            <ul>
              {check.newest.map((order) => (
                <li key={order.folder}>
                  <span class="path">{order.folder}</span> <span class="muted">{formatDate(order.created)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {!checking && failure && <ErrorBox error={failure} />}
      </div>
    </Field>
  );
}
