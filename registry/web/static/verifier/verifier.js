// The standalone verifier: checks a document receipt (rnd-registry-receipt/1) against a JSON-RPC
// node the reader chooses, with no registry server. It mirrors registry/checking/documents.py step
// for step, with the same step names and reason codes; tests/checking/vectors/documents.json runs
// against both. ABI encoding, keccak and SHA-256 come from ethers (inlined into the file), never
// written by hand. Under node (`require`), only the pure check is exported; in the page, the same
// file also wires the form, and everything shown is built with DOM methods and textContent.
"use strict";

(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("ethers"));
  } else {
    root.RndVerifier = factory(root.ethers);
  }
})(typeof self !== "undefined" ? self : this, function (ethers) {
  const GRANT_REGISTRY = "GrantRegistry";
  const BATCH_STEPS = ["batch-proof", "batch-member", "batch-of", "batch-block", "batch-event"];
  const ABSENCE_REASONS = new Set(["never-anchored", "batch-never-anchored", "no-code", "transaction-missing",
                                   "block-missing"]);
  const RECEIPT_FORMAT = "rnd-registry-receipt/1";
  const BLOCK_VALUES = new Set(["block", "pinned", "claimedBlock", "foundBlock"]); // shown as 1,234,567

  class NodeUnavailable extends Error {
    constructor(url, reason) {
      super("the node at " + url + " could not be asked: " + reason);
      this.url = url;
      this.reason = reason;
    }
  }

  class ReceiptInvalid extends Error {}

  // ---- the ABI --------------------------------------------------------------------------------

  function contracts(abi) {
    const grants = new ethers.Interface(abi[GRANT_REGISTRY]);
    const topics = new Map(); // event name -> Set of topic0
    for (const entries of Object.values(abi)) {
      new ethers.Interface(entries).forEachEvent((event) => {
        if (event.anonymous) return;
        if (!topics.has(event.name)) topics.set(event.name, new Set());
        topics.get(event.name).add(event.topicHash);
      });
    }
    return { grants, topics };
  }

  // ---- reading answers ------------------------------------------------------------------------

  const QUANTITY = /^0x[0-9a-fA-F]+$/;
  const DATA = /^0x(?:[0-9a-fA-F]{2})*$/;

  function makeReader(node, abi) {
    const { grants, topics } = contracts(abi);
    const url = node.url;
    const reader = {
      url,
      topics,
      ask: (method, params) => node.request(method, params),
      quantity(value, what) {
        if (typeof value === "string" && QUANTITY.test(value)) return Number(BigInt(value));
        throw new NodeUnavailable(url, what + " is not a hex quantity: " + JSON.stringify(String(value).slice(0, 80)));
      },
      data(value, what) {
        if (typeof value === "string" && DATA.test(value)) return value.toLowerCase();
        throw new NodeUnavailable(url, what + " is not hex data: " + JSON.stringify(String(value).slice(0, 80)));
      },
      async call(contract, name, args, block) {
        const result = await reader.ask("eth_call", [{ to: contract, data: grants.encodeFunctionData(name, args) }, hex(block)]);
        const raw = reader.data(result, "the answer to " + name);
        let decoded;
        try {
          decoded = grants.decodeFunctionResult(name, raw);
        } catch (error) {
          throw new NodeUnavailable(url, "the answer to " + name + " cannot be decoded: " + JSON.stringify(String(result).slice(0, 80)));
        }
        const fragment = grants.getFunction(name);
        // A struct returned alone comes as its fields.
        if (fragment.outputs.length === 1 && fragment.outputs[0].baseType === "tuple") return Array.from(decoded[0]);
        return Array.from(decoded);
      },
      async block(number) {
        const answer = await reader.ask("eth_getBlockByNumber", [hex(number), false]);
        if (answer === null || answer === undefined) return null;
        if (typeof answer !== "object" || Array.isArray(answer)) throw new NodeUnavailable(url, "block " + number + " is not a JSON object");
        return answer;
      },
    };
    return reader;
  }

  function hex(number) {
    return "0x" + Number(number).toString(16);
  }

  function group(n) {
    return Number(n).toLocaleString("en-US");
  }

  function iso(seconds) {
    return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
  }

  // ---- the receipt ----------------------------------------------------------------------------

  const HASH = /^0x[0-9a-fA-F]{64}$/;

  function need(condition, message) {
    if (!condition) throw new ReceiptInvalid(message);
  }

  function hash32(value, where) {
    need(typeof value === "string" && HASH.test(value), where + ": expected a 0x-prefixed hex string of 32 bytes");
    return value.toLowerCase();
  }

  function address(value, where) {
    try {
      return ethers.getAddress(value);
    } catch (error) {
      throw new ReceiptInvalid(where + ": expected a 20-byte address as 0x-prefixed hex");
    }
  }

  function count(value, where, positive) {
    need(Number.isInteger(value) && value >= (positive ? 1 : 0), where + ": expected a " + (positive ? "positive" : "non-negative") + " integer");
    return value;
  }

  function parseReceipt(data, kinds) {
    need(data && typeof data === "object" && !Array.isArray(data), "expected a JSON object");
    need(data.format === RECEIPT_FORMAT, "format is " + JSON.stringify(data.format) + ", expected " + JSON.stringify(RECEIPT_FORMAT));
    need(data.subject === "document", "subject " + JSON.stringify(data.subject) + " is not one of document");
    const receipt = {
      sha256: hash32(data.sha256, "sha256"),
      chainId: count(data.chainId, "chainId", true),
      contract: address(data.contract, "contract"),
      issuedAt: data.issuedAt,
      issuedBy: String(data.issuedBy),
      anchoring: null,
      batches: [],
      verifyUrl: data.verifyUrl || null,
    };
    need(/^0x0*[1-9a-f]/.test(receipt.sha256), "sha256: a document's SHA-256 is never zero");
    if (data.anchoring !== null && data.anchoring !== undefined) {
      const a = data.anchoring;
      need(kinds.indexOf(a.kind) > 0, "anchoring.kind: " + JSON.stringify(a.kind) + " is not a kind of anchoring");
      const time = Date.parse(a.blockTime);
      need(typeof a.blockTime === "string" && !Number.isNaN(time), "anchoring.blockTime: expected an ISO 8601 time");
      receipt.anchoring = {
        kind: a.kind,
        anchoredBy: address(a.anchoredBy, "anchoring.anchoredBy"),
        blockNumber: count(a.blockNumber, "anchoring.blockNumber"),
        blockHash: hash32(a.blockHash, "anchoring.blockHash"),
        blockTime: Math.floor(time / 1000),
        transactionHash: hash32(a.transactionHash, "anchoring.transactionHash"),
        logIndex: count(a.logIndex, "anchoring.logIndex"),
        event: String(a.event),
      };
    }
    need(Array.isArray(data.batches || []), "batches: expected a list");
    (data.batches || []).forEach((b, i) => {
      const where = "batches." + i;
      need(Array.isArray(b.proof), where + ".proof: expected a list of hashes");
      receipt.batches.push({
        root: hash32(b.root, where + ".root"),
        path: String(b.path),
        leafCount: count(b.leafCount, where + ".leafCount", true),
        manifestHash: hash32(b.manifestHash, where + ".manifestHash"),
        proof: b.proof.map((h, j) => hash32(h, where + ".proof." + j)),
        blockNumber: count(b.blockNumber, where + ".blockNumber"),
        blockHash: hash32(b.blockHash, where + ".blockHash"),
        transactionHash: hash32(b.transactionHash, where + ".transactionHash"),
        logIndex: count(b.logIndex, where + ".logIndex"),
      });
    });
    need(receipt.anchoring !== null || receipt.batches.length > 0, "a document receipt names an anchoring, a batch, or both");
    return receipt;
  }

  // ---- Merkle proofs (OpenZeppelin StandardMerkleTree over bytes32 leaves) -------------------

  function leafHash(sha256) {
    return ethers.keccak256(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32"], [sha256])));
  }

  function verifyProof(root, sha256, proof) {
    let computed = leafHash(sha256);
    for (const element of proof) {
      const [a, b] = computed <= element ? [computed, element] : [element, computed];
      computed = ethers.keccak256(ethers.concat([a, b]));
    }
    return computed === root;
  }

  // ---- the check ------------------------------------------------------------------------------

  function step(name, status, reason, values, batch) {
    return { step: name, status, reason, values: values || {}, batch: batch === undefined ? null : batch };
  }

  function skipped(name, batch) {
    return step(name, "not-checked", "skipped", {}, batch);
  }

  async function checkDocumentReceipt(node, receipt, fileSha256, abi, kinds) {
    const reader = makeReader(node, abi);
    const steps = [fileStep(receipt, fileSha256)];
    const chainId = reader.quantity(await reader.ask("eth_chainId", []), "the chain id");
    const pinned = reader.quantity(await reader.ask("eth_blockNumber", []), "the block number");
    const head = await reader.block(pinned);
    const pinnedHash = head ? String(head.hash) : null;
    const at = { node: reader.url, pinned, contract: receipt.contract };

    if (chainId === receipt.chainId) {
      steps.push(step("chain-id", "passed", "same-chain", { node: reader.url, chain: chainId }));
      const code = reader.data(await reader.ask("eth_getCode", [receipt.contract, hex(pinned)]), "the contract's code");
      steps.push(code !== "0x" ? step("contract-code", "passed", "has-code", at) : step("contract-code", "failed", "no-code", at));
    } else {
      steps.push(step("chain-id", "failed", "chain-differs", { node: reader.url, chain: chainId, claimed: receipt.chainId }));
      steps.push(skipped("contract-code"));
    }

    if (steps.slice(1).every((s) => s.status === "passed")) {
      steps.push(...(await anchoringSteps(reader, receipt, pinned, at, kinds)));
      for (let i = 0; i < receipt.batches.length; i++) {
        steps.push(...(await batchSteps(reader, receipt, i, receipt.batches[i], pinned, at)));
      }
    } else {
      for (const name of ["anchor-of", "anchoring-block", "anchoring-event"]) steps.push(skipped(name));
      for (let i = 0; i < receipt.batches.length; i++) for (const name of BATCH_STEPS) steps.push(skipped(name, i));
    }

    const failed = steps.find((s) => s.status === "failed");
    let verdict = "anchored";
    if (failed) {
      verdict = ABSENCE_REASONS.has(failed.reason) ? "not-anchored" : "mismatch";
    } else if (steps.some((s) => s.step !== "file-hash" && s.reason !== "no-anchoring-claimed" && s.status !== "passed")) {
      verdict = "mismatch";
    }
    return { verdict, failed: failed || null, sha256: receipt.sha256, node: reader.url, chainId, blockNumber: pinned,
             blockHash: pinnedHash, contract: receipt.contract, steps };
  }

  function fileStep(receipt, fileSha256) {
    if (fileSha256 === null || fileSha256 === undefined) return step("file-hash", "not-checked", "no-file", { claimed: receipt.sha256 });
    const found = fileSha256.toLowerCase();
    if (found === receipt.sha256) return step("file-hash", "passed", "same-hash", { claimed: receipt.sha256 });
    return step("file-hash", "failed", "hash-differs", { found, claimed: receipt.sha256 });
  }

  async function anchoringSteps(reader, receipt, pinned, at, kinds) {
    const claim = receipt.anchoring;
    if (claim === null) {
      return ["anchor-of", "anchoring-block", "anchoring-event"].map((name) => step(name, "not-checked", "no-anchoring-claimed"));
    }
    const [rawBy, , rawBlock, rawKind] = await reader.call(receipt.contract, "anchorOf", [receipt.sha256], pinned);
    const by = ethers.getAddress(rawBy);
    const block = Number(rawBlock);
    const kind = Number(rawKind);
    let first;
    if (block === 0) {
      first = step("anchor-of", "failed", "never-anchored", { ...at, sha256: receipt.sha256 });
    } else {
      const values = { ...at, block, by, kind: kinds[kind] || "kind " + kind,
                       claimedBlock: claim.blockNumber, claimedBy: claim.anchoredBy, claimedKind: claim.kind };
      const same = block === claim.blockNumber && by === claim.anchoredBy && kinds[kind] === claim.kind;
      first = step("anchor-of", same ? "passed" : "failed", same ? "anchor-matches" : "anchor-differs", values);
    }
    return [
      first,
      await blockStep(reader, "anchoring-block", claim.blockNumber, claim.blockHash, claim.blockTime, null),
      await anchoringEventStep(reader, receipt, claim, pinned),
    ];
  }

  async function blockStep(reader, name, number, claimedHash, claimedTime, batch) {
    const block = await reader.block(number);
    if (block === null) return step(name, "failed", "block-missing", { block: number }, batch);
    const found = reader.data(block.hash, "block " + number + "'s hash");
    if (found !== claimedHash) return step(name, "failed", "block-hash-differs", { block: number, found, claimed: claimedHash }, batch);
    if (claimedTime !== null) {
      const seconds = reader.quantity(block.timestamp, "block " + number + "'s time");
      if (seconds !== claimedTime) {
        return step(name, "failed", "block-time-differs", { block: number, found: iso(seconds), claimed: iso(claimedTime) }, batch);
      }
    }
    return step(name, "passed", "block-matches", { block: number, found }, batch);
  }

  async function logAt(reader, name, transaction, blockNumber, blockHash, logIndex, batch) {
    const answer = await reader.ask("eth_getTransactionReceipt", [transaction]);
    const values = { transaction, block: blockNumber, log: logIndex };
    if (answer === null || answer === undefined) return [null, step(name, "failed", "transaction-missing", values, batch)];
    if (typeof answer !== "object" || Array.isArray(answer)) throw new NodeUnavailable(reader.url, "the receipt of " + transaction + " is not a JSON object");
    if (reader.quantity(answer.status === undefined ? "0x1" : answer.status, "the transaction's status") !== 1) {
      return [null, step(name, "failed", "transaction-failed", values, batch)];
    }
    const foundNumber = reader.quantity(answer.blockNumber, "the transaction's block number");
    const foundHash = reader.data(answer.blockHash, "the transaction's block hash");
    if (foundNumber !== blockNumber || foundHash !== blockHash) {
      return [null, step(name, "failed", "transaction-elsewhere", { ...values, foundBlock: foundNumber, foundHash, claimedHash: blockHash }, batch)];
    }
    if (!Array.isArray(answer.logs)) throw new NodeUnavailable(reader.url, "the receipt of " + transaction + " has no list of logs");
    for (const log of answer.logs) {
      if (log && typeof log === "object" && reader.quantity(log.logIndex, "a log index") === logIndex) return [log, null];
    }
    return [null, step(name, "failed", "log-missing", values, batch)];
  }

  function logWords(reader, log) {
    if (!Array.isArray(log.topics) || log.topics.length === 0) throw new NodeUnavailable(reader.url, "a log has no topics");
    const topics = log.topics.map((t) => reader.data(t, "a log topic"));
    const data = reader.data(log.data, "a log's data");
    const words = [];
    for (let i = 2; i + 64 <= data.length; i += 64) words.push("0x" + data.slice(i, i + 64));
    return { topics, data, words };
  }

  async function anchoringEventStep(reader, receipt, claim, pinned) {
    const name = "anchoring-event";
    const [log, failed] = await logAt(reader, name, claim.transactionHash, claim.blockNumber, claim.blockHash, claim.logIndex, null);
    if (log === null) return failed;
    const emitter = ethers.getAddress(String(log.address));
    const { topics, words } = logWords(reader, log);
    const values = { transaction: claim.transactionHash, log: claim.logIndex, block: claim.blockNumber, event: claim.event,
                     emitter, contract: receipt.contract, sha256: receipt.sha256 };
    if (emitter !== receipt.contract) {
      const [role] = await reader.call(receipt.contract, "MODULE_ROLE", [], pinned);
      const [module] = await reader.call(receipt.contract, "hasRole", [role, emitter], pinned);
      if (!module) return step(name, "failed", "log-not-registry", values);
    }
    if (!(reader.topics.get(claim.event) || new Set()).has(topics[0])) return step(name, "failed", "event-differs", values);
    if (!topics.slice(1).concat(words).includes(receipt.sha256)) return step(name, "failed", "hash-not-in-log", values);
    return step(name, "passed", "event-matches", values);
  }

  async function batchSteps(reader, receipt, index, batch, pinned, at) {
    const values = { ...at, root: batch.root };
    const steps = [];
    steps.push(verifyProof(batch.root, receipt.sha256, batch.proof)
      ? step("batch-proof", "passed", "proof-leads-to-root", values, index)
      : step("batch-proof", "failed", "proof-does-not-lead-to-root", values, index));
    const [member] = await reader.call(receipt.contract, "verifyBatchMember", [batch.root, receipt.sha256, batch.proof], pinned);
    steps.push(member
      ? step("batch-member", "passed", "member-accepted", values, index)
      : step("batch-member", "failed", "member-refused", values, index));
    const [, , rawBlock] = await reader.call(receipt.contract, "batchOf", [batch.root], pinned);
    const block = Number(rawBlock);
    if (block === 0) steps.push(step("batch-of", "failed", "batch-never-anchored", values, index));
    else if (block !== batch.blockNumber) steps.push(step("batch-of", "failed", "batch-differs", { ...values, block, claimedBlock: batch.blockNumber }, index));
    else steps.push(step("batch-of", "passed", "batch-matches", { ...values, block }, index));
    steps.push(await blockStep(reader, "batch-block", batch.blockNumber, batch.blockHash, null, index));
    steps.push(await batchEventStep(reader, receipt, index, batch));
    return steps;
  }

  async function batchEventStep(reader, receipt, index, batch) {
    const name = "batch-event";
    const [log, failed] = await logAt(reader, name, batch.transactionHash, batch.blockNumber, batch.blockHash, batch.logIndex, index);
    if (log === null) return failed;
    const emitter = ethers.getAddress(String(log.address));
    const { topics, data } = logWords(reader, log);
    const values = { transaction: batch.transactionHash, log: batch.logIndex, block: batch.blockNumber, event: "BatchAnchored",
                     emitter, contract: receipt.contract, root: batch.root };
    if (emitter !== receipt.contract) return step(name, "failed", "log-not-registry", values, index);
    if (!(reader.topics.get("BatchAnchored") || new Set()).has(topics[0]) || topics.length < 2 || data.length !== 2 + 128) {
      return step(name, "failed", "event-differs", values, index);
    }
    if (topics[1] !== batch.root) return step(name, "failed", "root-differs", { ...values, found: topics[1] }, index);
    const leafCount = Number(BigInt("0x" + data.slice(2, 66)));
    const manifestHash = "0x" + data.slice(66);
    if (leafCount !== batch.leafCount || manifestHash !== batch.manifestHash) {
      return step(name, "failed", "manifest-differs", { ...values, leafCount, manifestHash, claimedCount: batch.leafCount,
                                                        claimedManifest: batch.manifestHash }, index);
    }
    return step(name, "passed", "event-matches", values, index);
  }

  // ---- a node over HTTP -----------------------------------------------------------------------

  function httpNode(url, timeoutMs) {
    let id = 0;
    return {
      url,
      async request(method, params) {
        const controller = typeof AbortController !== "undefined" ? new AbortController() : null;
        const timer = controller ? setTimeout(() => controller.abort(), timeoutMs || 10000) : null;
        let response;
        try {
          response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
            signal: controller ? controller.signal : undefined,
          });
        } catch (error) {
          throw new NodeUnavailable(url, (error && error.name === "AbortError") ? "no answer to " + method + " in time" : "no answer to " + method + " (" + String(error && error.message || error) + ")");
        } finally {
          if (timer) clearTimeout(timer);
        }
        if (response.status !== 200) throw new NodeUnavailable(url, "HTTP " + response.status + " to " + method);
        let answer;
        try {
          answer = await response.json();
        } catch (error) {
          throw new NodeUnavailable(url, "the answer to " + method + " is not JSON");
        }
        if (!answer || typeof answer !== "object" || (!("result" in answer) && !("error" in answer))) {
          throw new NodeUnavailable(url, "the answer to " + method + " is not a JSON-RPC answer");
        }
        if (answer.error !== null && answer.error !== undefined) {
          const e = answer.error;
          throw new NodeUnavailable(url, method + " was refused (" + (e.code === undefined ? "" : e.code) + ": " + (e.message || String(e)) + ")");
        }
        return answer.result;
      },
    };
  }

  async function sha256OfBytes(bytes) {
    const subtle = typeof crypto !== "undefined" && crypto.subtle;
    if (subtle) {
      const digest = await subtle.digest("SHA-256", bytes);
      return ethers.hexlify(new Uint8Array(digest));
    }
    return ethers.sha256(new Uint8Array(bytes));
  }

  const api = { checkDocumentReceipt, parseReceipt, verifyProof, leafHash, httpNode, sha256OfBytes,
                NodeUnavailable, ReceiptInvalid, group };

  if (typeof document !== "undefined" && document.getElementById("verifier-data")) {
    wirePage(api);
  }
  return api;

  // ---- the page -------------------------------------------------------------------------------

  function wirePage(api) {
    const config = JSON.parse(document.getElementById("verifier-data").textContent);
    let lang = (navigator.language || "ko").toLowerCase().startsWith("en") ? "en" : "ko";
    let last = null; // what was shown last, to say it again in the other language

    const say = (key, values) => {
      const catalogue = config.messages[lang] || {};
      let text = catalogue["verifier." + key] || config.messages.en["verifier." + key] || key;
      for (const [name, value] of Object.entries(values || {})) {
        text = text.split("{" + name + "}").join(BLOCK_VALUES.has(name) ? group(value) : String(value));
      }
      return text;
    };

    const $ = (id) => document.getElementById(id);
    const el = (tag, attributes, ...children) => {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes || {})) if (value !== null && value !== undefined) node.setAttribute(name, value);
      for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
      return node;
    };

    function translate() {
      document.documentElement.lang = lang;
      for (const node of document.querySelectorAll("[data-say]")) {
        // `backticked` commands as <code>, the rest as text (never as HTML).
        node.replaceChildren(...say(node.getAttribute("data-say")).split("`").map((part, index) => {
          if (index % 2 === 0) return document.createTextNode(part);
          const code = document.createElement("code");
          code.textContent = part;
          return code;
        }));
      }
      for (const node of document.querySelectorAll("[data-say-placeholder]")) node.setAttribute("placeholder", say(node.getAttribute("data-say-placeholder")));
      $("language").textContent = lang === "ko" ? "English" : "한국어";
      $("language").setAttribute("lang", lang === "ko" ? "en" : "ko");
      if (last) last();
    }

    function status(text, isError) {
      const box = $("status");
      box.textContent = text;
      box.classList.toggle("error", Boolean(isError));
    }

    function show(check) {
      const result = $("result");
      result.replaceChildren();
      const mark = { anchored: "✔", "not-anchored": "✖", mismatch: "⚠" }[check.verdict];
      result.append(el("h2", { id: "verdict", "data-verdict": check.verdict, class: "verdict-" + check.verdict },
        el("span", { "aria-hidden": "true" }, mark), " ", say("verdict." + check.verdict)));
      result.append(el("p", { id: "checked-against" }, say("checked_against", { node: check.node, chain: check.chainId,
        block: check.blockNumber, contract: check.contract })));
      if (check.failed) {
        result.append(el("p", { id: "why" }, say("why", { reason: say("reason." + check.failed.reason, check.failed.values) })));
      }
      const list = el("ol", { id: "steps", class: "steps" });
      for (const s of check.steps) {
        const mark = { passed: "✓", failed: "✗", "not-checked": "–" }[s.status];
        const title = say("step." + s.step) + (s.batch === null ? "" : " (" + say("batch_n", { n: s.batch + 1 }) + ")");
        list.append(el("li", { "data-step": s.step, "data-status": s.status, "data-reason": s.reason, class: "step-" + s.status },
          el("span", { class: "mark", "aria-hidden": "true" }, mark), " ",
          el("strong", null, title), " — ", el("span", { class: "visually-hidden" }, say("status." + s.status) + ": "),
          say("reason." + s.reason, s.values)));
      }
      result.append(list);
      result.hidden = false;
      result.focus();
    }

    async function run() {
      const receiptFile = $("receipt").files[0];
      const documentFile = $("document").files[0];
      const url = $("node").value.trim();
      if (!receiptFile) throw new Error(say("need_receipt"));
      if (!/^https?:\/\/\S+$/i.test(url)) throw new Error(say("need_node"));
      let receipt;
      try {
        receipt = parseReceipt(JSON.parse(await receiptFile.text()), config.kinds);
      } catch (error) {
        throw new Error(say("bad_receipt", { reason: error.message }));
      }
      let fileSha256 = null;
      if (documentFile) {
        status(say("hashing", { name: documentFile.name }));
        fileSha256 = await sha256OfBytes(await documentFile.arrayBuffer());
      }
      status(say("asking", { node: url }));
      const check = await checkDocumentReceipt(httpNode(url), receipt, fileSha256, config.abi, config.kinds);
      last = () => {
        show(check);
        status(say("done." + check.verdict));
      };
      last();
    }

    $("language").addEventListener("click", () => {
      lang = lang === "ko" ? "en" : "ko";
      translate();
    });
    $("check-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const button = $("check");
      button.disabled = true;
      $("result").hidden = true;
      last = null;
      run().catch((error) => {
        const message = () => (error instanceof NodeUnavailable
          ? say("node_unavailable", { node: error.url, reason: error.reason }) : error.message);
        last = () => status(message(), true);
        last();
      }).finally(() => {
        button.disabled = false;
      });
    });
    translate();
  }
});
