import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../src/format';
import { makeT } from '../src/i18n';

describe('t()', () => {
  const t = makeT({
    plain: 'Сохранить',
    warning: 'Файлы этапа «{$title}» видят только сотрудники.',
    spaced: 'Этап «{ $title }»',
    two: '{$a} и {$b}, снова {$a}',
  });

  it('returns the label', () => {
    expect(t('plain')).toBe('Сохранить');
  });

  it('fills in {$name} placeholders, every occurrence', () => {
    expect(t('warning', { title: 'Внутреннее' })).toBe('Файлы этапа «Внутреннее» видят только сотрудники.');
    expect(t('two', { a: 1, b: 'два' })).toBe('1 и два, снова 1');
  });

  it('accepts the .ftl spelling { $name } too', () => {
    expect(t('spaced', { title: 'Прочее' })).toBe('Этап «Прочее»');
  });

  it('leaves a placeholder without an argument visible instead of guessing', () => {
    expect(t('warning')).toBe('Файлы этапа «{$title}» видят только сотрудники.');
    expect(t('two', { a: 'x' })).toBe('x и {$b}, снова x');
  });

  it('falls back to the id for a missing label, even one named like an Object method', () => {
    expect(t('ui-nope')).toBe('ui-nope');
    expect(t('toString')).toBe('toString');
  });
});

describe('dates', () => {
  it('shows an instant as dd.mm.yyyy hh:mm in local time', () => {
    const at = new Date(2025, 2, 4, 9, 5); // local 04.03.2025 09:05
    expect(formatDateTime(at.toISOString())).toBe('04.03.2025 09:05');
  });

  it('shows a calendar date as dd.mm.yyyy and leaves nonsense alone', () => {
    expect(formatDate('2025-03-04')).toBe('04.03.2025');
    expect(formatDateTime('soon')).toBe('soon');
  });
});
