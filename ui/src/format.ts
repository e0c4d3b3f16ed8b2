// Dates as Russian office users read them: dd.mm.yyyy hh:mm, in the computer's local time.

const pad = (n: number) => String(n).padStart(2, '0');

/** An RFC 3339 instant as `dd.mm.yyyy hh:mm` local time; the input itself if it is no date. */
export function formatDateTime(rfc3339: string): string {
  const at = new Date(rfc3339);
  if (Number.isNaN(at.getTime())) return rfc3339;
  return (
    `${pad(at.getDate())}.${pad(at.getMonth() + 1)}.${at.getFullYear()} ` +
    `${pad(at.getHours())}:${pad(at.getMinutes())}`
  );
}

/** A calendar date `YYYY-MM-DD` as `dd.mm.yyyy` (no time zone: it already is a local date). */
export function formatDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : ymd;
}

/**
 * A calendar's title: the month's name as it stands alone, capitalised, and the year —
 * `Декабрь 2026`, `December 2026`. Only the month's first letter is raised (capitalising the
 * whole title, as CSS `text-transform` does, turned Russian «2026 г.» into «2026 Г.»).
 */
export function monthTitle(year: number, month: number, lang: string): string {
  const name = new Date(year, month - 1, 1).toLocaleDateString(lang, { month: 'long' });
  return `${name.charAt(0).toLocaleUpperCase(lang)}${name.slice(1)} ${year}`;
}
