// IndexedDB: the page's only storage. Every write waits for the transaction to commit, then tells other tabs.
//   pending  - captures not yet acknowledged by the server (keyPath id)
//   uploaded - captures the server acknowledged, kept 30 days (keyPath id)
//   meta     - workstation, bootstrap, block list, report times (keyPath key)
// pending and uploaded are also mirrored in memory (see below): reading 50,000 captures back from IndexedDB on every
// scan and every redraw of the lists took seconds, while keeping them costs a few tens of megabytes.

const DB_NAME = 'offlinecirc';
const DB_VERSION = 1;
const CHANNEL = 'offlinecirc';
const STORAGE_KEY = 'offlinecirc-changed';

let dbPromise = null;
const listeners = new Set();
const channel = 'BroadcastChannel' in globalThis ? new BroadcastChannel(CHANNEL) : null;

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('pending')) {
        db.createObjectStore('pending', { keyPath: 'id' }).createIndex('timestamp', 'timestamp');
      }
      if (!db.objectStoreNames.contains('uploaded')) {
        db.createObjectStore('uploaded', { keyPath: 'id' }).createIndex('uploadedAt', 'local.uploadedAt');
      }
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
    };
    req.onsuccess = () => {
      const db = req.result;
      // A newer version of the page in another tab wants to upgrade: let it, and reopen on next use.
      db.onversionchange = () => { db.close(); dbPromise = null; };
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('The capture database is held open by an older version of this page in another tab. Close the other tabs and reload.'));
  });
  return dbPromise;
}

// ---- The in-memory mirror of pending and uploaded ----
// Loaded from IndexedDB on first read. Writes made through this module change it once their transaction has committed,
// so it never shows what IndexedDB does not hold; a write from another tab drops it, and the next read loads it again.
// Records read from it are shared: callers copy ({ ...rec }) before changing one, as every caller does.

const MIRRORED = ['pending', 'uploaded'];

/** Recorded order: the capture's time, then when it was made. */
const byRecordedOrder = (a, b) => {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  const x = String(a.local?.createdAt);
  const y = String(b.local?.createdAt);
  return x < y ? -1 : x > y ? 1 : 0;
};

const mirrors = { pending: null, uploaded: null }; // store -> Map(id -> record), or null until read
const generations = { pending: 0, uploaded: 0 }; // raised by every write, so a read that raced one is not kept
let sortedPending = null;

function dropMirror(store) {
  if (!MIRRORED.includes(store)) return;
  mirrors[store] = null;
  generations[store]++;
  if (store === 'pending') sortedPending = null;
}

/** Applies the writes of a committed transaction ([op, store, value]) to the mirrors that are loaded. */
function applyToMirrors(writes) {
  for (const [op, store, value] of writes) {
    if (!MIRRORED.includes(store)) continue;
    generations[store]++;
    const mirror = mirrors[store];
    // A new capture is almost always the latest: it joins the end of the sorted list instead of sorting it all again.
    const appended = store === 'pending' && op === 'put' && sortedPending && mirror && !mirror.has(value.id)
      && (!sortedPending.length || byRecordedOrder(sortedPending[sortedPending.length - 1], value) <= 0);
    if (store === 'pending') sortedPending = appended ? [...sortedPending, value] : null;
    if (!mirror) continue;
    if (op === 'put') mirror.set(value.id, value);
    else mirror.delete(value);
  }
}

// Read in batches, each its own task, so tens of thousands of captures never hold the page still for long at once.
const LOAD_BATCH = 2000;

async function mirrored(store) {
  if (mirrors[store]) return mirrors[store];
  const generation = generations[store];
  const mirror = new Map();
  for (let after = null; ;) {
    const range = after === null ? null : IDBKeyRange.lowerBound(after, true);
    const batch = await run(store, 'readonly', s => promisify(s[store].getAll(range, LOAD_BATCH)));
    for (const r of batch) mirror.set(r.id, r);
    if (batch.length < LOAD_BATCH) break;
    after = batch[batch.length - 1].id;
  }
  if (generations[store] === generation) mirrors[store] = mirror;
  return mirror;
}

/**
 * Runs fn(stores, write) in one transaction and resolves with its result once the transaction has committed. Writes go
 * through write.put(store, value) and write.delete(store, key), so the mirrors follow them after the commit.
 */
