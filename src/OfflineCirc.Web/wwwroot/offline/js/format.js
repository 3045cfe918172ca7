// The native transaction format (docs/formats.md): building records, exporting and importing JSON Lines.
// Records keep page-only details under `local`; only the fields below ever leave the browser.

// The list of types comes from bootstrap (context.types()); this module only writes and reads lines.
export const TRANSMITTED = [
  'id', 'timestamp', 'type', 'workstation', 'org', 'patron_barcode', 'barcode', 'noncat', 'noncat_type',
  'noncat_count', 'due_date', 'checkout_time', 'backdate', 'count', 'use_time', 'user', 'amount', 'note', 'delta', 'overrides',
];

/**
 * A new transaction id: a version 7 UUID (RFC 9562). Its first 48 bits are the capture's time in milliseconds, the rest
 * random (74 bits), so one desk's ids sort by time and the server files each beside the last in its unique index instead
 * of on a random page (docs/adr-023-time-ordered-ids.md). getRandomValues also works over plain http on a LAN.
 */
export function newId(now = Date.now()) {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let t = Math.max(0, Math.trunc(now));
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const pad = (n, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/** ISO 8601 in the browser's local time with its offset, e.g. 2026-03-05T09:04:07+01:00. */
export function isoWithOffset(date) {
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

export const epochSeconds = date => Math.floor(date.getTime() / 1000);

/** The calendar date (YYYY-MM-DD) of an instant in a time zone; the browser's zone when none or unknown. */
export function localDate(date, timeZone) {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(date);
    const get = t => parts.find(p => p.type === t).value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }
}

/** YYYY-MM-DD plus n calendar days. */
export function addDays(ymd, n) {
  const [y, m, d] = ymd.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + Number(n)));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export const isYmd = s => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** A new capture: identity, time and place first, then the type's own fields. Empty fields are left out. */
export function newTransaction(type, place, fields, now = new Date(), iso = isoWithOffset) {
  const rec = {
    id: newId(now.getTime()),
    timestamp: epochSeconds(now),
    type,
    workstation: place.workstation,
    org: place.org,
  };
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && v !== null && v !== '') rec[k] = v;
  }
  if (type === 'checkout' || type === 'renew') rec.checkout_time = iso(now);
  rec.local = { createdAt: now.toISOString(), warnings: [] };
  return rec;
}

/** The transmitted part of a record, in the field order of docs/formats.md. */
export function toNative(rec) {
  const out = {};
  for (const k of TRANSMITTED) {
    const v = rec[k];
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  }
  return out;
}

export const toJsonl = records => records.map(r => JSON.stringify(toNative(r)) + '\n').join('');

/**
 * Reads a native .jsonl file. Lines must be JSON objects with an id and a known type.
 * Returns { records, errors: [{ line, reason }] }; blank lines are ignored.
 */
export function parseJsonl(text, types) {
  const records = [];
  const errors = [];
  String(text).replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let obj;
    try {
      obj = JSON.parse(raw);
    } catch {
      errors.push({ line, reason: 'not valid JSON' });
      return;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      errors.push({ line, reason: 'not a JSON object' });
    } else if (typeof obj.id !== 'string' || !obj.id) {
      errors.push({ line, reason: 'no id (upload such files through the portal instead)' });
    } else if (!types.includes(obj.type)) {
      errors.push({ line, reason: `unknown type '${String(obj.type)}'` });
    } else {
      records.push(toNative(obj));
    }
  });
  return { records, errors };
}

/** Short human summary of a record for lists, e.g. "item 3100... for patron 2100...". */
export function describe(rec) {
  const parts = [];
  if (rec.type === 'register') {
    const u = rec.user || {};
    parts.push(`card ${u.card || '?'}`, [u.first_given_name, u.family_name].filter(Boolean).join(' '));
  } else if (rec.noncat) {
    parts.push(`${rec.noncat_count || 1} × ${rec.noncat_type} (non-catalogued)`);
  } else if (rec.barcode) {
    parts.push(`item ${rec.barcode}`);
  }
  if (rec.patron_barcode) parts.push(`patron ${rec.patron_barcode}`);
  if (rec.amount) parts.push(`amount ${rec.amount}`);
  if (rec.note) parts.push(`note "${rec.note}"`);
  if (rec.count) parts.push(`count ${rec.count}`);
  if (rec.due_date) parts.push(`due ${rec.due_date}`);
  if (rec.backdate) parts.push(`backdated to ${rec.backdate}`);
  return parts.filter(Boolean).join(', ');
}
