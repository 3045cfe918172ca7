// Warnings about a capture, decided by staff with Allow or Reject; never silent.
// A capture with warnings is written first (marked held), so a closed tab cannot lose it, then asked about.

import * as db from './db.js';
import * as context from './context.js';
import { checkBarcode } from './barcodes.js';
import { describe, TYPE_NAMES } from './format.js';
import { $, el, beep, formatTime, showStatus } from './ui.js';

export function patronWarnings(barcode) {
  if (!barcode) return [];
  const warnings = [];
  const blocked = context.block(barcode);
  if (blocked) {
    warnings.push({
      code: 'patron_blocked',
      message: `Patron ${barcode} is on the block list: ${blocked.reason} (block list of ${formatTime(blocked.listDate)}).`,
    });
  }
  const rule = checkBarcode(barcode, 'patron', context.bootstrap()?.barcodeRules, context.orgKeys());
  if (!rule.ok) warnings.push({ code: 'patron_barcode_rule', message: rule.reason });
  return warnings;
}

export function itemWarnings(barcode, pending) {
  if (!barcode) return [];
  const warnings = [];
  const rule = checkBarcode(barcode, 'item', context.bootstrap()?.barcodeRules, context.orgKeys());
  if (!rule.ok) warnings.push({ code: 'item_barcode_rule', message: rule.reason });
  const earlier = pending.find(r => r.barcode === barcode && !r.local?.held);
  if (earlier) {
    warnings.push({
      code: 'duplicate_item',
      message: `Item ${barcode} was already captured in the pending set (${TYPE_NAMES[earlier.type]} at ${formatTime(earlier.timestamp)}).`,
    });
  }
  return warnings;
}

export function dueDateWarnings(dueDate) {
  if (!dueDate || dueDate >= context.today()) return [];
  return [{ code: 'due_date_past', message: `The due date ${dueDate} is in the past.` }];
}

// ---- The dialog ----

let queue = Promise.resolve();

function ask(rec, warnings) {
  const dialog = $('#warning-dialog');
  return new Promise(resolve => {
    $('#warning-summary').textContent = `${TYPE_NAMES[rec.type]}: ${describe(rec)}`;
    $('#warning-list').replaceChildren(...warnings.map(w => el('li', { dataset: { testid: `warning-${w.code}` } }, w.message)));
    const finish = decision => {
      dialog.removeEventListener('cancel', onCancel);
      $('#warning-allow').onclick = null;
      $('#warning-reject').onclick = null;
      dialog.close();
      resolve(decision);
    };
    // Escape must not leave a capture undecided.
    const onCancel = e => e.preventDefault();
    dialog.addEventListener('cancel', onCancel);
    $('#warning-allow').onclick = () => finish('allow');
    $('#warning-reject').onclick = () => finish('reject');
    dialog.showModal();
    // Focus the heading, not a button: a scanner's Enter arriving now must not decide for staff.
    $('#warning-title').focus();
    beep(660, 220);
  });
}

/** Shows dialogs one at a time. */
function askInTurn(rec, warnings) {
  const turn = queue.then(() => ask(rec, warnings));
  queue = turn.catch(() => {});
  return turn;
}

async function settle(rec, decision) {
  if (decision === 'reject') {
    await db.remove('pending', rec.id);
    showStatus(`Rejected and discarded: ${TYPE_NAMES[rec.type]} ${describe(rec)}.`);
    return null;
  }
  const allowed = { ...rec, local: { ...rec.local, held: false, allowedAt: new Date().toISOString() } };
  await db.put('pending', allowed);
  return allowed;
}

const withLock = (id, options, fn) => navigator.locks
  ? navigator.locks.request(`offlinecirc-held-${id}`, options, fn)
  : fn(true);

/**
 * Stores a new capture. Without warnings it is simply written; with warnings it is written as held, then Allow keeps it
 * (warnings noted in local.warnings, never transmitted) and Reject deletes it. Resolves with the stored record or null.
 */
export async function record(rec, warnings) {
  if (!warnings.length) {
    await db.put('pending', rec);
    return rec;
  }
  const held = { ...rec, local: { ...rec.local, held: true, warnings } };
  return withLock(rec.id, {}, async () => {
    await db.put('pending', held);
    return settle(held, await askInTurn(held, warnings));
  });
}

/** Asks again about captures left undecided by a closed or crashed tab (not those another open tab is asking about). */
export async function resumeHeld() {
  const held = (await db.pending()).filter(r => r.local?.held);
  for (const rec of held) {
    withLock(rec.id, { ifAvailable: true }, async lock => {
      if (!lock) return;
      const current = await db.get('pending', rec.id);
      if (current?.local?.held) await settle(current, await askInTurn(current, current.local.warnings || []));
    });
  }
}
