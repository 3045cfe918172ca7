// Payment: money taken at the desk, written as a native `payment` line (docs/formats.md) that the replay's payment rule applies.

import * as context from './context.js';
import { patronWarnings } from './warnings.js';
import { $, showError } from './ui.js';

/** "2.5", "2,50" or "$2.50" as "2.50"; null when it is not an amount of money above zero. */
export function parseAmount(text) {
  const cleaned = String(text || '').trim().replace(/^\$/, '').replace(',', '.');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(cleaned)) return null;
  const cents = Math.round(Number(cleaned) * 100);
  return cents > 0 ? `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}` : null;
}

/** Reads the tab's fields; returns the capture's fields and warnings, or null after saying what to fix. */
export function readPayment() {
  const patron = $('#payment-patron').value.trim();
  const rawAmount = $('#payment-amount').value.trim();
  const note = $('#payment-note').value.trim();
  if (!patron) {
    showError('Scan the Patron barcode first.');
    $('#payment-patron').focus();
    return null;
  }
  const amount = parseAmount(rawAmount);
  if (!amount) {
    showError(rawAmount
      ? `"${rawAmount}" is not an amount. Type the money taken, for example 2.50.`
      : 'Type the Amount taken, for example 2.50.');
    $('#payment-amount').focus();
    return null;
  }
  // A blocked patron may still pay: only a mistyped card is worth a question.
  const warnings = patronWarnings(patron).filter(w => w.code !== 'patron_blocked');
  return { fields: { patron_barcode: patron, amount, note }, warnings };
}

/** After a recorded payment the form is cleared for the next patron. */
export function clearPayment() {
  for (const id of ['payment-patron', 'payment-amount', 'payment-note']) $(`#${id}`).value = '';
  $('#payment-patron').focus();
}

export const paymentOffered = () => context.types().some(t => t.type === 'payment');
