// IndexedDB: the page's only storage. Every write waits for the transaction to commit, then tells other tabs.
//   pending  - captures not yet acknowledged by the server (keyPath id)
//   uploaded - captures the server acknowledged, kept 30 days (keyPath id)
//   meta     - workstation, bootstrap, block list, report times (keyPath key)

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

/** Runs fn(stores) in one transaction and resolves with its result once the transaction has committed. */
async function run(storeNames, mode, fn) {
  const db = await open();
  const names = Array.isArray(storeNames) ? storeNames : [storeNames];
  const tx = db.transaction(names, mode, mode === 'readwrite' ? { durability: 'strict' } : undefined);
  const stores = Object.fromEntries(names.map(n => [n, tx.objectStore(n)]));
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('The database write was aborted.'));
  });
  let result;
  try {
    result = await fn(stores);
  } catch (e) {
    done.catch(() => {});
    try { tx.abort(); } catch { /* already finished */ }
    throw e;
  }
  await done;
  if (mode === 'readwrite') changed(names);
  return result;
}

export const get = (store, key) => run(store, 'readonly', s => promisify(s[store].get(key)));
export const getAll = store => run(store, 'readonly', s => promisify(s[store].getAll()));
export const count = store => run(store, 'readonly', s => promisify(s[store].count()));
export const put = (store, value) => run(store, 'readwrite', s => promisify(s[store].put(value)));
export const remove = (store, key) => run(store, 'readwrite', s => promisify(s[store].delete(key)));

export async function getMeta(key) {
  const row = await get('meta', key);
  return row ? row.value : undefined;
}

export const setMeta = (key, value) => put('meta', { key, value });

/** Pending captures in recorded order. */
export async function pending() {
  const all = await getAll('pending');
  return all.sort((a, b) => a.timestamp - b.timestamp || String(a.local?.createdAt).localeCompare(String(b.local?.createdAt)));
}

/** Moves acknowledged records from pending to uploaded in one transaction, so none is ever in both or neither. */
export const acknowledge = records => run(['pending', 'uploaded'], 'readwrite', s => {
  for (const rec of records) {
    s.pending.delete(rec.id);
    s.uploaded.put(rec);
  }
});

/** Adds records that are in neither store; returns how many were added. */
export const merge = records => run(['pending', 'uploaded'], 'readwrite', async s => {
  let added = 0;
  for (const rec of records) {
    const [p, u] = await Promise.all([promisify(s.pending.getKey(rec.id)), promisify(s.uploaded.getKey(rec.id))]);
    if (p === undefined && u === undefined) {
      s.pending.put(rec);
      added++;
    }
  }
  return added;
});

/** Deletes uploaded records acknowledged before the cut-off. */
export const purgeUploaded = cutoffIso => run('uploaded', 'readwrite', async s => {
  const keys = await promisify(s.uploaded.index('uploadedAt').getAllKeys(IDBKeyRange.upperBound(cutoffIso, true)));
  keys.forEach(k => s.uploaded.delete(k));
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
  if (message?.kind === 'changed') listeners.forEach(fn => fn({ ...message, local: false }));
}

if (channel) {
  channel.onmessage = e => fromOtherTab(e.data);
} else {
  globalThis.addEventListener?.('storage', e => {
    if (e.key === STORAGE_KEY && e.newValue) fromOtherTab(JSON.parse(e.newValue));
  });
}

/** Rewrites records that are still pending (another tab may have uploaded them meanwhile). */
export const updatePending = records => run('pending', 'readwrite', async s => {
  for (const rec of records) {
    if (await promisify(s.pending.getKey(rec.id)) !== undefined) s.pending.put(rec);
  }
});
