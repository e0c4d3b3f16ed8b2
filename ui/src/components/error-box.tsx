// How a failed command is shown: its sentence, and the technical details only on request.
// Raw error text is never put in front of the user.
import type { CommandError } from '../bindings';
import { useT } from '../i18n';

export function ErrorBox({ error, testid = 'command-error' }: { error: CommandError; testid?: string }) {
  return (
    <div class="error-box" role="alert" data-testid={testid} data-code={error.code}>
      <p class="error-message">{error.message}</p>
      {error.details && <Details text={error.details} />}
    </div>
  );
}

/** Technical details, collapsed under "подробности". */
export function Details({ text }: { text: string }) {
  const t = useT();
  return (
    <details class="details">
      <summary>{t('ui-details')}</summary>
      <pre>{text}</pre>
    </details>
  );
}
