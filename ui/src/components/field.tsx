// One labelled form field. The input itself carries `data-field` (the config key) and the error
// line `data-error-for`, present only while there is an error: the end-to-end tests rely on both.
import type { ComponentChildren } from 'preact';

/** The DOM id for a config key: `stages[2].title` → `f-stages-2-title`. */
export const fieldId = (field: string) => `f-${field.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;

export function FieldError({ field, message }: { field: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`${fieldId(field)}-error`} data-error-for={field} role="alert">
      {message}
    </p>
  );
}

type Props = {
  field: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ComponentChildren;
};

export function Field({ field, label, hint, error, children }: Props) {
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label class="field-label" for={fieldId(field)}>
        {label}
      </label>
      {children}
      {hint && <p class="field-hint">{hint}</p>}
      <FieldError field={field} message={error} />
    </div>
  );
}

/** The attributes every input gets: id for its label, and the error wiring for screen readers. */
export function inputProps(field: string, error: string | undefined) {
  const id = fieldId(field);
  return {
    id,
    'data-field': field,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
}
