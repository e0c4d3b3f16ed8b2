import { describe, expect, it } from 'vitest';
import { monthTitle } from '../src/format';

describe('monthTitle', () => {
  it('capitalises only the month and adds the year', () => {
    const cases: [number, number, string, string][] = [
      [2026, 12, 'ru', 'Декабрь 2026'],
      [2026, 5, 'ru', 'Май 2026'],
      [2027, 1, 'ru', 'Январь 2027'],
      [2026, 12, 'en', 'December 2026'],
    ];
    for (const [year, month, lang, title] of cases) {
      expect(monthTitle(year, month, lang), `${year}-${month} ${lang}`).toBe(title);
    }
  });
});
