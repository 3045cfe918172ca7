// Pending and Uploaded tabs: counts, lists, export, import and upload.

import * as db from './db.js';
import * as context from './context.js';
import * as sync from './sync.js';
import { toJsonl, parseJsonl, describe } from './format.js';
import { $, el, formatTime, showError, clearError, showStatus, download, onTab } from './ui.js';

const KEEP_UPLOADED_DAYS = 30;
const MAX_ROWS = 1000;

export const pendingCount = async () => {
  let ready = 0;
  for (const r of await db.pending()) if (!r.local?.held) ready++;
  return ready;
};

function row(rec, testid, ...extra) {
  return el('tr', { dataset: { testid, id: rec.id } },
    el('td', {}, formatTime(rec.timestamp)),
    el('td', {}, context.typeName(rec.type)),
    el('td', {}, describe(rec)),
    el('td', {}, rec.workstation || ''),
    ...extra);
}

// The tables are drawn only while their tab is shown, and when it is chosen: with tens of thousands of captures waiting,
// drawing a thousand rows on every scan kept the check-out form waiting for a table nobody was looking at.
const stale = new Set();
const shownNow = name => !$(`#panel-${name}`).hidden;

async function drawPendingRows() {
  const ready = (await db.pending()).filter(r => !r.local?.held);
  const rejected = ready.filter(r => r.local?.serverReason);
  const newestFirst = [];
  for (let i = ready.length - 1; i >= 0 && newestFirst.length < MAX_ROWS; i--) {
    if (!ready[i].local?.serverReason) newestFirst.push(ready[i]);
  }
  const shown = [...rejected, ...newestFirst].slice(0, MAX_ROWS);
  $('#pending-rows').replaceChildren(...shown.map(rec => row(rec, 'pending-row',
    el('td', { dataset: { testid: 'pending-reason' }, class: rec.local?.serverReason ? 'rejected' : '' },
      rec.local?.serverReason ? `Rejected by the server: ${rec.local.serverReason}` : '',
      rec.local?.warnings?.length ? ` Warning allowed: ${rec.local.warnings.map(w => w.message).join(' ')}` : '',
      !rec.local?.warnings?.length && rec.overrides?.length ? ` Allowed at the desk: ${rec.overrides.map(o => context.describeCode(o.code)).join(' ')}` : ''))));
}

export async function renderPending() {
  const all = await db.pending();
  const byType = new Map();
  let held = 0;
  for (const r of all) {
    if (r.local?.held) held++;
    else byType.set(r.type, (byType.get(r.type) || 0) + 1);
  }
  const ready = all.length - held;
  $('#pending-counts').replaceChildren(
    ...context.types().map(({ type, name }) => el('div', {},
      el('dt', {}, name),
      el('dd', { dataset: { testid: `pending-count-${type}` } }, String(byType.get(type) || 0)))),
    el('div', { class: 'total' }, el('dt', {}, 'Total'), el('dd', { dataset: { testid: 'pending-count-total' } }, String(ready))));
  $('#pending-held').hidden = held === 0;
  $('#pending-held').textContent = held ? `${held} capture(s) wait for an Allow or Reject decision.` : '';
  $('#pending-more').hidden = ready <= MAX_ROWS;
  $('#pending-more').textContent = `Showing ${MAX_ROWS} of ${ready}; export to see all.`;
  $('#pending-empty').hidden = ready > 0;
  $('#pending-badge').textContent = String(ready);
  for (const id of ['pending-upload', 'pending-export', 'network-upload']) $(`#${id}`).disabled = ready === 0;
  if (shownNow('pending')) {
    stale.delete('pending');
    await drawPendingRows();
  } else {
    stale.add('pending');
  }
}

