// The workspace's form parsers, exactly as the command line reads the same fields: amounts of won as
// registry/domain/money.py's parse_won reads them (조/억/만/천/백/십, commas, one decimal point in the last
// number, whole won only, larger units first), with BigInt arithmetic and no floats, and calendar days as
// registry/domain/days.py's parse_day reads them. tests/domain/vectors/forms.json holds inputs and what the
// Python functions make of them; tests/web/test_workspace_forms.py runs every one here in Chromium, so the
// page and the command line cannot disagree. Refusals carry the same codes as the Python errors.
"use strict";

(function () {
  const workspace = (window.RndWorkspace = window.RndWorkspace || {});

  function say(key, values) {
    if (typeof workspace.say === "function") return workspace.say("forms." + key, values);
    let text = "forms." + key;
    for (const [name, value] of Object.entries(values || {})) text += " " + name + "=" + String(value);
    return text;
  }

  // ---- amounts of won --------------------------------------------------------------------------------------------

  const MAX_WON = 2n ** 96n - 1n;
  const BIG_UNITS = { "조": 10n ** 12n, "억": 10n ** 8n, "만": 10n ** 4n };
  const SMALL_UNITS = { "천": 10n ** 3n, "백": 10n ** 2n, "십": 10n };
  const PREFIXES = ["₩", "￦"];
  const SUFFIX = "원";
  const NEGATIVE_SIGNS = ["-", "\u2212"];
  // What Python's str.isspace() and str.strip() count as whitespace (not JavaScript's \s, which differs).
  const SPACE = /^[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
  // A number, as money.py's _NUMBER ([0-9][0-9,.]*): a digit, then digits, commas and points.
  const DIGIT = /^[0-9]$/;
  const NUMBER_PART = /^[0-9,.]$/;
  const GROUPED_DIGITS = /^[0-9]{1,3}(?:,[0-9]{3})+$/;
  const LETTER = /^\p{L}$/u; // Python's str.isalpha(): categories Lu, Ll, Lt, Lm, Lo
  const MAX_INTEGER_DIGITS = 40;
  const MAX_FRACTION_DIGITS = 15;

  /** A refusal: the rule broken (the code registry/domain/money.py's InvalidAmount gives) and its words. */
  class Refusal extends Error {
    constructor(code, values) {
      super(code);
      this.code = code;
      this.values = values || {};
    }
  }

  const isSpace = (char) => SPACE.test(char);

  function stripSpace(chars) {
    let start = 0;
    let end = chars.length;
    while (start < end && isSpace(chars[start])) start += 1;
    while (end > start && isSpace(chars[end - 1])) end -= 1;
    return chars.slice(start, end);
  }

  /** The characters (code points, as Python counts them) of `text` without whitespace around, ₩ and 원. */
  function stripMarkers(text) {
    let body = stripSpace(Array.from(text));
    if (body.length && PREFIXES.includes(body[0])) body = leftStrip(body.slice(1));
    if (body.length && body[body.length - 1] === SUFFIX) body = rightStrip(body.slice(0, -1));
    return body;
  }

  function leftStrip(chars) {
    let start = 0;
    while (start < chars.length && isSpace(chars[start])) start += 1;
    return chars.slice(start);
  }

  function rightStrip(chars) {
    let end = chars.length;
    while (end > 0 && isSpace(chars[end - 1])) end -= 1;
    return chars.slice(0, end);
  }

  // Fractions of BigInts, {n, d} with d > 0: exact, as Python's Fraction.
  const fraction = (n, d) => ({ n, d: d === undefined ? 1n : d });
  const ONE = fraction(1n);
  const ZERO = fraction(0n);
  const plus = (a, b) => fraction(a.n * b.d + b.n * a.d, a.d * b.d);
  const times = (a, whole) => fraction(a.n * whole, a.d);
  const atLeast = (a, whole) => a.n >= whole * a.d;

  function unexpected(char, atStart) {
    if (NEGATIVE_SIGNS.includes(char) && atStart) return new Refusal("negative");
    if (char === ",") return new Refusal("misplaced-comma", { number: "," });
    if (char === ".") return new Refusal("misplaced-point", { number: "." });
    if (PREFIXES.includes(char)) return new Refusal("misplaced-prefix", { char });
    if (char === SUFFIX) return new Refusal("misplaced-suffix", { char });
    if (LETTER.test(char)) return new Refusal("letters", { char });
    return new Refusal("unexpected-character", { char });
  }

  function readNumber(number) {
    const dot = number.indexOf(".");
    const integer = dot < 0 ? number : number.slice(0, dot);
    const point = dot >= 0;
    let decimals = point ? number.slice(dot + 1) : "";
    if (decimals.includes(".")) throw new Refusal("several-points", { number });
    if ((integer.includes(",") && !GROUPED_DIGITS.test(integer)) || decimals.includes(",")) {
      throw new Refusal("misplaced-comma", { number });
    }
    if (point && !decimals) throw new Refusal("misplaced-point", { number });
    const digits = integer.replace(/,/g, "").replace(/^0+/, "");
    decimals = decimals.replace(/0+$/, "");
    if (digits.length > MAX_INTEGER_DIGITS) throw new Refusal("too-large", { max: groupDigits(MAX_WON) });
    if (decimals.length > MAX_FRACTION_DIGITS) throw new Refusal("fraction-of-won");
    return { kind: "number", text: number, value: fraction(BigInt(digits + decimals || "0"), 10n ** BigInt(decimals.length)), point };
  }

  function tokenize(body) {
    const tokens = [];
    let position = 0;
    while (position < body.length) {
      const char = body[position];
      if (isSpace(char)) {
        position += 1;
      } else if (char in BIG_UNITS || char in SMALL_UNITS) {
        tokens.push({ kind: "unit", text: char, value: BIG_UNITS[char] || SMALL_UNITS[char], big: char in BIG_UNITS });
        position += 1;
      } else {
        if (!DIGIT.test(char)) throw unexpected(char, position === 0);
        let end = position + 1;
        while (end < body.length && NUMBER_PART.test(body[end])) end += 1;
        tokens.push(readNumber(body.slice(position, end).join("")));
        position = end;
      }
    }
    return tokens;
  }

  /** The running sum of the tokens, checking unit order and overlap as money.py's _Evaluation does. */
  class Evaluation {
    constructor() {
      this.total = ZERO;
      this.lastBig = null;
      this.group = ZERO;
      this.groupText = "";
      this.lastSmall = null;
      this.pending = null;
      this.seenAny = false;
    }

    number(number) {
      if (this.pending !== null) throw new Refusal("numbers-without-unit", { first: this.pending.text, second: number.text });
      this.pending = number;
      this.seenAny = true;
    }

    smallUnit(unit) {
      this.checkOrder(this.lastSmall, unit);
      const coefficient = this.pending !== null ? this.pending.value : ONE;
      const partText = (this.pending !== null ? this.pending.text : "") + unit.text;
      this.checkOverlap(times(coefficient, unit.value), partText, this.lastSmall);
      this.group = plus(this.group, times(coefficient, unit.value));
      this.groupText += partText;
      this.lastSmall = unit;
      this.pending = null;
      this.seenAny = true;
    }

    bigUnit(unit) {
      this.checkOrder(this.lastBig, unit);
      if (this.pending === null && !this.groupText) {
        if (this.seenAny) throw new Refusal("unit-without-number", { unit: unit.text });
        this.group = ONE;
        this.groupText = "";
      }
      const group = this.closeGroup();
      this.checkOverlap(times(group, unit.value), this.groupText + unit.text, this.lastBig);
      this.total = plus(this.total, times(group, unit.value));
      this.lastBig = unit;
      this.group = ZERO;
      this.groupText = "";
      this.lastSmall = null;
      this.pending = null;
      this.seenAny = true;
    }

    finish() {
      if (this.pending !== null || this.groupText) {
        const group = this.closeGroup();
        this.checkOverlap(group, this.groupText, this.lastBig);
        this.total = plus(this.total, group);
      }
      return this.total;
    }

    closeGroup() {
      if (this.pending === null) return this.group;
      this.checkOverlap(this.pending.value, this.pending.text, this.lastSmall);
      this.group = plus(this.group, this.pending.value);
      this.groupText += this.pending.text;
      this.pending = null;
      return this.group;
    }

    checkOrder(previous, unit) {
      if (previous === null) return;
      if (unit.value === previous.value) throw new Refusal("unit-twice", { unit: unit.text });
      if (unit.value > previous.value) throw new Refusal("units-out-of-order", { unit: unit.text, previous: previous.text });
    }

    checkOverlap(value, partText, previous) {
      if (previous !== null && atLeast(value, previous.value)) {
        throw new Refusal("overlap", { part: partText, previous: previous.text });
      }
    }
  }

  /** The whole won `text` spells, as a BigInt; throws a Refusal (with the Python error's code) otherwise. */
  function wonOf(text) {
    const body = stripMarkers(String(text));
    const tokens = tokenize(body);
    if (!tokens.length) throw new Refusal("empty");
    const numbers = tokens.filter((token) => token.kind === "number");
    for (const number of numbers.slice(0, -1)) {
      if (number.point) throw new Refusal("point-not-last", { number: number.text });
    }
    const evaluation = new Evaluation();
    for (const token of tokens) {
      if (token.kind === "number") evaluation.number(token);
      else if (token.big) evaluation.bigUnit(token);
      else evaluation.smallUnit(token);
    }
    const total = evaluation.finish();
    if (total.n % total.d !== 0n) throw new Refusal("fraction-of-won");
    const won = total.n / total.d;
    if (won > MAX_WON) throw new Refusal("too-large", { max: groupDigits(MAX_WON) });
    return won;
  }

  /** 100000000n -> "100,000,000". */
  function groupDigits(amount) {
    return BigInt(amount).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /** "₩100,000,000": exact won, as registry/domain/money.py's format_won (the portal's tables) writes it. */
  function formatWon(amount) {
    return "₩" + groupDigits(amount);
  }

  /** "1억 6,000만 원": as format_won_korean (the portal's words beside an amount) writes it. */
  function formatWonKorean(amount) {
    const value = BigInt(amount);
    const jo = value / 10n ** 12n;
    let rest = value % 10n ** 12n;
    const eok = rest / 10n ** 8n;
    rest %= 10n ** 8n;
    const man = rest / 10n ** 4n;
    const won = rest % 10n ** 4n;
    const parts = [];
    for (const [count, unit] of [[jo, "조"], [eok, "억"], [man, "만"]]) if (count) parts.push(groupDigits(count) + unit);
    if (won || !parts.length) parts.push(groupDigits(won));
    return parts.join(" ") + " 원";
  }

  /**
   * An amount a person typed: {ok: true, won (BigInt), understood} with what was understood in the page's language
   * ("1억 원 (100,000,000원)"), or {ok: false, code, message} saying what is wrong and what to write.
   */
  function parseWon(text) {
    try {
      const won = wonOf(text);
      return { ok: true, won, understood: say("won.understood", { korean: formatWonKorean(won), digits: groupDigits(won) }) };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return { ok: false, code: error.code, message: say("won.refused", { text: shown(text), reason: say("won." + error.code, error.values) }) };
    }
  }

  function shown(text) {
    const chars = Array.from(String(text));
    return chars.length <= 60 ? chars.join("") : chars.slice(0, 60).join("") + "…";
  }

  // ---- calendar days ---------------------------------------------------------------------------------------------

  const CALENDAR = /^(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})([0-9]{2})([0-9]{2}))$/;
  const WEEK = /^(?:([0-9]{4})-W([0-9]{2})(?:-([0-9]))?|([0-9]{4})W([0-9]{2})([0-9])?)$/;

  const isLeap = (year) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysIn = (year, month) => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

  /** Midnight UTC of a proleptic Gregorian day (any year: setUTCFullYear does not shift 0-99 to the 1900s). */
  function utcDay(year, month, day) {
    const moment = new Date(0);
    moment.setUTCFullYear(year, month - 1, day);
    return moment;
  }

  function calendarDay(year, month, day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
    return { year, month, day };
  }

  /** The day of ISO week `week`, weekday `weekday` (1 = Monday) of ISO year `year`, as date.fromisocalendar. */
  function isoWeekDay(year, week, weekday) {
    if (year < 1 || year > 9999 || weekday < 1 || weekday > 7 || week < 1 || week > 53) return null;
    const januaryFirst = (utcDay(year, 1, 1).getUTCDay() + 6) % 7 + 1;
    if (week === 53 && !(januaryFirst === 4 || (januaryFirst === 3 && isLeap(year)))) return null;
    const fourth = utcDay(year, 1, 4);
    const mondayOfFirstWeek = fourth.getTime() - ((fourth.getUTCDay() + 6) % 7) * 86400000;
    const moment = new Date(mondayOfFirstWeek + ((week - 1) * 7 + (weekday - 1)) * 86400000);
    return calendarDay(moment.getUTCFullYear(), moment.getUTCMonth() + 1, moment.getUTCDate());
  }

  const pad = (value, width) => String(value).padStart(width, "0");

  /**
   * A day a person typed: {ok: true, day: "YYYY-MM-DD", understood} or {ok: false, code, message}, accepting and
   * refusing exactly what registry/domain/days.py's parse_day does.
   */
  function parseDay(text) {
    const body = stripSpace(Array.from(String(text))).join("");
    let found = null;
    let code = "not-a-date";
    const calendar = CALENDAR.exec(body);
    const week = calendar ? null : WEEK.exec(body);
    if (calendar) {
      const parts = calendar[1] !== undefined ? calendar.slice(1, 4) : calendar.slice(4, 7);
      found = calendarDay(Number(parts[0]), Number(parts[1]), Number(parts[2]));
      code = "no-such-day";
    } else if (week) {
      const parts = week[1] !== undefined ? week.slice(1, 4) : week.slice(4, 7);
      found = isoWeekDay(Number(parts[0]), Number(parts[1]), parts[2] !== undefined ? Number(parts[2]) : 1);
      code = "no-such-day";
    }
    if (!found) return { ok: false, code, message: say("day." + code, { text: shown(text) }) };
    const day = pad(found.year, 4) + "-" + pad(found.month, 2) + "-" + pad(found.day, 2);
    return { ok: true, day, understood: say("day.understood", { day, year: found.year, month: found.month, date: found.day }) };
  }

  workspace.forms = { parseWon, parseDay, formatWon, formatWonKorean, groupDigits };
})();
