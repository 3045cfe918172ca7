// Start-up: open storage, wire the tabs, register the service worker, then keep every open tab in step.

import * as db from './db.js';
import * as context from './context.js';
import { initTabs, selectTab, showError, onTab, prepareSound } from './ui.js';
import { initCapture, renderCheckoutOptions } from './capture.js';
import { initRegister, renderRegisterForm } from './register.js';
import { initLists, renderPending, renderUploaded, purgeUploaded, pendingCount } from './lists.js';
import { initSetup, onSetupChange, refreshIfStale, networkChanged, render as renderSetup } from './setup.js';
import { resumeHeld } from './warnings.js';

const FIRST_FIELD = {
  checkout: 'checkout-patron', renew: 'renew-patron', checkin: 'checkin-item', inhouse: 'inhouse-item', payment: 'payment-patron',
};

/** Only the capture tabs of the types the server offers (bootstrap's type list) are shown. */
function offerTabs() {
  const offered = new Set(context.types().map(t => t.type));
  for (const tab of document.querySelectorAll('[role="tab"][data-type]')) tab.hidden = !offered.has(tab.dataset.type);
}

/** Asks the browser not to evict this page's storage under disk pressure; captures must outlive the outage. */
async function keepStorage() {
  try {
    if (navigator.storage?.persist && !(await navigator.storage.persisted())) await navigator.storage.persist();
  } catch {
    // Not offered by this browser: storage is then best-effort, as before.
  }
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/offline/sw.js', { scope: '/offline/' });
  } catch (err) {
    // Without it the page still records; readiness shows it as missing.
    console.warn('Service worker not registered', err);
  }
}

const withTimeout = (promise, ms) => Promise.race([promise, new Promise(resolve => setTimeout(resolve, ms))]);

async function init() {
  await db.open();
  await Promise.all([context.load(), purgeUploaded()]);
  initTabs();
  initCapture();
  initRegister();
  initLists();
  initSetup();
  offerTabs();
  onSetupChange(() => {
    offerTabs();
    renderCheckoutOptions();
    renderRegisterForm();
  });
  // Writes come in bursts (an upload chunk is two transactions); render once at a time, then once more if needed. A list
  // is drawn again only when its own store changed: a capture touches Pending, not a month of Uploaded.
  let rendering = null;
  let dirty = new Set();
  const refreshLists = stores => {
    stores.forEach(s => dirty.add(s));
    if (rendering) return rendering;
    rendering = (async () => {
      try {
        while (dirty.size) {
          const now = dirty;
          dirty = new Set();
          await Promise.all([
            now.has('pending') && renderPending(),
            now.has('uploaded') && renderUploaded(),
            networkChanged(),
          ]);
        }
      } finally {
        rendering = null;
      }
    })();
    return rendering;
  };
  db.onChange(e => {
    const lists = e.stores.filter(s => s === 'pending' || s === 'uploaded');
    if (lists.length) refreshLists(lists);
  });
  // Arrow keys keep focus on the tabs (WAI-ARIA pattern); a click goes straight to the first field for the scanner.
  onTab((name, { fromKeyboard }) => { if (!fromKeyboard) document.getElementById(FIRST_FIELD[name])?.focus(); });
  await refreshLists(['pending', 'uploaded']);
  selectTab(context.workstation() ? 'checkout' : 'settings');
  await registerServiceWorker();
  keepStorage();
  await withTimeout(refreshIfStale(), 10000);
  renderSetup();
  resumeHeld();
  (globalThis.requestIdleCallback || setTimeout)(prepareSound);
}

const ready = init().catch(err => {
  showError(`The capture page could not start: ${err.message}`);
  throw err;
});

window.offlineCirc = { ready, pendingCount };
