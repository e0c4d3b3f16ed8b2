// Настройки: the config file as a form. Each edit is validated by the Rust side (debounced), so
// the rules live in one place; Save writes the file and restarts the bot.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import * as api from '../../api';
import type { CommandError, FieldError, SettingsView } from '../../bindings';
import { ErrorBox } from '../../components/error-box';
import { Field, inputProps } from '../../components/field';
import { toCommandError } from '../../errors';
import { useT } from '../../i18n';
import { Autostart } from './autostart';
import { draftFromForm, formFromView, messagesByField, stillEmpty, type Form } from './form';
import { OrdersRootField } from './orders-root';
import { StagesEditor } from './stages';

/** How long typing must pause before the draft is validated. */
export const VALIDATE_DELAY_MS = 250;

const ADVANCED_FIELDS = ['telegram.api_url', 'organization.language', 'phone.default_country_code'];
const LANGUAGES = ['ru', 'en'];

type Save = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: CommandError };

/**
 * `visible`: the page stays mounted while another page is shown, so what the manager typed and
 * has not saved yet is still there on coming back; hidden, it is not the `data-page`.
 */
type Props = { view: SettingsView; visible: boolean; onSaved: (view: SettingsView) => void };

export function SettingsPage({ view: initial, visible, onSaved }: Props) {
  const t = useT();
  const [view, setView] = useState(initial);
  const [form, setForm] = useState<Form>(() => formFromView(initial));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [save, setSave] = useState<Save>({ kind: 'idle' });
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const edited = useRef(false);
  const validation = useRef(0);

  // Validate what the user typed once typing pauses; a stale answer is dropped.
  useEffect(() => {
    if (!edited.current) return;
    const seq = ++validation.current;
    const timer = setTimeout(async () => {
      try {
        const found = await api.validateSettings(draftFromForm(form));
        if (seq === validation.current) setErrors(found);
      } catch {
        // Live hints are a convenience: Save reports any error in full.
      }
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [form]);

  const update = (change: Partial<Form>) => {
    edited.current = true;
    setSave((s) => (s.kind === 'saving' ? s : { kind: 'idle' }));
    setForm((f) => ({ ...f, ...change }));
  };

  const messages = useMemo(() => messagesByField(errors), [errors]);
  const missing = useMemo(() => messagesByField(view.missing), [view]);
  // A field the bot still needs keeps its mark until it is filled in.
  const errorFor = (field: string) =>
    messages.get(field) ?? (stillEmpty(form, field) ? missing.get(field) : undefined);

  const submit = async () => {
    validation.current++; // an answer to an older draft must not replace the save's verdict
    setSave({ kind: 'saving' });
    try {
      const saved = await api.saveSettings(draftFromForm(form));
      edited.current = false;
      setView(saved);
      setForm(formFromView(saved));
      setErrors([]);
      setSave({ kind: 'saved' });
      onSaved(saved);
    } catch (e) {
      const error = toCommandError(e, t('ui-error-unexpected'));
      setErrors(error.fields);
      if (error.fields.some((f) => ADVANCED_FIELDS.includes(f.field))) setAdvancedOpen(true);
      setSave({ kind: 'failed', error });
    }
  };

  return (
    <section class="page page-settings" data-page={visible ? 'settings' : undefined} hidden={!visible}>
      <h1 class="page-title">{t('ui-settings-title')}</h1>
      {view.first_run && (
        <p class="banner" data-testid="first-run-banner">
          {t('ui-settings-first-run')}
        </p>
      )}

      <form
        class="settings-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset class="card">
          <legend>{t('ui-settings-telegram')}</legend>
          <Field
            field="telegram.token"
            label={t('ui-settings-token')}
            hint={t('ui-settings-token-hint')}
            error={errorFor('telegram.token')}
          >
            <div class="input-row">
              <input
                type="password"
                autocomplete="off"
                spellcheck={false}
                {...inputProps('telegram.token', errorFor('telegram.token'))}
                placeholder={t('ui-settings-token-placeholder')}
                value={form.token}
                onInput={(e) => update({ token: e.currentTarget.value })}
              />
              {view.token.set && (
                <span class="token-kept" data-testid="token-hint">
                  <span class="path">{view.token.ends_with}</span> — {t('ui-settings-token-keep')}
                </span>
              )}
            </div>
          </Field>
        </fieldset>

        <fieldset class="card">
          <legend>{t('ui-settings-orders')}</legend>
          <OrdersRootField
            path={form.orders_root}
            closedKeyword={form.closed_keyword}
            error={errorFor('orders.root')}
            onChange={(orders_root) => update({ orders_root })}
          />
          <div class="two-columns">
            <Field
              field="orders.closed_keyword"
              label={t('ui-settings-closed-keyword')}
              hint={t('ui-settings-closed-keyword-hint')}
              error={errorFor('orders.closed_keyword')}
            >
              <input
                type="text"
                {...inputProps('orders.closed_keyword', errorFor('orders.closed_keyword'))}
                value={form.closed_keyword}
                onInput={(e) => update({ closed_keyword: e.currentTarget.value })}
              />
            </Field>
            <Field
              field="organization.name"
              label={t('ui-settings-organization')}
              error={errorFor('organization.name')}
            >
              <input
                type="text"
                {...inputProps('organization.name', errorFor('organization.name'))}
                value={form.organization_name}
                onInput={(e) => update({ organization_name: e.currentTarget.value })}
              />
            </Field>
          </div>
        </fieldset>

        <fieldset class="card">
          <legend>{t('ui-settings-stages')}</legend>
          <StagesEditor stages={form.stages} errorFor={errorFor} onChange={(stages) => update({ stages })} />
        </fieldset>

        <details
          class="card advanced"
          open={advancedOpen}
          onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}
        >
          <summary>{t('ui-settings-advanced')}</summary>
          <Field
            field="telegram.api_url"
            label={t('ui-settings-api-url')}
            hint={t('ui-settings-api-url-hint')}
            error={errorFor('telegram.api_url')}
          >
            <input
              type="url"
              spellcheck={false}
              {...inputProps('telegram.api_url', errorFor('telegram.api_url'))}
              value={form.api_url}
              onInput={(e) => update({ api_url: e.currentTarget.value })}
            />
          </Field>
          <div class="two-columns">
            <Field
              field="organization.language"
              label={t('ui-settings-language')}
              error={errorFor('organization.language')}
            >
              <select
                {...inputProps('organization.language', errorFor('organization.language'))}
                value={form.language}
                onChange={(e) => update({ language: e.currentTarget.value })}
              >
                {/* Keep an unexpected saved value selectable, so the form shows the truth. */}
                {[...LANGUAGES, ...(LANGUAGES.includes(form.language) ? [] : [form.language])].map((code) => (
                  <option key={code} value={code}>
                    {LANGUAGES.includes(code) ? t(`ui-settings-language-${code}`) : code}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              field="phone.default_country_code"
              label={t('ui-settings-country-code')}
              error={errorFor('phone.default_country_code')}
            >
              <input
                type="text"
                inputMode="numeric"
                class="short"
                {...inputProps('phone.default_country_code', errorFor('phone.default_country_code'))}
                value={form.default_country_code}
                onInput={(e) => update({ default_country_code: e.currentTarget.value })}
              />
            </Field>
          </div>
        </details>

        <div class="card">
          <Autostart />
        </div>

        <div class="save-bar">
          <button type="submit" class="primary" data-testid="save-settings" disabled={save.kind === 'saving'}>
            {t('ui-settings-save')}
          </button>
          <SaveResult save={save} />
        </div>
      </form>

      <p class="config-path">
        {t('ui-settings-config-file')}: <span class="path">{view.config_path}</span>
      </p>
    </section>
  );
}

function SaveResult({ save }: { save: Save }) {
  const t = useT();
  switch (save.kind) {
    case 'idle':
      return null;
    case 'saving':
      return (
        <span class="save-result" data-testid="save-result" data-state="saving">
          {t('ui-settings-saving')}
        </span>
      );
    case 'saved':
      return (
        <span class="save-result ok" data-testid="save-result" data-state="saved">
          {t('ui-settings-saved')}
        </span>
      );
    case 'failed':
      return (
        <div class="save-result failed" data-testid="save-result" data-state="failed">
          {save.error.fields.length > 0 && <p class="error-text">{t('ui-settings-has-errors')}</p>}
          <ErrorBox error={save.error} />
        </div>
      );
  }
}
