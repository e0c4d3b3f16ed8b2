// Commands reject with a CommandError. Anything else (an IPC failure, a permission refusal) is
// turned into one so the page can still show a sentence and tuck the raw text under "details".
import type { CommandError } from './bindings';

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

/** `error` as a CommandError; `fallback` is the sentence shown for an unexpected rejection. */
export function toCommandError(error: unknown, fallback: string): CommandError {
  if (isCommandError(error)) {
    return { ...error, details: error.details ?? null, fields: error.fields ?? [] };
  }
  const raw = error instanceof Error ? error.message : String(error);
  return { code: 'unexpected', message: fallback, details: raw, fields: [] };
}
