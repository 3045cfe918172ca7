// The capture tabs: check-out (items and non-catalogued), renewal, check-in, in-house use. Registration lives in register.js.

import * as db from './db.js';
import * as context from './context.js';
import { newTransaction, addDays, isYmd, describe } from './format.js';
import { patronWarnings, itemWarnings, dueDateWarnings, record } from './warnings.js';
import { $, el, beep, formatTime, showError, clearError, showStatus, focusNext } from './ui.js';
import { printReceipt } from './receipt.js';
import { readPayment, clearPayment } from './payment.js';

const value = id => $(`#${id}`).value.trim();

/** The patron currently at the desk and what was checked out to them. */
const desk = { patron: '', loans: [] };

function requireWorkstation() {
  if (context.workstation()) return true;
  showError('Choose this computer\'s workstation in Settings before capturing.');
  return false;
}

function dueDateFrom(id) {
  const due = value(id);
  if (due && !isYmd(due)) {
    showError(`"${due}" is not a date. Use the date picker or leave Due date empty for the library's policy.`);
    $(`#${id}`).focus();
    return undefined;
  }
  return due;
}

function addRecent(listId, rec) {
  if (!listId) return;
  const list = $(`#${listId}`);
  list.prepend(el('li', {}, `${context.typeName(rec.type)}: ${describe(rec)}`, rec.local?.warnings?.length ? ' (recorded with a warning)' : ''));
  while (list.children.length > 10) list.lastElementChild.remove();
}

/** Writes a capture (asking about warnings first) and confirms only once it is stored. */
async function capture(type, fields, warnings, listId) {
  clearError();
  try {
    const rec = await record(newTransaction(type, context.place(), fields, new Date(), context.isoTime), warnings);
    if (!rec) return null;
    addRecent(listId, rec);
    showStatus(`Recorded ${context.typeName(type).toLowerCase()}: ${describe(rec)}.`);
    return rec;
  } catch (e) {
    showError(`Not recorded: ${e.message}`);
    return null;
  }
}

// ---- Check-out ----

function renderDesk() {
  const policy = 'due date set by library policy';
  $('#checkout-list').replaceChildren(...desk.loans.map(rec => el('li', {},
    rec.noncat ? `${rec.noncat_count} × ${rec.noncat_type} (non-catalogued)` : `Item ${rec.barcode}`,
    ` — ${rec.due_date ? `due ${rec.due_date}` : policy}`)));
  $('#checkout-current').textContent = desk.patron ? `Patron ${desk.patron}: ${desk.loans.length} recorded` : 'No patron yet';
  $('#checkout-print').disabled = desk.loans.length === 0;
}

function setPatron(barcode) {
  if (barcode === desk.patron) return;
  desk.patron = barcode;
  desk.loans = [];
  renderDesk();
  const note = $('#checkout-patron-note');
  const warnings = patronWarnings(barcode);
  note.replaceChildren(...warnings.map(w => el('p', {}, w.message)));
  if (warnings.length) beep(660, 220);
}

async function checkoutItem() {
  if (!requireWorkstation()) return;
  const patron = value('checkout-patron');
  const barcode = value('checkout-item');
  if (!patron) {
    showError('Scan the Patron barcode first.');
    $('#checkout-patron').focus();
    return;
  }
  if (!barcode) {
    showError('Scan or type the Item barcode.');
    $('#checkout-item').focus();
    return;
  }
  const due = dueDateFrom('checkout-due');
  if (due === undefined) return;
  setPatron(patron);
  $('#checkout-item').value = '';
  const pending = await db.pending();
  const warnings = [...patronWarnings(patron), ...itemWarnings(barcode, pending), ...dueDateWarnings(due)];
  const rec = await capture('checkout', { patron_barcode: patron, barcode, due_date: due }, warnings, null);
  if (rec) {
    desk.loans.push(rec);
    renderDesk();
  }
  $('#checkout-item').focus();
}

async function checkoutNoncat() {
  if (!requireWorkstation()) return;
  const patron = value('checkout-patron');
  const type = value('checkout-noncat-type');
  const count = Number(value('checkout-noncat-count'));
  if (!patron) {
    showError('Scan the Patron barcode first.');
    $('#checkout-patron').focus();
    return;
  }
  if (!type) {
    showError('Choose a non-catalogued type.');
    $('#checkout-noncat-type').focus();
    return;
  }
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    showError('Count must be a whole number from 1 to 100.');
    $('#checkout-noncat-count').focus();
    return;
  }
  const due = dueDateFrom('checkout-due');
  if (due === undefined) return;
  setPatron(patron);
  const warnings = [...patronWarnings(patron), ...dueDateWarnings(due)];
  const rec = await capture('checkout', { patron_barcode: patron, noncat: true, noncat_type: type, noncat_count: count, due_date: due }, warnings, null);
  if (rec) {
    desk.loans.push(rec);
    renderDesk();
    $('#checkout-noncat-count').value = '1';
  }
}

function nextPatron() {
  desk.patron = '';
  desk.loans = [];
  for (const id of ['checkout-patron', 'checkout-item', 'checkout-due']) $(`#${id}`).value = '';
  $('#checkout-patron-note').replaceChildren();
  renderDesk();
  clearError();
  $('#checkout-patron').focus();
}

