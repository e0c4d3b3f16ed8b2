// Every label id the window uses must exist in both catalogs; otherwise the user would see
// `ui-something` on screen (t() falls back to the id).
import { describe, expect, it } from 'vitest';
import en from '../../config/locales/en/desktop.ftl?raw';
import ru from '../../config/locales/ru/desktop.ftl?raw';
import { uiLabels } from '../dev/ftl';
import { PAGES } from '../src/pages';

const sources = import.meta.glob<string>('../src/**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true });

function usedIds(): Set<string> {
  const ids = new Set<string>();
  for (const text of Object.values(sources)) {
    for (const m of text.matchAll(/t\(\s*'(ui-[\w-]+)'/g)) ids.add(m[1]!);
  }
  // Ids built at run time: the nav labels and the language names.
  for (const page of PAGES) ids.add(`ui-nav-${page}`);
  for (const code of ['ru', 'en']) ids.add(`ui-settings-language-${code}`);
  for (const level of [1, 2, 3]) ids.add(`ui-users-level-${level}`);
  // Chosen by a condition: t(cond ? 'a' : 'b').
  for (const text of Object.values(sources)) {
    for (const m of text.matchAll(/\? '(ui-[\w-]+)' : '(ui-[\w-]+)'/g)) {
      ids.add(m[1]!);
      ids.add(m[2]!);
    }
  }
  return ids;
}

describe('label catalog', () => {
  it('finds the ids (the scan itself works)', () => {
    expect(usedIds().size).toBeGreaterThan(40);
  });

  for (const [name, ftl] of [['ru', ru], ['en', en]] as const) {
    it(`has every ui-* label the window uses in ${name}`, () => {
      const labels = uiLabels(ftl);
      const absent = [...usedIds()].filter((id) => !(id in labels));
      expect(absent).toEqual([]);
    });
  }
});
