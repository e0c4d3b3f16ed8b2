// "Start with Windows" is applied the moment it is ticked: it is not part of the config file,
// so it does not wait for Save (and is not undone by a failed save).
import { useEffect, useState } from 'preact/hooks';
import * as api from '../../api';
import type { CommandError } from '../../bindings';
import { ErrorBox } from '../../components/error-box';
import { toCommandError } from '../../errors';
import { useT } from '../../i18n';

export function Autostart() {
  const t = useT();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    api.getAutostart().then(setEnabled, (e) => setError(toCommandError(e, t('ui-error-unexpected'))));
  }, []);

  const toggle = async (want: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api.setAutostart(want);
      setEnabled(want);
    } catch (e) {
      setError(toCommandError(e, t('ui-error-unexpected')));
      // `enabled` stays as it was; the re-render after `busy` resets the box to it.
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="autostart">
      <label class="check">
        <input
          type="checkbox"
          data-testid="autostart"
          checked={enabled === true}
          disabled={enabled === null || busy}
          onChange={(e) => toggle(e.currentTarget.checked)}
        />
        {t('ui-settings-autostart')}
      </label>
      {error && <ErrorBox error={error} testid="autostart-error" />}
    </div>
  );
}
