// What the page knows about where it runs: the workstation, the cached bootstrap and the block list.
// Loaded from IndexedDB so it works with the network down.

import * as db from './db.js';
import { localDate } from './format.js';
import { fromEntries, reasonOf } from './blocklist.js';
import { formatInZone, isoInZone, wallToDate } from './time.js';

// Used only until bootstrap has been read once: its lists replace these.
const DEFAULT_TYPES = [
  { type: 'checkout', name: 'Check-out' }, { type: 'renew', name: 'Renewal' }, { type: 'checkin', name: 'Check-in' },
  { type: 'in_house_use', name: 'In-house use' }, { type: 'register', name: 'Registration' }, { type: 'payment', name: 'Payment' },
];
const DEFAULT_BLOCK_CODES = { L: 'PATRON_CARD_INACTIVE', E: 'PATRON_ACCOUNT_EXPIRED', B: 'PATRON_BARRED', D: 'PATRON_BLOCKED' };
export const MAX_AGE_MS = 24 * 60 * 60 * 1000;

const ctx = {
  workstation: null, // { name, org }
  bootstrap: null, // { data, refreshedAt, generatedAt }
  blocklist: null, // { refreshedAt, generatedAt, count }
  blocks: { groups: [], count: 0 }, // the stored list, searched in place by blocklist.js
};

export async function load() {
  const [workstation, bootstrap, blocklist] = await Promise.all([
    db.getMeta('workstation'), db.getMeta('bootstrap'), db.getMeta('blocklist'),
  ]);
  ctx.workstation = workstation || null;
  ctx.bootstrap = bootstrap || null;
  // A list stored before the sorted format (docs/adr-017) is put in that form until the next refresh replaces it.
  ctx.blocks = blocklist?.groups ? blocklist : fromEntries(blocklist?.entries);
  ctx.blocklist = blocklist ? { refreshedAt: blocklist.refreshedAt, generatedAt: blocklist.generatedAt, count: ctx.blocks.count } : null;
  return ctx;
}

export const workstation = () => ctx.workstation;
export const bootstrap = () => ctx.bootstrap?.data || null;
export const refreshInfo = () => ({ bootstrap: ctx.bootstrap, blocklist: ctx.blocklist });

export function orgUnits() {
  return bootstrap()?.orgUnits || [];
}

export function findOrg(key) {
  if (key === undefined || key === null) return null;
  return orgUnits().find(o => o.shortName === key || String(o.id) === String(key)) || null;
}

/** The workstation's org followed by its ancestors (when bootstrap names parents), as short names and ids. */
export function orgKeys(orgKey = ctx.workstation?.org) {
  const keys = [];
  let org = findOrg(orgKey);
  if (!org && orgKey) keys.push(String(orgKey));
  const seen = new Set();
  while (org && !seen.has(org)) {
    seen.add(org);
    keys.push(org.shortName, String(org.id));
    org = findOrg(org.parentShortName ?? org.parent ?? org.parentId);
  }
  // Without parents in bootstrap, the signed-in user's home library is the nearest level known to have rules.
  const home = bootstrap()?.user?.homeOrg;
  if (home && !keys.includes(home)) keys.push(home);
  return keys;
}

/** The zone times are shown in: the workstation's library, else the signed-in user's home library. */
export const timeZone = () => (findOrg(ctx.workstation?.org) || findOrg(bootstrap()?.user?.homeOrg))?.timeZone;

const zoneSpans = () => bootstrap()?.timeZones?.[timeZone()] || [];

/** An instant as the portal shows it: 2026-03-05 14:07 EST, in this workstation's library's zone. */
export const formatTime = value => (value === undefined || value === null || value === '' ? 'never' : formatInZone(value, timeZone(), zoneSpans()));

/** ISO 8601 with the library's offset, for times written into a capture. */
export const isoTime = date => isoInZone(date, timeZone(), zoneSpans());

/** A datetime-local value read as the library's wall time. */
export const wallTime = text => wallToDate(text, timeZone(), zoneSpans());

/** The transaction types this page offers, as bootstrap lists them: [{ type, name }]. */
export const types = () => bootstrap()?.transactionTypes || DEFAULT_TYPES;

export const typeName = type => types().find(t => t.type === type)?.name || type;

/** A warning or result code in the portal's words (from bootstrap), else the code itself. */
export const describeCode = code => bootstrap()?.warningCodes?.[code] || code;

/** Today's date where the workstation is (its org's time zone). */
export const today = (now = new Date()) => localDate(now, timeZone());

export function block(barcode) {
  const letter = reasonOf(ctx.blocks, String(barcode).trim());
  if (!letter) return null;
  const code = bootstrap()?.blockReasons?.[letter] || DEFAULT_BLOCK_CODES[letter] || 'PATRON_BLOCKED';
  return {
    letter,
    code,
    reason: describeCode(code),
    listDate: ctx.blocklist?.generatedAt || ctx.blocklist?.refreshedAt,
  };
}

export const place = () => ({ workstation: ctx.workstation?.name, org: ctx.workstation?.org });

/** Who allowed a warning: the user who last refreshed this page's data while signed in, else the workstation. */
export const allowedBy = () => bootstrap()?.user?.email || ctx.workstation?.name || 'unknown';

export const isFresh = iso => !!iso && Date.now() - new Date(iso).getTime() < MAX_AGE_MS;

/** Readiness for an outage: each check with its state, plus the overall verdict. */
export function readiness() {
  const sw = 'serviceWorker' in navigator && !!navigator.serviceWorker.controller;
  const checks = [
    { key: 'workstation', ok: !!ctx.workstation, label: ctx.workstation ? `Workstation ${ctx.workstation.name} (${ctx.workstation.org})` : 'No workstation chosen' },
    { key: 'bootstrap', ok: isFresh(ctx.bootstrap?.refreshedAt), label: 'Library data refreshed in the last 24 hours' },
    { key: 'blocklist', ok: isFresh(ctx.blocklist?.refreshedAt), label: 'Block list refreshed in the last 24 hours' },
    { key: 'serviceWorker', ok: sw, label: 'Page stored for offline use' },
  ];
  return { ready: checks.every(c => c.ok), checks };
}

export const setWorkstation = async ws => {
  await db.setMeta('workstation', ws);
  ctx.workstation = ws;
};