async function run(storeNames, mode, fn) {
  const db = await open();
  const names = Array.isArray(storeNames) ? storeNames : [storeNames];
  const tx = db.transaction(names, mode, mode === 'readwrite' ? { durability: 'strict' } : undefined);
  const stores = Object.fromEntries(names.map(n => [n, tx.objectStore(n)]));
  const writes = [];
  const write = {
    put: (store, value) => { writes.push(['put', store, value]); return stores[store].put(value); },
    delete: (store, key) => { writes.push(['delete', store, key]); return stores[store].delete(key); },
  };
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('The database write was aborted.'));
  });
  let result;
  try {
    result = await fn(stores, write);
  } catch (e) {
    done.catch(() => {});
    try { tx.abort(); } catch { /* already finished */ }
    throw e;
  }
  await done;
  if (mode === 'readwrite') {
    applyToMirrors(writes);
    changed(names);
  }
  return result;
}

export const get = (store, key) => run(store, 'readonly', s => promisify(s[store].get(key)));
export const getAll = async store => (MIRRORED.includes(store)
  ? [...(await mirrored(store)).values()]
  : run(store, 'readonly', s => promisify(s[store].getAll())));
export const count = async store => (MIRRORED.includes(store)
  ? (await mirrored(store)).size
  : run(store, 'readonly', s => promisify(s[store].count())));
export const put = (store, value) => run(store, 'readwrite', (s, write) => promisify(write.put(store, value)));
export const remove = (store, key) => run(store, 'readwrite', (s, write) => promisify(write.delete(store, key)));

export async function getMeta(key) {
  const row = await get('meta', key);
  return row ? row.value : undefined;
}

export const setMeta = (key, value) => put('meta', { key, value });

/** Pending captures in recorded order (a shared array: do not change it). */
export async function pending() {
  if (sortedPending && mirrors.pending) return sortedPending;
  const generation = generations.pending;
  const sorted = [...(await mirrored('pending')).values()].sort(byRecordedOrder);
  if (generations.pending === generation && mirrors.pending) sortedPending = sorted;
  return sorted;
}

/** Moves acknowledged records from pending to uploaded in one transaction, so none is ever in both or neither. */
export const acknowledge = records => run(['pending', 'uploaded'], 'readwrite', (s, write) => {
  for (const rec of records) {
    write.delete('pending', rec.id);
    write.put('uploaded', rec);
  }
});

/** Adds records that are in neither store; returns how many were added. */
export const merge = records => run(['pending', 'uploaded'], 'readwrite', async (s, write) => {
  let added = 0;
  for (const rec of records) {
    const [p, u] = await Promise.all([promisify(s.pending.getKey(rec.id)), promisify(s.uploaded.getKey(rec.id))]);
    if (p === undefined && u === undefined) {
      write.put('pending', rec);
      added++;
    }
  }
  return added;
});

/** Deletes uploaded records acknowledged before the cut-off. */
export const purgeUploaded = cutoffIso => run('uploaded', 'readwrite', async (s, write) => {
  const keys = await promisify(s.uploaded.index('uploadedAt').getAllKeys(IDBKeyRange.upperBound(cutoffIso, true)));
  keys.forEach(k => write.delete('uploaded', k));
  return keys.length;
});

function changed(stores) {
  const message = { kind: 'changed', stores, at: Date.now() };
  if (channel) {
    channel.postMessage(message);
  } else {
    try { localStorage.setItem(STORAGE_KEY, JSON.stringify(message)); } catch { /* storage full or disabled */ }
  }
  listeners.forEach(fn => fn({ ...message, local: true }));
}

/** fn({ stores, local }) runs after any write, in this tab (local: true) or another one. */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function fromOtherTab(message) {
  if (message?.kind !== 'changed') return;
  (message.stores || []).forEach(dropMirror);
  listeners.forEach(fn => fn({ ...message, local: false }));
}

if (channel) {
  channel.onmessage = e => fromOtherTab(e.data);
} else {
  globalThis.addEventListener?.('storage', e => {
    if (e.key === STORAGE_KEY && e.newValue) fromOtherTab(JSON.parse(e.newValue));
  });
}

/** Rewrites records that are still pending (another tab may have uploaded them meanwhile). */
export const updatePending = records => run('pending', 'readwrite', async (s, write) => {
  for (const rec of records) {
    if (await promisify(s.pending.getKey(rec.id)) !== undefined) write.put('pending', rec);
  }
});
