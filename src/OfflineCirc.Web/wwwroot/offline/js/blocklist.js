// The block list as the server sends it with format=sorted, stored as it comes and searched in place (docs/adr-017).
// groups: [{ length, entries }], one per barcode length; entries is every barcode of that length followed by its reason
// letter, in the order of < on strings, so entry i starts at i * (length + 1). Half a million cards are a few strings:
// nothing is unpacked into objects when it is downloaded, stored, read back at start-up or looked up.

/** Checks the server's answer and returns what the page stores: { groups, count }. */
export function fromServer(data) {
  const groups = Array.isArray(data?.groups) ? data.groups : null;
  const damaged = !groups || groups.some(g => !(Number.isInteger(g?.length) && g.length > 0 && typeof g.entries === 'string'
    && g.entries.length % (g.length + 1) === 0));
  if (damaged) throw new Error('The block list from the server is damaged or in a format this page does not read. Reload the page and refresh again.');
  const count = groups.reduce((n, g) => n + g.entries.length / (g.length + 1), 0);
  return { groups: groups.map(g => ({ length: g.length, entries: g.entries })), count };
}

/** A list stored by an older version of this page ({ entries: [{ barcode, reason }] }) in the same form. */
export function fromEntries(entries) {
  const byLength = new Map();
  for (const e of entries || []) {
    const barcode = String(e.barcode);
    if (!byLength.has(barcode.length)) byLength.set(barcode.length, []);
    byLength.get(barcode.length).push(barcode + String(e.reason || 'D')[0]);
  }
  const groups = [...byLength].sort((a, b) => a[0] - b[0])
    .map(([length, list]) => ({ length, entries: list.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).join('') }));
  return { groups, count: groups.reduce((n, g) => n + g.entries.length / (g.length + 1), 0) };
}

/** The reason letter of a barcode on the list, or null: a search by halves in the group of its length. */
export function reasonOf(list, barcode) {
  const group = list?.groups?.find(g => g.length === barcode.length);
  if (!group) return null;
  const width = group.length + 1;
  const entries = group.entries;
  let low = 0;
  let high = entries.length / width - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = middle * width;
    const found = entries.slice(start, start + group.length);
    if (found === barcode) return entries[start + group.length];
    if (found < barcode) low = middle + 1;
    else high = middle - 1;
  }
  return null;
}
