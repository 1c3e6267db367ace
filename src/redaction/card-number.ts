/**
 * The `cardNumber` rule: payment card numbers (PANs) in free text, found by a scanner rather than a
 * regular expression, so one pass over the text does it and a digit run cannot make it backtrack.
 *
 * A candidate is a run of digit groups separated by one space or hyphen (`4111 1111 1111 1111`,
 * `4111-1111-1111-1111`, `4111111111111111`), not touching a letter, digit or underscore on either
 * side (so hex ids, which mix digits and letters, never match). Any consecutive groups of the run that
 * hold 13 to 19 digits, start with 2–6 (the issuer ranges of Visa, Mastercard, American Express,
 * Discover, JCB, Diners, UnionPay and Maestro, ISO/IEC 7812 major industry identifiers 2–6) and pass
 * the Luhn check are replaced, separators between them included; so a card number followed by a
 * year in the same run (`4111 1111 1111 1111 2030`) is still found. Not handled: numbers split by
 * other characters (dots, several spaces), and any 13–19 digit number that passes these checks by
 * chance (about one in ten of those starting with 2–6) is replaced too: redaction errs on that side.
 */

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isWordChar = (code: number): boolean => isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isSeparator = (code: number): boolean => code === 32 || code === 45;

/** Luhn (ISO/IEC 7812-1 annex B) over the digits of `text` between `start` and `end`, skipping separators. */
function passesLuhn(text: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) continue;
    let digit = code - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

interface Group {
  start: number;
  end: number;
  digits: number;
}

/** The card numbers among the groups of one run, as [start, end) ranges, left to right, not overlapping. */
function cardsInRun(text: string, groups: readonly Group[], found: Array<[number, number]>): void {
  let first = 0;
  while (first < groups.length) {
    let digits = 0;
    let match = -1;
    const leading = text.charCodeAt(groups[first]!.start);
    if (leading >= 50 && leading <= 54) {
      for (let last = first; last < groups.length && digits + groups[last]!.digits <= MAX_DIGITS; last++) {
        digits += groups[last]!.digits;
        if (digits >= MIN_DIGITS && passesLuhn(text, groups[first]!.start, groups[last]!.end)) match = last;
      }
    }
    if (match < 0) {
      first++;
      continue;
    }
    found.push([groups[first]!.start, groups[match]!.end]);
    first = match + 1;
  }
}

/** `text` with each card number replaced by `replacement`, or `text` itself when it holds none. */
export function redactCardNumbers(text: string, replacement: string): string {
  const n = text.length;
  let found: Array<[number, number]> | undefined;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (!isDigit(code) || (i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    // A run: digit groups joined by single separators.
    const groups: Group[] = [];
    let j = i;
    let groupStart = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isDigit(c)) {
        j++;
        continue;
      }
      if (isSeparator(c) && j + 1 < n && isDigit(text.charCodeAt(j + 1))) {
        groups.push({ start: groupStart, end: j, digits: j - groupStart });
        groupStart = ++j;
        continue;
      }
      break;
    }
    groups.push({ start: groupStart, end: j, digits: j - groupStart });
    const touchesWord = j < n && isWordChar(text.charCodeAt(j));
    if (!touchesWord) cardsInRun(text, groups, (found ??= []));
    i = j + 1;
  }
  if (found === undefined || found.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of found) {
    out += text.slice(from, start) + replacement;
    from = end;
  }
  return out + text.slice(from);
}
