// A record as the chain alone says it is, and how a copy (a page of the portal, the API's JSON)
// compares with it: the browser's mirror of registry/checking/records.py (`derive`, `compare`),
// interpreting the same rules (records.json) over the same raw evidence (the view's eth_call result,
// the record's logs, block times, the forwarder's relays). No DOM and no network here, so that
// node runs it over the shared test vectors (tests/checking/run_record_vectors.mjs) as the page does.
// ABI encoding and decoding come from ethers (passed in: the page's UMD build or node's package).

const ZERO_HEX = /^0x0*$/i;

export class UnknownRecordKind extends Error {
  constructor(kind, kinds) {
    super(`${JSON.stringify(kind)} is not a record kind; the kinds are ${kinds.join(", ")}`);
    this.kind = kind;
  }
}

/** The checker of one record spec and ABI: `createChecker({ ethers, spec, abi })`. */
export function createChecker({ ethers, spec, abi }) {
  const interfaces = {};
  for (const [contract, entries] of Object.entries(abi)) interfaces[contract] = new ethers.Interface(entries);
  const abiEntry = (contract, type, name) => abi[contract].find((e) => e.type === type && e.name === name);
  const kinds = Object.keys(spec.kinds);

  function kindSpec(kind) {
    const found = Object.prototype.hasOwnProperty.call(spec.kinds, kind) ? spec.kinds[kind] : undefined;
    if (found === undefined) throw new UnknownRecordKind(kind, kinds);
    return found;
  }

  // ---- values as records.py holds them ---------------------------------------------------------

  // A decoded ABI value as plain JS, named as spec.py's `_named` names it: tuples as objects by
  // component name (position when unnamed), arrays as arrays; ints stay bigint, bytes lowercase hex.
  function plain(param, value) {
    if (param.type === "tuple") return named(param.components, value);
    if (param.type.endsWith("]")) {
      const child = { ...param, type: param.type.slice(0, param.type.lastIndexOf("[")) };
      return Array.from(value, (v) => plain(child, v));
    }
    if (typeof value === "string" && /^bytes/.test(param.type)) return value.toLowerCase();
    return value;
  }

  function named(params, values) {
    const out = {};
    params.forEach((param, position) => {
      out[param.name || String(position)] = plain(param, values[position]);
    });
    return out;
  }

  function iso(seconds) {
    const n = Number(seconds);
    return new Date(n * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function isZero(value) {
    if (typeof value === "string") return ZERO_HEX.test(value);
    return BigInt(value) === 0n;
  }

  function encodeValue(value, encoding) {
    switch (encoding) {
      case "int": return Number(value);
      case "won": return BigInt(value).toString();
      case "time": return iso(value);
      case "time?": return BigInt(value) === 0n ? null : iso(value);
      case "id?": return BigInt(value) === 0n ? null : Number(value);
      // As the indexer stores strings: NUL becomes U+FFFD.
      case "text": return String(value).split("\u0000").join("\ufffd");
      case "text?": return String(value) === "" ? null : String(value).split("\u0000").join("\ufffd");
      case "address": return ethers.getAddress(value);
      case "address?": return isZero(value) ? null : ethers.getAddress(value);
      case "hash": return String(value).toLowerCase();
      case "hash?": return isZero(value) ? null : String(value).toLowerCase();
      case "hashes": return Array.from(value).filter((v) => !isZero(v)).map((v) => String(v).toLowerCase());
      case "bool": return Boolean(value);
      case "nonzero": return !isZero(value);
      case "role": {
        const name = spec.roles[String(value).toLowerCase()];
        return name === undefined ? null : name;
      }
      case "json": return value;
      default:
        if (encoding.startsWith("is:")) return BigInt(value) === BigInt(encoding.slice(3));
        if (encoding.startsWith("enum:")) {
          const names = spec.enums[encoding.slice(5)];
          const number = Number(value);
          return number >= 0 && number < names.length ? names[number] : `unknown-${number}`;
        }
        throw new Error(`unknown encoding ${JSON.stringify(encoding)}`);
    }
  }

  function path(values, dotted) {
    let current = values;
    for (const part of dotted.split(".")) {
      if (current === null || current === undefined || !(part in current)) throw new Error(`no ${dotted} in the view`);
      current = current[part];
    }
    return current;
  }

  // A source whose event (or view) is not there: the field is null.
  const MISSING = Symbol("missing");

  /** The raw value of a rule's source (records.py `_raw`). `sources`: { key, view, views (by name),
   * events (created, last, event, and the first event of each `singles` entry, by name), blockTimes }. */
  function rawValue(source, sources) {
    const colon = source.indexOf(":");
    const kind = colon < 0 ? source : source.slice(0, colon);
    const name = colon < 0 ? "" : source.slice(colon + 1);
    if (kind === "const") return JSON.parse(name);
    if (kind === "key") return sources.key[name];
    if (kind === "view") return path(sources.view, name);
    if (kind === "views") {
      const dot = name.indexOf(".");
      const answered = (sources.views || {})[dot < 0 ? name : name.slice(0, dot)];
      return answered === null || answered === undefined ? MISSING : path(answered, dot < 0 ? "" : name.slice(dot + 1));
    }
    if (kind === "diff") {
      const [first, second] = name.split(",");
      return BigInt(path(sources.view, first)) - BigInt(path(sources.view, second));
    }
    if (kind === "plusdays") {
      const [start, days] = name.split("+").map((part) => rawValue(part, sources));
      return start === MISSING || days === MISSING ? MISSING : BigInt(start) + BigInt(days) * 86400n;
    }
    const events = sources.events || {};
    if (kind === "at") {
      const event = events[name];
      if (event === null || event === undefined) return MISSING;
      const seconds = sources.blockTimes[String(event.blockNumber)];
      if (seconds === undefined) throw new Error(`no time for block ${event.blockNumber}`);
      return seconds;
    }
    if (kind === "created" || kind === "last" || kind === "event" || kind === "single") {
      const dot = name.indexOf(".");
      const [eventName, argument] = kind === "single" ? [name.slice(0, dot), name.slice(dot + 1)] : [kind, name];
      const event = events[eventName];
      if (event === null || event === undefined) return MISSING;
      return path(event.args, argument);
    }
    throw new Error(`unknown source ${JSON.stringify(source)}`);
  }

  function fieldValue(rule, sources) {
    const bar = rule.lastIndexOf("|");
    const source = rule.slice(0, bar);
    const raw = rawValue(source, sources);
    if (raw === MISSING) return null;
    if (source.startsWith("const:")) return raw;
    return encodeValue(raw, rule.slice(bar + 1));
  }

  // `rules.followUpYears` sets record.rules.followUpYears.
  function setField(record, dotted, value) {
    const parts = dotted.split(".");
    let holder = record;
    for (const part of parts.slice(0, -1)) {
      if (!Object.prototype.hasOwnProperty.call(holder, part)) holder[part] = {};
      holder = holder[part];
    }
    holder[parts[parts.length - 1]] = value;
  }

  // ---- keys -------------------------------------------------------------------------------------

  /** A record key from JSON as the values the rules use (ints, lowercase hashes, checksummed
   * addresses); throws an Error naming what is wrong. */
  function parseKey(kind, key) {
    const wanted = kindSpec(kind).key;
    const given = Object.keys(key || {});
    const names = Object.keys(wanted);
    if (given.length !== names.length || !names.every((n) => given.includes(n))) {
      throw new Error(`a ${kind} is known by ${names.join(", ")}, not ${given.join(", ") || "nothing"}`);
    }
    const parsed = {};
    for (const [name, encoding] of Object.entries(wanted)) {
      const value = key[name];
      if (encoding === "int") {
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
          throw new Error(`${name} must be a whole number, not ${JSON.stringify(value)}`);
        }
        parsed[name] = value;
      } else if (encoding === "hash") {
        const text = String(value);
        if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new Error(`${name} must be 32 bytes as 0x and 64 hex digits, not ${JSON.stringify(value)}`);
        parsed[name] = text.toLowerCase();
      } else {
        parsed[name] = ethers.getAddress(String(value));
      }
    }
    return parsed;
  }

  // ---- what to ask a node -----------------------------------------------------------------------

  /** The questions `derive` needs answered about one record: the view's call (contract, calldata)
   * and each eth_getLogs filter (contract, topics), as records.py's `read_evidence` asks them. */
  function questions(kind, key) {
    const s = kindSpec(kind);
    const parsed = parseKey(kind, key);
    const iface = interfaces[s.contract];
    const view = { contract: s.contract, data: iface.encodeFunctionData(s.view.function, s.view.args.map((a) => parsed[a])) };
    const rules = [...s.created, ...s.changes];
    for (const group of ["lists", "singles"]) {
      for (const entries of Object.values(s[group] || {})) rules.push(...entries);
    }
    const logs = [];
    const asked = new Set();
    for (const rule of rules) {
      const where = Object.entries(rule.where).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const question = JSON.stringify([rule.contract, rule.event, where]);
      if (asked.has(question)) continue;
      asked.add(question);
      const fragment = interfaces[rule.contract].getEvent(rule.event);
      const indexed = fragment.inputs.filter((i) => i.indexed);
      const values = indexed.map((input) => (input.name in rule.where ? parsed[rule.where[input.name]] : null));
      const topics = interfaces[rule.contract].encodeFilterTopics(fragment, values);
      while (topics.length && topics[topics.length - 1] === null) topics.pop();
      logs.push({ contract: rule.contract, topics });
    }
    return { view, logs };
  }

  /** The names of the kind's other views (records.json `views`), in the order they are asked. */
  function viewNames(kind) {
    return Object.keys(kindSpec(kind).views || {});
  }

  /** The call of the kind's view `name` (contract, calldata), its arguments from the key, the main
   * view, the views before it and the record's events (`evidence` decoded so far); null when one is
   * not there. As records.py's `view_arguments`. */
  function viewCall(kind, name, key, evidence) {
    const s = kindSpec(kind);
    const asked = s.views[name];
    const contract = asked.contract || s.contract;
    const parsed = parseKey(kind, key);
    const created = eventsOf(evidence, s.created, parsed);
    const touching = eventsOf(evidence, [...s.created, ...s.changes], parsed);
    const sources = {
      key: parsed, view: evidence.view, views: evidence.views,
      events: { created: created.length ? created[0] : null, last: touching.length ? touching[touching.length - 1] : null },
      blockTimes: evidence.blockTimes,
    };
    const args = [];
    for (const source of asked.args) {
      let value;
      try {
        value = rawValue(source.includes(":") ? source : "key:" + source, sources);
      } catch (_) {
        return null; // a view not answered, or without that value
      }
      if (value === MISSING) return null;
      args.push(value);
    }
    return { contract, data: interfaces[contract].encodeFunctionData(asked.function, args) };
  }

  /** The topic of the forwarder's relays (`ExecutedForwardRequest`). */
  function relayTopic() {
    return interfaces.RegistryForwarder.getEvent("ExecutedForwardRequest").topicHash;
  }

  // ---- decoding what the node answered -----------------------------------------------------------

  function decodeResult(contract, functionName, result) {
    if (result === null || result === undefined) return null;
    const entry = abiEntry(contract, "function", functionName);
    const values = interfaces[contract].decodeFunctionResult(functionName, result);
    if (entry.outputs.length === 1 && entry.outputs[0].type === "tuple") return named(entry.outputs[0].components, values[0]);
    return named(entry.outputs, values);
  }

  function decodeView(kind, result) {
    const s = kindSpec(kind);
    return decodeResult(s.contract, s.view.function, result);
  }

  /** A raw log of a registry contract, decoded; null for a log its ABI does not declare. */
  function decodeLog(contract, raw) {
    if (!raw.topics || raw.topics.length === 0 || !interfaces[contract]) return null;
    const parsed = interfaces[contract].parseLog({ topics: raw.topics, data: raw.data });
    if (!parsed) return null;
    const entry = abiEntry(contract, "event", parsed.name);
    const args = {};
    entry.inputs.forEach((input, position) => {
      // An indexed dynamic value is only its hash in the topic; the registry indexes value types only.
      let value = parsed.args[position];
      if (value && typeof value === "object" && value.hash !== undefined && input.indexed) value = value.hash;
      args[input.name || String(position)] = plain(input, value);
    });
    for (const [name, value] of Object.entries(args)) {
      if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) args[name] = ethers.getAddress(value);
    }
    return {
      contract,
      address: ethers.getAddress(raw.address),
      name: parsed.name,
      args,
      blockNumber: Number(BigInt(raw.blockNumber)),
      logIndex: Number(BigInt(raw.logIndex)),
      transactionHash: String(raw.transactionHash).toLowerCase(),
    };
  }

  const number = (value) => (typeof value === "string" && value.startsWith("0x") ? Number(BigInt(value)) : Number(value));

  /** Raw evidence (the shape of tests/checking/vectors/records.json) as records.py's ChainEvidence. */
  function evidenceOf(kind, raw) {
    const events = new Map();
    for (const log of raw.logs || []) {
      const event = decodeLog(log.contract, log);
      if (event) events.set(`${event.blockNumber}:${event.logIndex}`, event);
    }
    const ordered = [...events.values()].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    const relays = [];
    for (const log of raw.relays || []) {
      const event = decodeLog(log.contract || "RegistryForwarder", log);
      if (event && event.name === "ExecutedForwardRequest") {
        relays.push({ transactionHash: event.transactionHash, logIndex: event.logIndex, signer: ethers.getAddress(event.args.signer) });
      }
    }
    const blockTimes = {};
    for (const [block, seconds] of Object.entries(raw.blockTimes || {})) blockTimes[String(number(block))] = Number(seconds);
    const s = kindSpec(kind);
    const views = {};
    for (const [name, answer] of Object.entries(raw.views || {})) {
      const asked = s.views[name];
      views[name] = decodeResult(asked.contract || s.contract, asked.function, answer);
    }
    return {
      chainId: number(raw.chainId),
      blockNumber: number(raw.blockNumber),
      view: decodeView(kind, raw.view),
      views,
      events: ordered,
      blockTimes,
      relays,
    };
  }

  // ---- the record from the chain -------------------------------------------------------------------

  function argEquals(value, wanted) {
    if (typeof wanted === "string") return typeof value === "string" && value.toLowerCase() === wanted.toLowerCase();
    if (typeof value === "bigint") return value === BigInt(wanted);
    return value === wanted;
  }

  function matches(event, rule, key) {
    if (event.contract !== rule.contract || event.name !== rule.event) return false;
    if (!Object.entries(rule.where).every(([argument, keyField]) => argEquals(event.args[argument], key[keyField]))) return false;
    // `match`: arguments the event does not index, held to a key field or a constant after decoding.
    return Object.entries(rule.match || {}).every(([argument, wanted]) =>
      argEquals(event.args[argument], wanted.startsWith("const:") ? JSON.parse(wanted.slice(6)) : key[wanted]));
  }

  function eventsOf(evidence, rules, key) {
    return evidence.events.filter((e) => rules.some((rule) => matches(e, rule, key)));
  }

  function signerOf(evidence, event) {
    const after = evidence.relays.filter((r) => r.transactionHash === event.transactionHash && r.logIndex > event.logIndex);
    if (!after.length) return null;
    return after.reduce((a, b) => (b.logIndex < a.logIndex ? b : a)).signer;
  }

  function provenance(evidence, event) {
    const seconds = evidence.blockTimes[String(event.blockNumber)];
    if (seconds === undefined) throw new Error(`no time for block ${event.blockNumber}`);
    return {
      chainId: evidence.chainId,
      contract: event.address,
      transactionHash: event.transactionHash,
      blockNumber: event.blockNumber,
      blockTime: iso(seconds),
      logIndex: event.logIndex,
      signer: signerOf(evidence, event),
    };
  }

  function item(evidence, rule, key, event) {
    const out = {};
    const sources = { key, events: { event }, blockTimes: evidence.blockTimes };
    for (const [name, fieldRule] of Object.entries(rule.item)) setField(out, name, fieldValue(fieldRule, sources));
    out.provenance = provenance(evidence, event);
    return out;
  }

  function pairs(evidence, rules, key) {
    const found = [];
    for (const rule of rules) for (const event of eventsOf(evidence, [rule], key)) found.push([event, rule]);
    // A stable sort by position, as Python's list.sort.
    return found.sort(([a], [b]) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }

  /** The record as the chain says it is, in the API's JSON encoding; null if the chain has no such
   * record. `key` parsed (parseKey), `evidence` decoded (evidenceOf). */
  function derive(kind, key, evidence) {
    const s = kindSpec(kind);
    const created = eventsOf(evidence, s.created, key);
    if (evidence.view === null || created.length === 0) return null;
    const touching = eventsOf(evidence, [...s.created, ...s.changes], key);
    const last = touching[touching.length - 1];
    const events = { created: created[0], last };
    for (const [name, rules] of Object.entries(s.singles || {})) {
      const found = eventsOf(evidence, rules, key);
      events[name] = found.length ? found[0] : null;
    }
    const sources = { key, view: evidence.view, views: evidence.views || {}, events, blockTimes: evidence.blockTimes };
    const record = {};
    for (const [name, rule] of Object.entries(s.fields)) setField(record, name, fieldValue(rule, sources));
    const hiddenRules = s.hidden === undefined ? [] : Array.isArray(s.hidden) ? s.hidden : [s.hidden];
    for (const hidden of hiddenRules) {
      const shown = record[hidden.when];
      if (("equals" in hidden && shown === hidden.equals) || (hidden.in || []).includes(shown)) {
        for (const name of hidden.fields) record[name] = null;
      }
    }
    record.provenance = provenance(evidence, created[0]);
    if (s.lastChange) record.lastChange = provenance(evidence, last);
    for (const [name, rules] of Object.entries(s.singles || {})) {
      const found = pairs(evidence, rules, key);
      record[name] = found.length ? item(evidence, found[0][1], key, found[0][0]) : null;
    }
    for (const [name, rules] of Object.entries(s.lists || {})) {
      record[name] = pairs(evidence, rules, key).map(([event, rule]) => item(evidence, rule, key, event));
    }
    return record;
  }

  return { kinds, kindSpec, parseKey, questions, viewNames, viewCall, relayTopic, decodeView, decodeLog, evidenceOf, derive, encodeValue };
}

// ---- comparing a copy with the chain's record (records.py `compare`) ------------------------------

const isMapping = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function deepEqual(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isMapping(a) || isMapping(b)) {
    if (!isMapping(a) || !isMapping(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return a === b;
}

function same(copy, chain) {
  if (typeof copy === "string" && typeof chain === "string" && copy.startsWith("0x") && chain.startsWith("0x")) {
    return copy.toLowerCase() === chain.toLowerCase(); // an address's checksum case is not a claim
  }
  return deepEqual(copy, chain);
}

function eventKey(item) {
  if (isMapping(item) && isMapping(item.provenance)) {
    const p = item.provenance;
    return JSON.stringify([String(p.transactionHash === undefined ? "" : p.transactionHash).toLowerCase(),
      p.logIndex === undefined ? null : p.logIndex]);
  }
  return "none";
}

// A path with its list positions written `[]`, as records.json's `derived` names them.
const general = (path) => path.replace(/\[\+?\d+\]/g, "[]");

function compareValues(copy, chain, where, tally) {
  const { differences } = tally;
  if (isMapping(copy) && isMapping(chain)) {
    let compared = 0;
    for (const [name, value] of Object.entries(copy)) {
      const at = where ? `${where}.${name}` : name;
      if (tally.declared.has(general(at))) {
        tally.derived.push(at);
        continue;
      }
      if (!(name in chain)) {
        tally.unchecked.push(at);
        continue;
      }
      compared += compareValues(value, chain[name], at, tally);
    }
    return compared;
  }
  if (Array.isArray(copy) && Array.isArray(chain)
      && (copy.some((i) => eventKey(i) !== "none") || chain.some((i) => eventKey(i) !== "none"))) {
    const onChain = new Map();
    chain.forEach((item, n) => onChain.set(eventKey(item), [n, item]));
    const inCopy = new Map();
    copy.forEach((item, n) => inCopy.set(eventKey(item), [n, item]));
    let compared = 0;
    for (const [key, [n, item]] of inCopy) {
      if (!onChain.has(key)) {
        differences.push({ path: `${where}[${n}]`, copy: item, chain: null });
        compared += 1;
      } else {
        compared += compareValues(item, onChain.get(key)[1], `${where}[${n}]`, tally);
      }
    }
    for (const [key, [n, item]] of onChain) {
      if (!inCopy.has(key)) {
        differences.push({ path: `${where}[+${n}]`, copy: null, chain: item });
        compared += 1;
      }
    }
    return compared;
  }
  if (!same(copy, chain)) differences.push({ path: where, copy, chain });
  return 1;
}

/** The copy's record (its API JSON, or the part a page shows) against the chain's: `{ verdict
 * ("matches" | "differs" | "not-on-chain"), differences [{path, copy, chain}], compared, unchecked,
 * derived (the copy's fields records.json declares derived from other records), chain }`, as
 * records.py's `compare`. `checker` from createChecker, `evidence` decoded. */
export function compareRecord(checker, kind, key, copy, evidence) {
  const chain = checker.derive(kind, checker.parseKey(kind, key), evidence);
  const tally = { differences: [], unchecked: [], derived: [], declared: new Set(Object.keys(checker.kindSpec(kind).derived || {})) };
  const { differences, unchecked } = tally;
  let verdict;
  let compared;
  if (chain === null) {
    verdict = "not-on-chain";
    compared = 0;
    if (copy !== null && copy !== undefined) differences.push({ path: "", copy, chain: null });
  } else if (copy === null || copy === undefined) {
    verdict = "differs";
    compared = 1;
    differences.push({ path: "", copy: null, chain });
  } else {
    compared = compareValues(copy, chain, "", tally);
    verdict = differences.length ? "differs" : "matches";
  }
  return { kind, key, chainId: evidence.chainId, blockNumber: evidence.blockNumber, verdict, differences, compared, unchecked, derived: tally.derived, chain };
}
