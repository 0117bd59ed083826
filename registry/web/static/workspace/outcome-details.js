// An outcome's identifier and typed details checked in the page exactly as registry/domain/outcome_details.py
// checks them for the CLI and the API: the same table (registry/domain/outcome_details.json, embedded in the
// page as data.outcomeRules) read the same way (its `about` says how), so a DOI the page accepts is one the
// command line accepts, normalised alike (https://doi.org/ taken off, KIPO numbers with their dashes).
//
// RndWorkspace.outcomeDetails:
//   typeKey(select option)        the table's name of an outcome type ("patent-application")
//   uses(typeKey)                 {field: {required, label}} for the fields the type records, in the page's language
//   check(typeKey, values)        values = {externalId, venue, country, counterparty, date, amount, sciIndexed}
//                                 (date in Unix seconds or 0, amount a BigInt): {ok: true, externalId, details}
//                                 with details in the contract's order, or {ok: false, field, message}
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { data, say } = workspace;
  const table = data.outcomeRules;
  const lang = data.lang === "en" ? "en" : "ko";
  // The order outcome_details.py checks them in: the country first, since a number's rule depends on it.
  const FIELDS = ["country", "externalId", "venue", "counterparty", "date", "amount", "sciIndexed"];
  const COUNTRIES = new Set(table.countries);

  const empty = (value) => value === null || value === undefined || value === "" || value === false || value === 0 || value === 0n;
  const spec = (type, field) => ({ ...table.fields[field], ...((table.types[type] || {})[field] || {}) });
  const labelOf = (type, field) => spec(type, field).label[lang];
  const typeWords = (type) => workspace.enumLabel("outcome_type", type);

  function uses(type) {
    const used = table.types[type] || {};
    const found = {};
    for (const field of FIELDS) if (field in used) found[field] = { required: Boolean(used[field].required), label: labelOf(type, field) };
    return found;
  }

  class Refusal extends Error {
    constructor(field, message) {
      super(message);
      this.field = field;
    }
  }

  /** A JavaScript-syntax pattern of the table as a whole-value match (Python's re.fullmatch). */
  const whole = (pattern) => new RegExp("^(?:" + pattern + ")$");

  function checkValue(type, field, value, country) {
    const rules = spec(type, field);
    const label = labelOf(type, field);
    if (rules.kind === "country") {
      const code = String(value).toUpperCase();
      const offices = rules.offices ? table.patentOffices : {};
      if (!COUNTRIES.has(code) && !(code in offices)) {
        const key = rules.offices ? "outcome.bad_country_or_office" : "outcome.bad_country";
        throw new Refusal(field, say(key, { value, offices: Object.keys(offices).join(", ") }));
      }
      return code;
    }
    if (rules.kind === "won") {
      const least = BigInt(rules.min || 0);
      if (BigInt(value) < least) throw new Refusal(field, say("outcome.won_below", { label, least: workspace.won(least) }));
      return BigInt(value);
    }
    if (rules.kind === "date" || rules.kind === "flag") return value;
    let text = String(value);
    for (const [pattern, replacement] of rules.rewrite || []) text = text.replace(new RegExp(pattern, "gi"), replacement);
    if (rules.case === "upper") text = text.toUpperCase();
    else if (rules.case === "lower") text = text.toLowerCase();
    const length = Array.from(text).length;
    if (length > rules.maxLength) throw new Refusal(field, say("outcome.too_long", { label, length, most: rules.maxLength }));
    for (const rule of rules.rules || []) {
      if (rule.country && !rule.country.includes(country)) continue;
      if (rule.notCountry && rule.notCountry.includes(country)) continue;
      if (!whole(rule.pattern).test(text)) throw new Refusal(field, say("outcome.not_valid", { value, rule: rule.message[lang] }));
      break;
    }
    return text;
  }

  function check(type, given) {
    const used = table.types[type];
    if (!used) return { ok: false, field: "outcomeType", message: say("outcome.no_type") };
    const checked = {};
    try {
      for (const field of FIELDS) {
        let value = given[field];
        if (typeof value === "string") value = value.trim();
        if (!(field in used)) {
          if (!empty(value)) throw new Refusal(field, say("outcome.not_recorded", { type: typeWords(type), label: table.fields[field].label[lang] }));
          checked[field] = value;
          continue;
        }
        const rules = spec(type, field);
        if (empty(value) && "default" in rules) value = rules.default;
        if (empty(value)) {
          if (rules.required) throw new Refusal(field, say("outcome.required", { type: typeWords(type), label: labelOf(type, field) }));
          checked[field] = value;
          continue;
        }
        checked[field] = checkValue(type, field, value, checked.country || "");
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return { ok: false, field: error.field, message: error.message };
    }
    const details = [checked.venue || "", checked.country || "", checked.counterparty || "", Number(checked.date || 0),
      BigInt(checked.amount || 0), Boolean(checked.sciIndexed)];
    return { ok: true, externalId: checked.externalId || "", details, checked };
  }

  workspace.outcomeDetails = { uses, check, typeKey: (option) => option.dataset.key };
})();
