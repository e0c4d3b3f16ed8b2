// The settings form's own model: what the inputs hold, and how it becomes a SettingsDraft.
import type { FieldError, SettingsDraft, SettingsView, StageDto } from '../../bindings';

/** A stage row with a key that survives reordering, so inputs keep focus and state. */
export type EditStage = StageDto & { key: number };

/** The draft as typed: the token input is a string ('' = keep the saved token). */
export type Form = Omit<SettingsDraft, 'token' | 'stages'> & { token: string; stages: EditStage[] };

let nextKey = 1;
export const stageKey = () => nextKey++;

export function formFromView(view: SettingsView): Form {
  return {
    token: '', // the saved token never comes back to the window, only its last characters
    api_url: view.api_url,
    orders_root: view.orders_root,
    organization_name: view.organization_name,
    closed_keyword: view.closed_keyword,
    language: view.language,
    default_country_code: view.default_country_code,
    stages: view.stages.map((stage) => ({ ...stage, key: stageKey() })),
  };
}

/** What the commands take. An empty token field means "keep the saved token": null. */
export function draftFromForm(form: Form): SettingsDraft {
  const token = form.token.trim();
  return {
    token: token === '' ? null : token,
    api_url: form.api_url,
    orders_root: form.orders_root,
    organization_name: form.organization_name,
    closed_keyword: form.closed_keyword,
    language: form.language,
    default_country_code: form.default_country_code,
    stages: form.stages.map(({ title, folder, client_visible, approval }) => ({
      title,
      folder,
      client_visible,
      approval,
    })),
  };
}

/** The first message for each field (the Rust side may report several). */
export function messagesByField(errors: readonly FieldError[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const error of errors) {
    if (!byField.has(error.field)) byField.set(error.field, error.message);
  }
  return byField;
}

/** Whether a field the bot still needs (SettingsView.missing) is still left empty. */
export function stillEmpty(form: Form, field: string): boolean {
  switch (field) {
    case 'telegram.token':
      return form.token.trim() === '';
    case 'orders.root':
      return form.orders_root.trim() === '';
    default:
      // Unknown to the form: keep the mark until a save answers with a fresh `missing`.
      return true;
  }
}
