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