async function drawUploadedRows() {
  const uploadedAt = r => String(r.local?.uploadedAt);
  const all = (await db.getAll('uploaded')).sort((a, b) => (uploadedAt(a) < uploadedAt(b) ? 1 : uploadedAt(a) > uploadedAt(b) ? -1 : 0));
  $('#uploaded-rows').replaceChildren(...all.slice(0, MAX_ROWS).map(rec => row(rec, 'uploaded-row',
    el('td', {}, formatTime(rec.local?.uploadedAt)),
    el('td', {}, rec.local?.status === 'duplicate' ? 'Already on the server' : 'Accepted',
      rec.local?.sessionId ? ` (session ${rec.local.sessionId})` : ''))));
}

export async function renderUploaded() {
  const count = await db.count('uploaded');
  $('#uploaded-count').textContent = String(count);
  $('#uploaded-empty').hidden = count > 0;
  if (shownNow('uploaded')) {
    stale.delete('uploaded');
    await drawUploadedRows();
  } else {
    stale.add('uploaded');
  }
}

/** A tab just chosen draws its table if captures changed while it was hidden. */
function tabShown(name) {
  if (!stale.delete(name)) return;
  (name === 'pending' ? drawPendingRows() : drawUploadedRows()).catch(err => showError(`The ${name} list could not be shown: ${err.message}`));
}

export async function purgeUploaded() {
  const cutoff = new Date(Date.now() - KEEP_UPLOADED_DAYS * 86400000).toISOString();
  return db.purgeUploaded(cutoff);
}

async function exportPending() {
  const ready = (await db.pending()).filter(r => !r.local?.held);
  if (!ready.length) return;
  const ws = context.workstation()?.name || 'workstation';
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  download(`offlinecirc-${ws}-${stamp}.jsonl`, toJsonl(ready), 'application/x-ndjson');
  showStatus(`Exported ${ready.length} pending transaction(s). Keep the file until they are uploaded.`);
}

async function importFile(e) {
  const file = e.target.files[0];
  if (!file) return;
  clearError();
  try {
    const { records, errors } = parseJsonl(await file.text(), context.types().map(t => t.type));
    const now = new Date().toISOString();
    const added = await db.merge(records.map(r => ({ ...r, local: { imported: true, importedAt: now, importedFrom: file.name, warnings: [] } })));
    const message = `Imported ${added} of ${records.length} transaction(s) from ${file.name}; ${records.length - added} were already here.`;
    if (errors.length) {
      showError(`${message} ${errors.length} line(s) skipped: ${errors.slice(0, 5).map(x => `line ${x.line}: ${x.reason}`).join('; ')}${errors.length > 5 ? '; ...' : ''}.`);
    } else {
      showStatus(message);
    }
  } catch (err) {
    showError(`The file could not be imported: ${err.message}`);
  } finally {
    e.target.value = '';
  }
}

export function showSignIn(visible) {
  $('#signin').hidden = !visible;
}

/** Uploads everything pending and reports what the server said. */
export async function uploadNow() {
  clearError();
  showStatus('Uploading...');
  try {
    const s = await sync.upload(p => showStatus(`Uploading: ${p.accepted + p.duplicate + p.rejected + p.unanswered} of ${p.total} answered...`));
    showSignIn(false);
    const parts = [`${s.accepted} accepted`, `${s.duplicate} already on the server`];
    if (s.rejected) parts.push(`${s.rejected} rejected (still pending, see the reasons)`);
    if (s.unanswered) parts.push(`${s.unanswered} not answered (still pending)`);
    const message = `Upload finished${s.sessionId ? ` into session ${s.sessionId}` : ''}: ${parts.join(', ')}.`;
    if (s.rejected || s.unanswered) showError(message); else showStatus(message);
  } catch (err) {
    if (err.signedOut) showSignIn(true);
    showError(`Upload stopped: ${err.message}${err.signedOut ? ' Sign in, then upload again; nothing has been lost.' : ' Nothing has been lost; try again later.'}`);
  }
}

export function initLists() {
  onTab(name => { if (name === 'pending' || name === 'uploaded') tabShown(name); });
  $('#pending-export').addEventListener('click', exportPending);
  $('#pending-import').addEventListener('change', importFile);
  $('#pending-upload').addEventListener('click', uploadNow);
  $('#network-upload').addEventListener('click', uploadNow);
}
