// Settings (workstation, reference data), the readiness panel and the network banner.

import * as db from './db.js';
import * as context from './context.js';
import * as sync from './sync.js';
import { $, el, formatTime, showError, clearError, showStatus } from './ui.js';
import { showSignIn, pendingCount } from './lists.js';

const AUTO_REFRESH_MS = 60 * 60 * 1000;
let afterRefresh = () => {};

/** Called with nothing after the workstation or reference data change, so the capture tabs can re-render. */
export const onSetupChange = fn => { afterRefresh = fn; };

function renderReadiness() {
  const { ready, checks } = context.readiness();
  const panel = $('#readiness');
  panel.dataset.ready = String(ready);
  panel.classList.toggle('ready', ready);
  const missing = checks.filter(c => !c.ok).map(c => c.label);
  $('#readiness-status').textContent = ready
    ? 'Ready for an outage: this page will open and record with the network down.'
    : `Not ready for an outage. ${missing.join('; ')}.`;
  $('#settings-readiness').replaceChildren(...checks.map(c => el('li', {
    class: c.ok ? 'ok' : 'missing', dataset: { testid: `settings-readiness-${c.key}`, ok: String(c.ok) },
  }, c.ok ? 'Done: ' : 'To do: ', c.label)));
}

function renderSettings() {
  const ws = context.workstation();
  const boot = context.bootstrap();
  const { bootstrap, blocklist } = context.refreshInfo();
  $('#settings-current-workstation').textContent = ws ? `${ws.name} (${ws.org})` : 'none chosen';
  $('#header-workstation').textContent = ws ? `Workstation ${ws.name}` : 'No workstation';
  const select = $('#settings-workstation');
  const list = boot?.workstations || [];
  select.replaceChildren(el('option', { value: '' }, list.length ? 'Choose a workstation' : 'Refresh library data to list workstations'),
    ...list.map(w => el('option', { value: w.name }, `${w.name} (${w.org})`)));
  select.value = ws && list.some(w => w.name === ws.name) ? ws.name : '';
  $('#settings-new-workstation-org').replaceChildren(el('option', { value: '' }, 'Choose a library'),
    ...context.orgUnits().map(o => el('option', { value: o.shortName }, `${o.name} (${o.shortName})`)));
  $('#bootstrap-refreshed').textContent = bootstrap
    ? `${formatTime(bootstrap.refreshedAt)} (server time ${formatTime(bootstrap.generatedAt)})` : 'never';
  $('#blocklist-refreshed').textContent = blocklist
    ? `${formatTime(blocklist.refreshedAt)} (list generated ${formatTime(blocklist.generatedAt)}, ${blocklist.count} blocked card(s))` : 'never';
  const zoneOrg = context.findOrg(ws?.org) || context.findOrg(boot?.user?.homeOrg);
  $('#settings-zone').textContent = zoneOrg
    ? `Times on this page are in the time zone of ${zoneOrg.name} (${zoneOrg.timeZone}), whatever this computer's own setting.`
    : 'Times on this page are in UTC until library data is refreshed.';
  const skew = bootstrap?.clockSkewSeconds;
  $('#settings-clock').hidden = !(Math.abs(skew) > 120);
  $('#settings-clock').textContent = Math.abs(skew) > 120
    ? `This computer's clock was ${Math.round(Math.abs(skew) / 60)} minute(s) ${skew > 0 ? 'ahead of' : 'behind'} the server's. Ask for it to be corrected before an outage.` : '';
  $('#setup-needed').hidden = !!ws;
}

export function render() {
  renderSettings();
  renderReadiness();
}

function changed() {
  render();
  afterRefresh();
  report();
}

/** Reports readiness to the server; quiet unless signed out. */
export async function report() {
  if (!navigator.onLine) return;
  try {
    await sync.reportReadiness();
  } catch (err) {
    if (err.signedOut) showSignIn(true);
  }
}

export async function refresh({ quiet = false } = {}) {
  if (!quiet) {
    clearError();
    showStatus('Refreshing library data and block list...');
  }
  try {
    await sync.refreshReferenceData();
    showSignIn(false);
    if (!quiet) showStatus('Library data and block list refreshed.');
  } catch (err) {
    if (err.signedOut) showSignIn(true);
    if (!quiet || err.signedOut) showError(`Refresh failed: ${err.message}${err.signedOut ? ' Sign in to refresh.' : ''}`);
  }
  changed();
}

/** Opening the page online keeps its data fresh without anyone thinking about it. */
export async function refreshIfStale() {
  const { bootstrap, blocklist } = context.refreshInfo();
  const age = iso => (iso ? Date.now() - new Date(iso).getTime() : Infinity);
  if (navigator.onLine && Math.max(age(bootstrap?.refreshedAt), age(blocklist?.refreshedAt)) > AUTO_REFRESH_MS) {
    await refresh({ quiet: true });
  } else {
    report();
  }
}

async function chooseWorkstation(e) {
  const ws = (context.bootstrap()?.workstations || []).find(w => w.name === e.target.value);
  if (!ws) return;
  await context.setWorkstation({ name: ws.name, org: ws.org });
  showStatus(`This computer is now workstation ${ws.name}.`);
  changed();
}

async function registerWorkstation(e) {
  e.preventDefault();
  clearError();
  const name = $('#settings-new-workstation-name').value.trim();
  const org = $('#settings-new-workstation-org').value;
  if (!name || !org) {
    showError('Give the new workstation a name and choose its library.');
    (name ? $('#settings-new-workstation-org') : $('#settings-new-workstation-name')).focus();
    return;
  }
  try {
    const ws = await sync.registerWorkstation(name, org);
    await context.setWorkstation(ws);
    $('#settings-new-workstation-name').value = '';
    showStatus(`Workstation ${ws.name} registered; this computer now uses it.`);
    await refresh({ quiet: true });
  } catch (err) {
    if (err.signedOut) showSignIn(true);
    showError(`The workstation was not registered: ${err.message}`);
  }
}

/** Updates the network banner; returns whether online and how many captures wait. */
export async function networkChanged() {
  const online = navigator.onLine;
  const banner = $('#network');
  banner.classList.toggle('offline', !online);
  $('#network-text').textContent = online
    ? 'Online.'
    : 'Offline: keep capturing; everything is stored on this computer until it can be uploaded.';
  const waiting = await pendingCount();
  $('#network-upload').hidden = !online || waiting === 0;
  return { online, waiting };
}

export function initSetup() {
  $('#settings-workstation').addEventListener('change', chooseWorkstation);
  $('#settings-workstation-form').addEventListener('submit', registerWorkstation);
  $('#settings-refresh').addEventListener('click', () => refresh());
  addEventListener('offline', () => {
    networkChanged();
    showStatus('The network is down. Keep capturing: nothing will be lost.');
  });
  addEventListener('online', async () => {
    const { waiting } = await networkChanged();
    showStatus(waiting
      ? `The network is back. ${waiting} transaction(s) are waiting: choose Upload now (sign in first if asked).`
      : 'The network is back.');
    refreshIfStale();
  });
  navigator.serviceWorker?.addEventListener('controllerchange', () => { renderReadiness(); report(); });
  setInterval(() => { renderReadiness(); refreshIfStale(); }, AUTO_REFRESH_MS);
  db.onChange(e => { if (e.stores.includes('meta') && !e.local) context.load().then(render).then(afterRefresh); });
  render();
}
