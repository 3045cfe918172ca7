// The check-out receipt: filled into #receipt, which only the print stylesheet shows.

import * as context from './context.js';
import { $, el, formatTime } from './ui.js';

export function printReceipt(desk) {
  if (!desk.loans.length) return;
  const ws = context.workstation();
  const org = context.findOrg(ws?.org);
  const now = new Date();
  $('#receipt').replaceChildren(
    el('h2', {}, org?.name || ws?.org || 'Library'),
    el('p', {}, `Check-out receipt, ${formatTime(now)}`),
    el('p', {}, `Patron ${desk.patron}`),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Item'), el('th', { scope: 'col' }, 'Due'))),
      el('tbody', {}, ...desk.loans.map(rec => el('tr', {},
        el('td', {}, rec.noncat ? `${rec.noncat_count} × ${rec.noncat_type}` : rec.barcode),
        el('td', {}, rec.due_date || 'due date set by library policy'))))),
    el('p', {}, `${desk.loans.length} item${desk.loans.length === 1 ? '' : 's'}. Recorded offline at ${ws?.name || 'this workstation'}; `
      + 'due dates set by policy will be confirmed when the library system is back.'),
  );
  // Only the receipt prints while this class is set; a plain Ctrl+P prints the page.
  document.body.classList.add('printing-receipt');
  addEventListener('afterprint', () => document.body.classList.remove('printing-receipt'), { once: true });
  window.print();
}
