// Start-up: open storage, wire the tabs, register the service worker, then keep every open tab in step.

import * as db from './db.js';
import * as context from './context.js';
import { initTabs, selectTab, showError, onTab } from './ui.js';
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
  // Writes come in bursts (an upload chunk is two transactions); render once at a time, then once more if needed.
  let rendering = null;
  let again = false;
  const refreshLists = () => {
    if (rendering) {
      again = true;
      return rendering;
    }
    rendering = (async () => {
      try {
        do {
          again = false;
          await Promise.all([renderPending(), renderUploaded(), networkChanged()]);
        } while (again);
      } finally {
        rendering = null;
      }
    })();
    return rendering;
  };
  db.onChange(e => {
    if (e.stores.includes('pending') || e.stores.includes('uploaded')) refreshLists();
  });
  // Arrow keys keep focus on the tabs (WAI-ARIA pattern); a click goes straight to the first field for the scanner.
  onTab((name, { fromKeyboard }) => { if (!fromKeyboard) document.getElementById(FIRST_FIELD[name])?.focus(); });
  await refreshLists();
  selectTab(context.workstation() ? 'checkout' : 'settings');
  await registerServiceWorker();
  keepStorage();
  await withTimeout(refreshIfStale(), 10000);
  renderSetup();
  resumeHeld();
}

const ready = init().catch(err => {
  showError(`The capture page could not start: ${err.message}`);
  throw err;
});

window.offlineCirc = { ready, pendingCount };
