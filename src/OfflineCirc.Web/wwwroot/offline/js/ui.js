// Small DOM helpers: element building (text only, never markup from data), tabs, announcements, the error beep.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** el('li', { class: 'x', dataset: { testid: 'y' } }, 'text', child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export { formatTime } from './context.js';

// ---- Tabs (WAI-ARIA tabs pattern, automatic activation) ----

const tabListeners = new Set();

export const onTab = fn => tabListeners.add(fn);

export function selectTab(name, { focus = false } = {}) {
  const tabs = $$('[role="tab"]');
  const tab = tabs.find(t => t.dataset.tab === name);
  if (!tab) return;
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
  }
  if (focus) tab.focus();
  tabListeners.forEach(fn => fn(name, { fromKeyboard: focus }));
}

export function initTabs() {
  const list = $('[role="tablist"]');
  list.addEventListener('click', e => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) selectTab(tab.dataset.tab);
  });
  list.addEventListener('keydown', e => {
    // Tabs of types the server does not offer are hidden and skipped.
    const tabs = $$('[role="tab"]', list).filter(t => !t.hidden);
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length].dataset.tab, { focus: true });
  });
}

export const currentTab = () => $('[role="tab"][aria-selected="true"]')?.dataset.tab;

// ---- Announcements ----

let audio = null;

const newAudio = () => new (globalThis.AudioContext || globalThis.webkitAudioContext)();

/**
 * Makes the audio ahead of the first warning: opening the sound device can take a few hundred milliseconds, which the
 * first beep would otherwise add to the first warning of the day. Made before any key press, it starts suspended and
 * beep() resumes it.
 */
export function prepareSound() {
  try {
    audio ??= newAudio();
  } catch {
    // No audio: beep() stays silent.
  }
}

/** A short beep through WebAudio; browsers allow it once the page has had a user gesture (a key press counts). */
export function beep(frequency = 440, ms = 180) {
  try {
    audio ??= newAudio();
    if (audio.state === 'suspended') audio.resume();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = frequency;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + ms / 1000);
  } catch {
    // No audio device: the visible message still stands.
  }
}

/** An error: shown in the alert region (role="alert") and sounded; it replaces any progress note, one message at a time. */
export function showError(message) {
  $('#status').textContent = '';
  $('#alert').replaceChildren(el('p', {}, message));
  beep();
}

export function clearError() {
  $('#alert').replaceChildren();
}

/** A confirmation or progress note in the polite status region; it replaces any earlier error. */
export function showStatus(message) {
  $('#alert').replaceChildren();
  $('#status').textContent = message;
}

/** Enter in a scanner-driven field moves on instead of submitting the form. */
export function focusNext(from) {
  const fields = $$('input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea, button[data-enter-target]', from.form || document)
    .filter(f => !f.closest('[hidden]'));
  const next = fields[fields.indexOf(from) + 1];
  if (next) {
    next.focus();
    next.select?.();
  }
}

export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
