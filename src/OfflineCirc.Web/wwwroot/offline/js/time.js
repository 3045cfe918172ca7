// Times as the portal shows them: "2026-03-05 14:07 EST", in the library's zone, from the zone table bootstrap sends.
// Pure functions, no DOM: the table holds { start, end, offset, abbreviation } in epoch seconds (null = unbounded).

const pad = n => String(n).padStart(2, '0');

/** The table's stretch that holds an instant (epoch seconds), or null when outside the table. */
export function spanAt(spans, seconds) {
  return (spans || []).find(s => (s.start === null || s.start === undefined || s.start <= seconds)
    && (s.end === null || s.end === undefined || seconds < s.end)) || null;
}

const wall = (seconds, offset) => {
  const d = new Date((seconds + offset) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

const offsetText = offset => {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}`;
};

/** Outside the table: the browser's zone data for that zone, with the offset instead of an abbreviation. */
function withIntl(date, timeZone) {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      hourCycle: 'h23', timeZoneName: 'longOffset',
    }).formatToParts(date);
    const get = t => parts.find(p => p.type === t)?.value || '';
    const zone = get('timeZoneName').replace(/^GMT$/, 'UTC+00:00').replace(/^GMT/, 'UTC');
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zone}`;
  } catch {
    return `${wall(Math.floor(date.getTime() / 1000), 0)} UTC`;
  }
}

/** yyyy-MM-dd HH:mm ABBR of an instant (Date, ISO text or epoch seconds) in a zone with its table. */
export function formatInZone(value, timeZone, spans) {
  const date = typeof value === 'number' ? new Date(value * 1000) : value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const seconds = Math.floor(date.getTime() / 1000);
  const span = spanAt(spans, seconds);
  return span ? `${wall(seconds, span.offset)} ${span.abbreviation}` : withIntl(date, timeZone);
}

/** The zone's offset in seconds at an instant: the table first, else the browser's zone data. */
export function offsetAt(seconds, timeZone, spans) {
  const span = spanAt(spans, seconds);
  if (span) return span.offset;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: timeZone || 'UTC', timeZoneName: 'longOffset' })
      .formatToParts(new Date(seconds * 1000));
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.find(p => p.type === 'timeZoneName')?.value || '');
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  } catch {
    return 0;
  }
}

/** ISO 8601 with the zone's offset for an instant, e.g. 2026-03-05T14:07:00-05:00. */
export function isoInZone(date, timeZone, spans) {
  const seconds = Math.floor(date.getTime() / 1000);
  const offset = offsetAt(seconds, timeZone, spans);
  const d = new Date((seconds + offset) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
    + `:${pad(d.getUTCSeconds())}${offsetText(offset)}`;
}

/** The instant of a wall time (yyyy-MM-ddTHH:mm, as a datetime-local field gives it) in the zone; null when unreadable. */
export function wallToDate(text, timeZone, spans) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(text || ''));
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) / 1000;
  // The offset at the guess, then at the corrected instant: right on both sides of a change of offset.
  let offset = offsetAt(asUtc, timeZone, spans);
  offset = offsetAt(asUtc - offset, timeZone, spans);
  return new Date((asUtc - offset) * 1000);
}