/** Due-date presets and non-catalogued types come from bootstrap; called again after each refresh. */
export function renderCheckoutOptions() {
  const boot = context.bootstrap();
  const presets = boot?.dueDatePresets || [];
  $('#checkout-presets').replaceChildren(
    ...presets.map(p => el('button', {
      type: 'button', class: 'secondary', dataset: { testid: `checkout-preset-${p.days}` },
      onclick: () => { $('#checkout-due').value = addDays(context.today(), p.days); $('#checkout-item').focus(); },
    }, p.label)),
    el('button', {
      type: 'button', class: 'secondary', dataset: { testid: 'checkout-preset-policy' },
      onclick: () => { $('#checkout-due').value = ''; $('#checkout-item').focus(); },
    }, 'Library policy'));
  // Bootstrap already limits types to the user's org units; one entry per name is enough to choose from.
  const types = [...new Map((boot?.noncatTypes || []).map(t => [t.name, t])).values()];
  const select = $('#checkout-noncat-type');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'Choose a type'), ...types.map(t => el('option', { value: t.name }, t.name)));
  select.value = types.some(t => t.name === chosen) ? chosen : '';
}

// ---- Renewal, check-in, in-house use ----

async function renewItem() {
  if (!requireWorkstation()) return;
  const barcode = value('renew-item');
  if (!barcode) {
    showError('Scan or type the Item barcode.');
    return;
  }
  const due = dueDateFrom('renew-due');
  if (due === undefined) return;
  const patron = value('renew-patron');
  $('#renew-item').value = '';
  const warnings = [...patronWarnings(patron), ...itemWarnings(barcode, await db.pending()), ...dueDateWarnings(due)];
  await capture('renew', { barcode, patron_barcode: patron, due_date: due }, warnings, 'renew-recent');
  $('#renew-item').focus();
}

async function checkinItem() {
  if (!requireWorkstation()) return;
  const barcode = value('checkin-item');
  if (!barcode) {
    showError('Scan or type the Item barcode.');
    return;
  }
  let backdate;
  const raw = value('checkin-backdate');
  if (raw) {
    // The time typed is the library's wall time, whatever zone this computer is set to.
    const when = context.wallTime(raw);
    if (!when) {
      showError(`"${raw}" is not a date and time. Fix Backdate or clear it.`);
      $('#checkin-backdate').focus();
      return;
    }
    if (when.getTime() > Date.now()) {
      showError('Backdate is in the future. Fix it or clear it.');
      $('#checkin-backdate').focus();
      return;
    }
    backdate = context.isoTime(when);
  }
  $('#checkin-item').value = '';
  await capture('checkin', { barcode, backdate }, itemWarnings(barcode, await db.pending()), 'checkin-recent');
  $('#checkin-item').focus();
}

async function inHouseItem() {
  if (!requireWorkstation()) return;
  const barcode = value('inhouse-item');
  const count = Number(value('inhouse-count'));
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    showError('Count must be a whole number from 1 to 100.');
    $('#inhouse-count').focus();
    return;
  }
  if (!barcode) {
    showError('Scan or type the Item barcode.');
    return;
  }
  $('#inhouse-item').value = '';
  await capture('in_house_use', { barcode, count }, itemWarnings(barcode, await db.pending()), 'inhouse-recent');
  $('#inhouse-item').focus();
}

async function payment() {
  if (!requireWorkstation()) return;
  const read = readPayment();
  if (!read) return;
  const rec = await capture('payment', read.fields, read.warnings, 'payment-recent');
  if (rec) clearPayment();
}

function showBackdate() {
  const raw = value('checkin-backdate');
  const note = $('#checkin-backdate-note');
  note.hidden = !raw;
  note.textContent = raw ? `Check-ins are backdated to ${formatTime(context.wallTime(raw) || raw)} until Backdate is cleared.` : '';
}

const actions = {
  'checkout-item': checkoutItem,
  'checkout-noncat': checkoutNoncat,
  renew: renewItem,
  checkin: checkinItem,
  inhouse: inHouseItem,
  payment,
};

/** Scanner behaviour: Enter in a field moves to the next one, or records when the field names an action. */
function onEnter(e) {
  const input = e.target;
  if (e.key !== 'Enter' || !input.matches('input, select') || !input.closest('form.capture')) return;
  e.preventDefault();
  if (input.id === 'checkout-patron' && input.value.trim()) setPatron(input.value.trim());
  if (input.dataset.action) {
    actions[input.dataset.action]();
  } else if (input.dataset.next) {
    $(`#${input.dataset.next}`).focus();
  } else {
    focusNext(input);
  }
}

export function initCapture() {
  document.addEventListener('keydown', onEnter);
  for (const form of document.querySelectorAll('form.capture')) form.addEventListener('submit', e => e.preventDefault());
  for (const button of document.querySelectorAll('form.capture button[data-action]')) {
    button.addEventListener('click', () => actions[button.dataset.action]());
  }
  $('#checkout-patron').addEventListener('change', e => setPatron(e.target.value.trim()));
  $('#checkout-next').addEventListener('click', nextPatron);
  $('#checkout-print').addEventListener('click', () => printReceipt(desk));
  $('#checkin-backdate').addEventListener('input', showBackdate);
  renderCheckoutOptions();
  renderDesk();
}
