// What the page knows about where it runs: the workstation, the cached bootstrap and the block list.
// Loaded from IndexedDB so it works with the network down.

import * as db from './db.js';
import { localDate } from './format.js';

export const BLOCK_REASONS = { L: 'lost card', E: 'expired', B: 'barred', D: 'blocked' };
export const MAX_AGE_MS = 24 * 60 * 60 * 1000;

const ctx = {
  workstation: null, // { name, org }
  bootstrap: null, // { data, refreshedAt, generatedAt }
  blocklist: null, // { refreshedAt, generatedAt, count }
  blocks: new Map(), // barcode -> reason letter
};

export async function load() {
  const [workstation, bootstrap, blocklist] = await Promise.all([
    db.getMeta('workstation'), db.getMeta('bootstrap'), db.getMeta('blocklist'),
  ]);
  ctx.workstation = workstation || null;
  ctx.bootstrap = bootstrap || null;
  ctx.blocklist = blocklist ? { refreshedAt: blocklist.refreshedAt, generatedAt: blocklist.generatedAt, count: blocklist.entries.length } : null;
  ctx.blocks = new Map((blocklist?.entries || []).map(e => [String(e.barcode), e.reason]));
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

export const timeZone = () => findOrg(ctx.workstation?.org)?.timeZone;

/** Today's date where the workstation is (its org's time zone). */
export const today = (now = new Date()) => localDate(now, timeZone());

export function block(barcode) {
  const letter = ctx.blocks.get(String(barcode).trim());
  if (!letter) return null;
  return {
    letter,
    reason: BLOCK_REASONS[letter] || `blocked (code ${letter})`,
    listDate: ctx.blocklist?.generatedAt || ctx.blocklist?.refreshedAt,
  };
}

export const place = () => ({ workstation: ctx.workstation?.name, org: ctx.workstation?.org });

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
