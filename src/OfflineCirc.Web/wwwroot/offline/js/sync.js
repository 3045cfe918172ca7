// Everything that talks to the server. Only relative URLs on this page's own origin, cookies sent same-origin.

import * as db from './db.js';
import * as context from './context.js';
import { toNative } from './format.js';
import { fromServer } from './blocklist.js';

export const LOGIN_URL = '/Account/Login?returnUrl=/offline/';
export const CHUNK_SIZE = 500;

export class ApiError extends Error {
  constructor(message, { status = 0, signedOut = false, offline = false } = {}) {
    super(message);
    this.status = status;
    this.signedOut = signedOut;
    this.offline = offline;
  }
}

let csrfToken = null;

async function csrf() {
  if (!csrfToken) csrfToken = (await request('/api/antiforgery')).token;
  return csrfToken;
}

async function request(path, { method = 'GET', body, withCsrf = false, retried = false, onHeaders } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (withCsrf) headers['X-CSRF-TOKEN'] = await csrf();
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-cache',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('The server cannot be reached (network down?).', { offline: true });
  }
  const type = response.headers.get('Content-Type') || '';
  // A cookie login that redirects to the sign-in page instead of answering 401 lands here as HTML.
  const signedOut = response.status === 401 || (response.ok && !type.includes('json') && response.redirected);
  if (signedOut) {
    csrfToken = null;
    throw new ApiError('You are not signed in.', { status: 401, signedOut: true });
  }
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (response.status === 400 && withCsrf && !retried && !data?.errors) {
    // The anti-forgery token belongs to an older sign-in: fetch a fresh one and try once more.
    csrfToken = null;
    return request(path, { method, body, withCsrf, retried: true });
  }
  if (response.status === 503 && data?.offline) throw new ApiError('The server cannot be reached (network down?).', { offline: true, status: 503 });
  if (!response.ok) {
    const detail = data?.detail || data?.title || `${response.status} ${response.statusText}`;
    throw new ApiError(`The server refused: ${detail}`, { status: response.status });
  }
  if (data === null) throw new ApiError(`The server answered ${path} with something that is not JSON.`, { status: response.status });
  onHeaders?.(response.headers);
  return data;
}

/** Downloads bootstrap and block list and stores them with the time of refresh. */
export async function refreshReferenceData() {
  const bootstrap = await request('/api/offline/bootstrap');
  const refreshedAt = new Date().toISOString();
  const serverTime = Date.parse(bootstrap.serverTime);
  await db.setMeta('bootstrap', {
    data: bootstrap,
    refreshedAt,
    generatedAt: bootstrap.serverTime || null,
    clockSkewSeconds: Number.isNaN(serverTime) ? null : Math.round((Date.now() - serverTime) / 1000),
  });
  // An unchanged list is revalidated (ETag) and served from the HTTP cache with its old body; the header is current.
  let generatedHeader = null;
  const blocklist = await request('/api/offline/blocklist?format=sorted', { onHeaders: h => { generatedHeader = h.get('X-Generated-At'); } });
  await db.setMeta('blocklist', {
    ...fromServer(blocklist),
    refreshedAt: new Date().toISOString(),
    generatedAt: generatedHeader || blocklist.generatedAt || null,
  });
  return context.load();
}

/** Registers a workstation on the server and returns it as { name, org }. */
export async function registerWorkstation(name, org) {
  const data = await request('/api/workstations', { method: 'POST', body: { name, org }, withCsrf: true });
  return { name: data?.name || name, org: data?.org || org };
}

const chunks = (list, size) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/**
 * Uploads every pending capture (not those awaiting a warning decision) in chunks.
 * A record leaves pending only when the server acknowledged its id as accepted or duplicate.
 */
export async function upload(onProgress = () => {}) {
  const run = async () => {
    const ws = context.workstation();
    if (!ws) throw new ApiError('Choose this computer\'s workstation in Settings first.');
    const todo = (await db.pending()).filter(r => !r.local?.held);
    const summary = { total: todo.length, accepted: 0, duplicate: 0, rejected: 0, unanswered: 0, sessionId: null };
    for (const chunk of chunks(todo, CHUNK_SIZE)) {
      const answer = await request('/api/offline/transactions', {
        method: 'POST',
        withCsrf: true,
        body: { workstation: ws.name, sessionId: summary.sessionId, transactions: chunk.map(toNative) },
      });
      summary.sessionId = answer.sessionId ?? summary.sessionId;
      const results = new Map((answer.results || []).map(r => [r.id, r]));
      const now = new Date().toISOString();
      const acknowledged = [];
      const refused = [];
      for (const rec of chunk) {
        const result = results.get(rec.id);
        const status = String(result?.status || '').toLowerCase();
        if (status === 'accepted' || status === 'duplicate') {
          summary[status]++;
          acknowledged.push({ ...rec, local: { ...rec.local, uploadedAt: now, status, sessionId: summary.sessionId, serverReason: result.reason || null } });
        } else if (status === 'rejected') {
          summary.rejected++;
          refused.push({ ...rec, local: { ...rec.local, serverReason: result.reason || 'Rejected by the server (no reason given).', rejectedAt: now } });
        } else {
          summary.unanswered++;
        }
      }
      await db.acknowledge(acknowledged);
      await db.updatePending(refused);
      onProgress(summary);
    }
    return summary;
  };
  // Two tabs uploading at once would only produce duplicates, but one at a time keeps the counts honest.
  if (!navigator.locks) return run();
  return navigator.locks.request('offlinecirc-upload', { ifAvailable: true }, lock => {
    if (!lock) throw new ApiError('Another tab of this page is uploading right now.');
    return run();
  });
}

/** Tells the server whether this browser is ready for an outage. */
export async function reportReadiness() {
  const ws = context.workstation();
  if (!ws) return false;
  const { bootstrap, blocklist } = context.refreshInfo();
  await request('/api/offline/readiness', {
    method: 'POST',
    withCsrf: true,
    body: {
      workstation: ws.name,
      bootstrapRefreshedAt: bootstrap?.refreshedAt || null,
      blocklistRefreshedAt: blocklist?.refreshedAt || null,
      serviceWorkerInstalled: 'serviceWorker' in navigator && !!navigator.serviceWorker.controller,
    },
  });
  await db.setMeta('readinessReportedAt', new Date().toISOString());
  return true;
}
