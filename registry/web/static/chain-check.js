// The chain check of a record page, run in the reader's browser: the city's server and its SQL copy
// are not trusted. It asks a JSON-RPC node the reader chooses (directly, never through this server)
// for the contracts' views (eth_call) and the records' events (eth_getLogs), all at one pinned
// block; derives each record as records.json says (record-check.js, the mirror of
// registry/checking/records.py); and compares it, field by field and history included, with what
// THIS PAGE shows, read from its markup (data-record, data-field, data-value: see
// registry/checking/CLAIMS.md). It also confirms that each marked value's visible text is its
// rendering (data-format). Everything shown is built with DOM methods and textContent.
import { compareRecord, createChecker } from "./record-check.js";

const STORAGE_KEY = "rnd-registry.chain-check.node";
const LOGS_RANGE = 5000;

const section = document.getElementById("chain-check");
const configElement = document.getElementById("chain-check-config");

// Bidirectional controls in text from the chain are shown as visible marks, never applied, as the
// portal's pages write them (registry/domain/text.py): "abc\u202e" reads "abc<U+202E>".
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const bidiShown = (text) => String(text).replace(BIDI_CONTROLS, (c) => "<U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + ">");

if (section && configElement) start(JSON.parse(configElement.textContent));

function start(config) {
  const say = (key, values) => {
    let text = config.messages["check." + key];
    if (text === undefined) text = key;
    for (const [name, value] of Object.entries(values || {})) text = text.split("{" + name + "}").join(bidiShown(value));
    return text;
  };
  const select = document.getElementById("chain-check-node");
  const urlInput = document.getElementById("chain-check-url");
  const urlRow = document.getElementById("chain-check-url-row");
  const form = document.getElementById("chain-check-form");
  const statusBox = document.getElementById("chain-check-status");
  const resultBox = document.getElementById("chain-check-result");
  let running = 0;

  // ---- the reader's choice of node, remembered ----------------------------------------------------

  function chosen() {
    if (select.value) {
      const node = config.nodes.find((n) => n.url === select.value);
      return { name: node.name, url: node.url, city: node.city };
    }
    return { name: say("own_node_name"), url: urlInput.value.trim(), city: false };
  }

  function showUrlRow() {
    urlRow.hidden = select.value !== "";
  }

  let saved = null;
  try {
    saved = window.localStorage.getItem(STORAGE_KEY);
  } catch (_) {
    saved = null; // storage refused (private mode): the first published node, as on a first visit
  }
  if (saved) {
    if (config.nodes.some((n) => n.url === saved)) select.value = saved;
    else {
      select.value = "";
      urlInput.value = saved;
    }
  }
  showUrlRow();
  select.addEventListener("change", () => {
    showUrlRow();
    if (select.value === "") urlInput.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const node = chosen();
    if (!/^https?:\/\/\S+$/i.test(node.url)) {
      statusBox.textContent = say("bad_url");
      urlInput.focus();
      return;
    }
    try {
      window.localStorage.setItem(STORAGE_KEY, node.url);
    } catch (_) {
      // not remembered; the check still runs
    }
    run(node);
  });

  // ---- building the page ----------------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : bidiShown(child));
    }
    return node;
  }

  function fill(box, ...children) {
    const shown = children.flat().filter((c) => c !== null && c !== undefined && c !== false);
    box.replaceChildren(...shown.map((c) => (c instanceof Node ? c : bidiShown(c))));
  }

  // ---- how the portal writes values (registry/web/formatting.py) ----------------------------------

  const group3 = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const grouped = (value) => {
    const text = String(value);
    return text.startsWith("-") ? "-" + group3(text.slice(1)) : group3(text);
  };
  function koreaTime(iso) {
    const shifted = new Date(Date.parse(iso) + 9 * 3600 * 1000).toISOString();
    return shifted.slice(0, 10) + " " + shifted.slice(11, 19) + " KST";
  }
  const pythonText = (value) => (value === null ? "None" : value === true ? "True" : value === false ? "False" : String(value));

  /** The text the portal writes for `value` in `format`; undefined for a format this check does not know. */
  function rendering(format, value) {
    if (format === "won") return value === null ? "—" : "₩" + grouped(value);
    if (format === "number") return value === null ? "—" : grouped(value);
    if (format === "day") return value === null ? "—" : new Date(Date.parse(value)).toISOString().slice(0, 10);
    if (format === "time") return value === null ? "—" : koreaTime(value);
    if (format === "short-hex") {
      const text = value === null ? "" : String(value);
      return text.length <= 16 ? text : text.slice(0, 8) + "…" + text.slice(-6);
    }
    if (format === "hex") return value === null ? "" : String(value);
    if (format === "text") return bidiShown(pythonText(value));
    if (format === "bool") return pythonText(value);
    if (format.startsWith("enum:")) {
      const label = config.enums["enum." + format.slice(5) + "." + value];
      return label === undefined ? String(value) : label;
    }
    return undefined;
  }

  const visible = (element) => element.textContent.replace(/\s+/g, " ").trim();

  // ---- what the page says, from its markup ----------------------------------------------------------

  const owner = (element) => element.closest("[data-record]");

  function setPath(target, dotted, value) {
    const parts = dotted.split(".");
    let holder = target;
    for (const part of parts.slice(0, -1)) {
      if (holder[part] === null || typeof holder[part] !== "object" || Array.isArray(holder[part])) holder[part] = {};
      holder = holder[part];
    }
    const last = parts[parts.length - 1];
    if (!Object.prototype.hasOwnProperty.call(holder, last)) {
      holder[last] = value;
      return false;
    }
    return JSON.stringify(holder[last]) !== JSON.stringify(value);
  }

  const firstValue = (target, dotted) => dotted.split(".").reduce((v, part) => (v === null || v === undefined ? v : v[part]), target);

  /** The records this page shows, each with the copy of it the page's markup makes. */
  function readPage() {
    const records = [];
    for (const element of document.querySelectorAll("[data-record]")) {
      if (section.contains(element)) continue;
      const record = { element, kind: element.dataset.record, key: null, copy: {}, fields: [], problems: [], unmarked: [] };
      records.push(record);
      try {
        record.key = JSON.parse(element.dataset.key);
      } catch (_) {
        record.problems.push(say("bad_key"));
        continue;
      }
      // A page that says a record does not exist ("not restricted") claims its absence.
      if (element.hasAttribute("data-absent")) {
        record.copy = null;
        continue;
      }
      const lists = new Map();
      for (const list of element.querySelectorAll("[data-list]")) {
        if (owner(list) !== element) continue;
        const items = [...list.querySelectorAll("[data-item]")].filter((i) => i.closest("[data-list]") === list && owner(i) === element);
        const copies = items.map(() => ({}));
        lists.set(list, { name: list.dataset.list, items, copies });
        setPath(record.copy, list.dataset.list, copies);
      }
      const marked = element.hasAttribute("data-field") ? [element] : [];
      for (const field of [...marked, ...element.querySelectorAll("[data-field]")]) {
        if (owner(field) !== element && field !== element) continue;
        const path = field.dataset.field;
        let value;
        try {
          value = JSON.parse(field.getAttribute("data-value"));
        } catch (_) {
          record.problems.push(say("bad_value", { field: path }));
          continue;
        }
        let target = record.copy;
        let where = path;
        const item = field.closest("[data-item]");
        if (item && element.contains(item) && owner(item) === element) {
          const list = lists.get(item.closest("[data-list]"));
          if (list) {
            const n = list.items.indexOf(item);
            target = list.copies[n];
            where = `${list.name}[${n}].${path}`;
          }
        }
        if (setPath(target, path, value)) {
          record.problems.push(say("page_contradicts", { field: where, first: JSON.stringify(firstValue(target, path)), second: JSON.stringify(value) }));
        }
        record.fields.push({ element: field, path: where, value, format: field.dataset.format || null });
      }
      // Facts shown in this record's lists of facts and table cells that carry no claim.
      for (const dd of element.querySelectorAll("dl.facts > dd")) {
        if (owner(dd) !== element || dd.hasAttribute("data-field") || dd.querySelector("[data-field]")) continue;
        const dt = dd.previousElementSibling;
        if (dt && dt.tagName === "DT") record.unmarked.push(visible(dt));
      }
      if (element.tagName === "TR") {
        const headers = element.closest("table") ? element.closest("table").querySelectorAll("thead th") : [];
        [...element.children].forEach((cell, n) => {
          if (cell.hasAttribute("data-field") || cell.querySelector("[data-field]") || !visible(cell)) return;
          // A cell that is only a link to the record (its key, checked as the record itself) is navigation.
          const link = cell.children.length === 1 ? cell.firstElementChild : null;
          if (link && link.tagName === "A" && visible(link) === visible(cell)) return;
          if (headers[n]) record.unmarked.push(visible(headers[n]));
        });
      }
    }
    return records;
  }

  // ---- asking the node --------------------------------------------------------------------------

  class NodeProblem extends Error {
    constructor(message) {
      super(message);
      this.name = "NodeProblem";
    }
  }

  let ids = 0;
  async function rpc(url, method, params) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), config.timeoutSeconds * 1000);
    try {
      let response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: ++ids, method, params }),
          signal: controller.signal,
          cache: "no-store",
          credentials: "omit",
          referrerPolicy: "no-referrer",
        });
      } catch (_) {
        throw new NodeProblem(controller.signal.aborted ? say("node_slow", { method, seconds: config.timeoutSeconds })
          : say("node_down", { method }));
      }
      if (!response.ok) throw new NodeProblem(say("node_http", { method, status: response.status }));
      let answer;
      try {
        answer = await response.json();
      } catch (_) {
        throw new NodeProblem(controller.signal.aborted ? say("node_slow", { method, seconds: config.timeoutSeconds })
          : say("node_not_json", { method }));
      }
      if (answer === null || typeof answer !== "object" || (!("result" in answer) && !("error" in answer))) {
        throw new NodeProblem(say("node_not_json", { method }));
      }
      if (answer.error) {
        const message = typeof answer.error === "object" ? String(answer.error.message) : String(answer.error);
        if (method === "eth_call" && (answer.error.code === 3 || /revert/i.test(message))) return { reverted: true };
        const problem = new NodeProblem(say("node_refused", { method, message }));
        problem.refusal = message;
        throw problem;
      }
      return answer.result;
    } finally {
      clearTimeout(timer);
    }
  }

  const TOO_MUCH = /too many|too large|range|limit|exceed|more than/i;

  async function logs(url, address, topics, first, last) {
    const ask = (from, to) => rpc(url, "eth_getLogs", [{ address, topics, fromBlock: "0x" + from.toString(16), toBlock: "0x" + to.toString(16) }]);
    try {
      const found = await ask(first, last);
      if (!Array.isArray(found)) throw new NodeProblem(say("node_not_json", { method: "eth_getLogs" }));
      return found;
    } catch (error) {
      if (!(error instanceof NodeProblem) || !error.refusal || !TOO_MUCH.test(error.refusal)) throw error;
    }
    const found = [];
    let span = LOGS_RANGE;
    while (first <= last) {
      const end = Math.min(last, first + span - 1);
      try {
        const part = await ask(first, end);
        if (!Array.isArray(part)) throw new NodeProblem(say("node_not_json", { method: "eth_getLogs" }));
        found.push(...part);
      } catch (error) {
        if (!(error instanceof NodeProblem) || !error.refusal || !TOO_MUCH.test(error.refusal) || span === 1) throw error;
        span = Math.floor(span / 2);
        continue;
      }
      first = end + 1;
    }
    return found;
  }

  const hexBlock = (n) => "0x" + n.toString(16);

  // A JSON-RPC quantity ("0x7a69") as a number; anything else is an answer that is not JSON-RPC.
  function quantity(value, method) {
    if (typeof value !== "string" || !/^0x[0-9a-f]+$/i.test(value)) throw new NodeProblem(say("node_not_json", { method }));
    return Number(BigInt(value));
  }

  async function loadLibraries() {
    if (!window.ethers) {
      await new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
    }
    if (!window.ethers) throw new NodeProblem(say("no_library"));
    const [spec, abi] = await Promise.all([config.specUrl, config.abiUrl].map(async (url) => {
      const response = await fetch(url, { cache: "no-cache" });
      if (!response.ok) throw new NodeProblem(say("no_rules", { url, status: response.status }));
      return response.json();
    }));
    return { ethers: window.ethers, abi, checker: createChecker({ ethers: window.ethers, spec, abi }) };
  }

  /** Asks `node` about every record of the page at one block; the verdict and what it rests on. */
  async function check(node, records, progress) {
    const { ethers, abi, checker } = await loadLibraries();
    const url = node.url;
    const asked = { node, chainId: null, block: null, contracts: [] };
    if (config.chainId === null || !config.contracts.GrantRegistry) throw Object.assign(new NodeProblem(say("no_deployment")), { asked });

    const chainId = quantity(await rpc(url, "eth_chainId", []), "eth_chainId");
    asked.chainId = chainId;
    if (chainId !== config.chainId) {
      throw Object.assign(new NodeProblem(say("wrong_chain", { expected: config.chainId, actual: chainId })), { asked });
    }
    const head = await rpc(url, "eth_getBlockByNumber", ["latest", false]);
    let block;
    try {
      block = quantity(head && head.number, "eth_getBlockByNumber");
    } catch (problem) {
      throw Object.assign(problem, { asked });
    }
    asked.block = block;

    // The trusted forwarder, as the grant registry says (records.py `forwarder_of`).
    const grants = config.contracts.GrantRegistry.address;
    const grantsInterface = new ethers.Interface(abi.GrantRegistry);
    const codes = [];
    for (const [name, contract] of Object.entries(config.contracts)) {
      const code = await rpc(url, "eth_getCode", [contract.address, hexBlock(block)]);
      const hash = typeof code === "string" && code !== "0x" ? ethers.keccak256(code) : null;
      const status = hash === null ? "none" : hash.toLowerCase() === String(contract.codeHash).toLowerCase() ? "same" : "other";
      codes.push({ name, address: contract.address, expected: contract.codeHash, found: hash, status });
    }
    asked.contracts = codes;
    const bad = codes.filter((c) => c.status !== "same");
    if (bad.length) {
      const words = bad.map((c) => say(c.status === "none" ? "no_code" : "other_code", { contract: c.name, address: c.address }));
      throw Object.assign(new NodeProblem(words.join(" ")), { asked });
    }
    const trusted = await rpc(url, "eth_call", [{ to: grants, data: grantsInterface.encodeFunctionData("trustedForwarder", []) }, hexBlock(block)]);
    if (trusted && trusted.reverted) throw Object.assign(new NodeProblem(say("node_refused", { method: "eth_call", message: "trustedForwarder" })), { asked });
    const forwarder = ethers.getAddress(grantsInterface.decodeFunctionResult("trustedForwarder", trusted)[0]);
    const published = config.contracts.RegistryForwarder;
    if (published && published.address.toLowerCase() !== forwarder.toLowerCase()) {
      throw Object.assign(new NodeProblem(say("other_forwarder", { expected: published.address, actual: forwarder })), { asked });
    }
    const addressOf = { GrantRegistry: grants, OutcomeRegistry: config.contracts.OutcomeRegistry.address, RegistryForwarder: forwarder };

    const logCache = new Map();
    const timeCache = new Map();
    const relayCache = new Map();
    const cached = (cache, key, make) => {
      if (!cache.has(key)) cache.set(key, make());
      return cache.get(key);
    };
    const first = Number(config.deployBlock) || 0;

    async function evidence(kind, key) {
      const questions = checker.questions(kind, key);
      const view = await rpc(url, "eth_call", [{ to: addressOf[questions.view.contract], data: questions.view.data }, hexBlock(block)]);
      const found = [];
      for (const question of questions.logs) {
        const address = addressOf[question.contract];
        const raw = await cached(logCache, JSON.stringify([address, question.topics]), () => logs(url, address, question.topics, first, block));
        for (const log of raw) found.push({ ...log, contract: question.contract });
      }
      const blocks = [...new Set(found.map((l) => Number(BigInt(l.blockNumber))))].sort((a, b) => a - b);
      const blockTimes = {};
      const relays = [];
      for (const number of blocks) {
        const header = await cached(timeCache, number, () => rpc(url, "eth_getBlockByNumber", [hexBlock(number), false]));
        blockTimes[String(number)] = quantity(header && header.timestamp, "eth_getBlockByNumber");
        const relayed = await cached(relayCache, number, () => logs(url, forwarder, [checker.relayTopic()], number, number));
        for (const log of relayed) relays.push({ ...log, contract: "RegistryForwarder" });
      }
      const raw = { chainId, blockNumber: block, view: view && view.reverted ? null : view, logs: found, blockTimes, relays, views: {} };
      // The kind's other views, at the same block, each with arguments from what was answered before it.
      for (const name of checker.viewNames(kind)) {
        const call = checker.viewCall(kind, name, key, checker.evidenceOf(kind, raw));
        const answer = call === null ? null
          : await rpc(url, "eth_call", [{ to: addressOf[call.contract], data: call.data }, hexBlock(block)]);
        raw.views[name] = answer && answer.reverted ? null : answer;
      }
      return checker.evidenceOf(kind, raw);
    }

    const results = [];
    let done = 0;
    for (const record of records) {
      let result = null;
      let error = null;
      if (record.key !== null) {
        try {
          result = compareRecord(checker, record.kind, record.key, record.copy, await evidence(record.kind, record.key));
        } catch (problem) {
          if (problem instanceof NodeProblem) throw Object.assign(problem, { asked });
          error = problem instanceof Error ? problem.message : String(problem);
        }
      }
      results.push({ record, result, error, formats: formatProblems(record) });
      done += 1;
      progress(done, records.length);
    }
    return { asked, results };
  }

  /** Each marked element whose visible text is not its value's rendering. */
  function formatProblems(record) {
    const problems = [];
    for (const field of record.fields) {
      if (!field.format) continue;
      const expected = rendering(field.format, field.value);
      if (expected === undefined) {
        problems.push({ field, words: say("format_unknown", { field: field.path, format: field.format }) });
      } else if (visible(field.element) !== expected.replace(/\s+/g, " ").trim()) {
        problems.push({ field, words: say("format_differs", { field: field.path, text: visible(field.element), value: expected }) });
      }
    }
    return problems;
  }

  // ---- saying what was found ----------------------------------------------------------------------

  function recordName(record) {
    const kind = config.messages["check.kind." + record.kind] || record.kind;
    const key = record.key ? Object.entries(record.key).map(([k, v]) => `${k} ${v}`).join(", ") : "?";
    return `${kind} (${key})`;
  }

  // The format the page writes `path` in; for a list item's field the page does not show (a step
  // only the chain has), the format of that field in the list's other items.
  function formatOf(record, path) {
    const field = record.fields.find((f) => f.path === path);
    if (field) return field.format;
    const general = path.replace(/\[\+?\d+\]/g, "[]");
    const like = record.fields.find((f) => f.format && f.path.replace(/\[\d+\]/g, "[]") === general);
    return like ? like.format : null;
  }

  function shown(value, format, record, where) {
    if (value === null || value === undefined) return say("nothing");
    if (format) {
      const text = rendering(format, value);
      if (text !== undefined && text !== "") return text;
    }
    if (typeof value === "object" && !Array.isArray(value)) {
      const p = value.provenance || {};
      const name = ["status", "action", "to"].find((n) => typeof value[n] === "string");
      const what = name ? shown(value[name], record ? formatOf(record, `${where}[].${name}`) : null) : "";
      return say("step", { what, block: p.blockNumber, transaction: rendering("short-hex", p.transactionHash || "") });
    }
    if (Array.isArray(value)) return value.length ? value.map((v) => shown(v, null)).join(", ") : say("empty_list");
    return typeof value === "string" ? bidiShown(value) : JSON.stringify(value);
  }

  function differenceWords(record, difference) {
    const { path, copy, chain } = difference;
    if (path === "") return copy === null ? say("missing_record") : say("not_on_chain");
    const added = /^(.*)\[\+(\d+)\]$/.exec(path);
    if (added) return say("missing_item", { list: added[1], position: Number(added[2]) + 1, item: shown(chain, null, record, added[1]) });
    const extra = /^(.*)\[(\d+)\]$/.exec(path);
    if (extra && chain === null && copy && typeof copy === "object") {
      return say("extra_item", { list: extra[1], position: Number(extra[2]) + 1, item: shown(copy, null, record, extra[1]) });
    }
    const format = formatOf(record, path);
    return say("field_differs", { field: path, page: shown(copy, format), chain: shown(chain, format) });
  }

  function mark(record, path) {
    for (const field of record.fields) {
      if (field.path === path || field.path.startsWith(path + ".") || path === "") field.element.classList.add("chain-check-differs");
    }
    if (path === "") record.element.classList.add("chain-check-differs");
  }

  function nodeLine(asked) {
    const node = asked.node;
    return el("p", { class: "chain-check-asked" }, asked.block === null
      ? say("asked_node", { node: node.name, url: node.url, chain: asked.chainId === null ? "?" : asked.chainId })
      : say("asked", { node: node.name, url: node.url, chain: asked.chainId, block: asked.block.toLocaleString("en-US") }));
  }

  function contractList(asked) {
    if (!asked.contracts.length) return null;
    return el("div", null,
      el("h3", null, say("contracts_heading")),
      el("p", { class: "aside" }, say("contracts_lead")),
      el("ul", { class: "chain-check-contracts" }, asked.contracts.map((c) => el("li", { "data-contract": c.name },
        el("span", null, c.name + " "), el("code", { class: "wrap" }, c.address), " ",
        el("span", { class: "badge badge-" + (c.status === "same" ? "matches" : "differs") },
          say(c.status === "same" ? "code_same" : c.status === "none" ? "code_none" : "code_other"))))));
  }

  function cityNote(node) {
    return node.city ? el("p", { class: "notice" }, say("city_note")) : null;
  }

  function notChecked(results) {
    const items = [];
    for (const { record, result } of results) {
      const names = [...new Set([...(result ? result.unchecked : []), ...record.unmarked])];
      if (names.length) items.push(el("li", null, say("not_checked_fields", { record: recordName(record), fields: names.join(", ") })));
      // Fields records.json declares derived (a project's results): said as such, never as matching.
      const derived = [...new Set((result ? result.derived || [] : []).map((path) => path.replace(/\[\+?\d+\]/g, "[]")))];
      if (derived.length) items.push(el("li", { "data-derived": derived.join(" ") }, say("derived_fields", { record: recordName(record), fields: derived.join(", ") })));
    }
    items.push(el("li", null, say("not_checked_rest")));
    return el("div", null, el("h3", null, say("not_checked_heading")), el("ul", { class: "chain-check-unchecked" }, items));
  }

  function showFailure(node, problem) {
    const asked = problem.asked || { node, chainId: null, block: null, contracts: [] };
    section.dataset.verdict = "failed";
    fill(resultBox,
      el("p", { class: "chain-check-verdict verdict-failed" }, say("failed")),
      el("p", { class: "chain-check-reason" }, problem.message),
      nodeLine(asked), cityNote(node), contractList(asked));
    announce(say("failed"));
  }

  function showResults(node, outcome) {
    const { asked, results } = outcome;
    for (const element of document.querySelectorAll(".chain-check-differs")) element.classList.remove("chain-check-differs");
    let differing = 0;
    let compared = 0;
    const blocks = [];
    for (const entry of results) {
      const { record, result, error, formats } = entry;
      const lines = [];
      if (error) lines.push(say("record_error", { message: error }));
      for (const problem of record.problems) lines.push(problem);
      if (result) {
        compared += result.compared;
        for (const difference of result.differences) {
          lines.push(differenceWords(record, difference));
          mark(record, difference.path);
        }
      } else if (!error && record.key === null) lines.push(say("bad_key"));
      for (const problem of formats) {
        lines.push(problem.words);
        problem.field.element.classList.add("chain-check-differs");
      }
      // The chain agreeing that a record the page says is absent does not exist is a match too.
      const ok = lines.length === 0 && result !== null
        && (result.verdict === "matches" || (result.verdict === "not-on-chain" && record.copy === null));
      if (!ok) differing += 1;
      blocks.push(el("li", { class: ok ? "record-matches" : "record-differs", "data-check-kind": record.kind },
        el("span", { class: "badge badge-" + (ok ? "matches" : "differs") }, say(ok ? "record_matches" : "record_differs")), " ",
        el("span", null, recordName(record)),
        ok ? el("span", { class: "aside" }, " " + (record.copy === null ? say("absent_agreed") : say("values_compared", { count: result.compared })))
          : el("ul", { class: "chain-check-differences" }, lines.map((line) => el("li", null, line)))));
    }
    const verdict = results.length === 0 ? "failed" : differing ? "differs" : "matches";
    section.dataset.verdict = verdict;
    const headline = results.length === 0 ? say("no_records")
      : differing ? say("differs", { count: differing, total: results.length })
        : say("matches", { total: results.length, count: compared });
    fill(resultBox,
      el("p", { class: "chain-check-verdict verdict-" + verdict }, headline),
      nodeLine(asked), cityNote(node),
      el("h3", null, say("records_heading")),
      el("ul", { class: "chain-check-records" }, blocks),
      contractList(asked),
      notChecked(results));
    announce(headline);
  }

  // The verdict, for screen readers: the status region says it once; the result shows it.
  function announce(text) {
    statusBox.classList.add("visually-hidden");
    statusBox.textContent = text;
  }

  async function run(node) {
    const mine = ++running;
    section.dataset.verdict = "running";
    section.setAttribute("aria-busy", "true");
    statusBox.classList.remove("visually-hidden");
    statusBox.textContent = say("asking", { node: node.name, url: node.url });
    resultBox.replaceChildren();
    const records = readPage();
    try {
      const outcome = await check(node, records, (done, total) => {
        if (mine === running) statusBox.textContent = say("progress", { done, total, node: node.name });
      });
      if (mine === running) showResults(node, outcome);
    } catch (problem) {
      if (mine !== running) return;
      showFailure(node, problem instanceof Error ? problem : new Error(String(problem)));
    } finally {
      if (mine === running) section.removeAttribute("aria-busy");
    }
  }

  const first = chosen();
  if (/^https?:\/\/\S+$/i.test(first.url)) run(first);
  else statusBox.textContent = say("choose");
}
