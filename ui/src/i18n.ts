// The window shows no text of its own: every label comes from the Fluent catalog the Rust side
// hands over (`ui_texts`). Labels with an argument arrive unformatted, with the placeable left
// as `{$name}` (Fluent writes a missing variable that way); `t` fills those in.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Args = Record<string, string | number>;
export type Translate = (id: string, args?: Args) => string;

// `{$title}`, and `{ $title }` in case a label ever comes through verbatim from the .ftl file.
const PLACEABLE = /\{\s*\$([A-Za-z][\w-]*)\s*\}/g;

/** A translator over `labels`; a missing label shows its id, so a gap is visible, not fatal. */
export function makeT(labels: Record<string, string>): Translate {
  return (id, args) => {
    const text = Object.prototype.hasOwnProperty.call(labels, id) ? labels[id] : undefined;
    if (text === undefined) return id;
    if (!args) return text;
    return text.replace(PLACEABLE, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole,
    );
  };
}

export const TextsContext = createContext<Translate>((id) => id);

/** The translator of the loaded catalog (ids until it is loaded). */
export function useT(): Translate {
  return useContext(TextsContext);
}
