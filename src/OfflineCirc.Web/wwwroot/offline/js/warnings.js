// Warnings about a capture, decided by staff with Allow or Reject; never silent.
// A capture with warnings is written first (marked held), so a closed tab cannot lose it, then asked about.

import * as db from './db.js';
import * as context from './context.js';
import { checkBarcode } from './barcodes.js';
import { describe } from './format.js';
import { $, el, beep, formatTime, showStatus } from './ui.js';

// Each warning has a key for this page (`code`) and the code an Allow records (`override`, docs/result-codes.md or a desk-only
// code of Offline/DeskWarnings.cs); its words come from the portal's catalogue through bootstrap.
export const warning = (code, override, detail) => ({ code, override, message: `${context.describeCode(override)} ${detail}` });

const BARCODE_CODES = { check_digit: 'BAD_CHECK_DIGIT', format: 'BAD_BARCODE_FORMAT' };

function barcodeWarning(barcode, kind, code) {
  const rule = checkBarcode(barcode, kind, context.bootstrap()?.barcodeRules, context.orgKeys());
  return rule.ok ? [] : [warning(code, BARCODE_CODES[rule.problem] || 'BAD_BARCODE_FORMAT', rule.reason)];
}

export function patronWarnings(barcode) {
  if (!barcode) return [];
  const warnings = [];
  const blocked = context.block(barcode);
  if (blocked) {
    warnings.push(warning('patron_blocked', blocked.code,
      `Patron ${barcode} is on the block list of ${formatTime(blocked.listDate)}.`));
  }
  return [...warnings, ...barcodeWarning(barcode, 'patron', 'patron_barcode_rule')];
}

export function itemWarnings(barcode, pending) {
  if (!barcode) return [];
  const warnings = barcodeWarning(barcode, 'item', 'item_barcode_rule');
  const earlier = pending.find(r => r.barcode === barcode && !r.local?.held);
  if (earlier) {
    warnings.push(warning('duplicate_item', 'DUPLICATE_CAPTURE',
      `Item ${barcode}: ${context.typeName(earlier.type)} at ${formatTime(earlier.timestamp)}.`));
  }
  return warnings;
}

export function dueDateWarnings(dueDate) {
  if (!dueDate || dueDate >= context.today()) return [];
  return [warning('due_date_past', 'DUE_DATE_IN_PAST', `The due date chosen is ${dueDate}.`)];
}

// ---- The dialog ----

let queue = Promise.resolve();

function ask(rec, warnings) {
  const dialog = $('#warning-dialog');
  return new Promise(resolve => {
    $('#warning-summary').textContent = `${context.typeName(rec.type)}: ${describe(rec)}`;
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
    showStatus(`Rejected and discarded: ${context.typeName(rec.type)} ${describe(rec)}.`);
    return null;
  }
  // Allow travels with the capture: which warnings, who allowed them and when (docs/formats.md, `overrides`).
  const at = Math.floor(Date.now() / 1000);
  const by = context.allowedBy();
  const codes = [...new Set((rec.local?.warnings || []).map(w => w.override).filter(Boolean))];
  const overrides = [...(rec.overrides || []), ...codes.map(code => ({ code, by, at }))];
  const allowed = { ...rec, ...(overrides.length ? { overrides } : {}), local: { ...rec.local, held: false, allowedAt: new Date().toISOString() } };
  await db.put('pending', allowed);
  return allowed;
}

const withLock = (id, options, fn) => navigator.locks
  ? navigator.locks.request(`offlinecirc-held-${id}`, options, fn)
  : fn(true);

/**
 * Stores a new capture. Without warnings it is simply written; with warnings it is written as held, then Allow keeps it
 * (the warnings' codes sent as `overrides`, their messages kept in local.warnings) and Reject deletes it. Resolves with the stored record or null.
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
