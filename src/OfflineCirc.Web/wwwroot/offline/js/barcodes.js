// Barcode rules from bootstrap: an org's pattern plus an optional check digit.
// Pure functions, no DOM, so they can be tested under Node.

/** Digits of a barcode; letters and punctuation (e.g. Codabar start/stop characters) are ignored. */
function digitsOf(barcode) {
  return Array.from(String(barcode)).filter(c => c >= '0' && c <= '9').map(Number);
}

/** Luhn: from the right, double every second digit (subtract 9 above 9); the total is a multiple of 10. */
export function luhnValid(barcode) {
  const digits = digitsOf(barcode);
  if (digits.length < 2) return false;
  let sum = 0;
  digits.reverse().forEach((d, i) => {
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return sum % 10 === 0;
}

/** GS1 / UPC mod 10: from the right after the check digit, weights 3, 1, 3, ...; the check digit tops the sum up to a multiple of 10. */
export function mod10Valid(barcode) {
  const digits = digitsOf(barcode);
  if (digits.length < 2) return false;
  const check = digits.pop();
  let sum = 0;
  digits.reverse().forEach((d, i) => { sum += d * (i % 2 === 0 ? 3 : 1); });
  return (10 - (sum % 10)) % 10 === check;
}

export function checkDigitValid(barcode, scheme) {
  switch ((scheme || 'none').toLowerCase()) {
    case 'luhn': return luhnValid(barcode);
    case 'mod10': return mod10Valid(barcode);
    default: return true;
  }
}

const SCHEME_NAMES = { luhn: 'Luhn', mod10: 'mod 10' };

function compile(pattern) {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return null;
  }
}

/**
 * The rules of one kind ("patron" or "item") that apply to an org.
 * orgKeys lists the org's short name and id, then those of its ancestors; the nearest org with rules wins.
 * Rules with an empty org apply everywhere when no org-specific rule exists.
 */
export function rulesFor(rules, kind, orgKeys) {
  const ofKind = (rules || []).filter(r => r && r.kind === kind && typeof r.pattern === 'string');
  for (const key of orgKeys || []) {
    const found = ofKind.filter(r => r.org !== undefined && r.org !== null && String(r.org) === String(key));
    if (found.length) return found;
  }
  return ofKind.filter(r => r.org === undefined || r.org === null || r.org === '');
}

/**
 * Checks a barcode against the applicable rules.
 * Returns { ok: true } or { ok: false, problem: 'format' | 'check_digit', reason } where reason is a sentence for staff.
 */
export function checkBarcode(barcode, kind, rules, orgKeys) {
  const value = String(barcode ?? '').trim();
  const applicable = rulesFor(rules, kind, orgKeys).map(r => ({ rule: r, re: compile(r.pattern) })).filter(x => x.re);
  if (!applicable.length) return { ok: true };
  const matching = applicable.filter(x => x.re.test(value));
  if (!matching.length) {
    const formats = applicable.map(x => x.rule.description || x.rule.pattern).join('; ');
    return { ok: false, problem: 'format', reason: `${kind === 'patron' ? 'Patron' : 'Item'} barcode ${value} does not match this library's format (${formats}).` };
  }
  if (matching.some(x => checkDigitValid(value, x.rule.checkDigit))) return { ok: true };
  const scheme = SCHEME_NAMES[String(matching[0].rule.checkDigit).toLowerCase()] || matching[0].rule.checkDigit;
  return { ok: false, problem: 'check_digit', reason: `${kind === 'patron' ? 'Patron' : 'Item'} barcode ${value} fails its ${scheme} check digit.` };
}
