// Verify a document: its SHA-256 is computed here, in the browser (Web Crypto), and only the hash is
// sent, to GET /api/v1/verify/{sha256}. The file itself goes to the server only when the person
// presses the upload button (POST /api/v1/verify). Everything shown is built with DOM methods and
// textContent, never from HTML strings, so nothing in an answer can run as markup.
"use strict";

// Bidirectional controls in text from the chain are shown as visible marks, never applied, as the
// portal's pages write them (registry/domain/text.py): "abc\u202e" reads "abc<U+202E>".
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const bidiShown = (text) => String(text).replace(BIDI_CONTROLS, (c) => "<U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + ">");

(function () {
  const config = JSON.parse(document.getElementById("verify-data").textContent);
  const say = (key, values) => {
    let text = config.messages["verify." + key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(bidiShown(value));
    }
    return text;
  };

  // What the contract said, in the page's language when the answer is plain (confirmed or not
  // anchored at a block); a disagreement or an unreachable node is explained in the API's words.
  const liveDetail = (live) => {
    if ((live.status === "confirmed" || live.status === "not-anchored") && live.blockNumber != null) {
      // An answer asked at an earlier block holds at blockNumber because the contract's storage root is
      // the same there (liveCheck.storageUnchanged): say where it was asked, and why it still holds.
      const unchanged = live.storageUnchanged;
      const asked = unchanged ? unchanged.askedAtBlock : live.blockNumber;
      const words = say("live_" + live.status.replace("-", "_") + "_detail", { block: asked });
      const holds = unchanged ? " " + say("live_storage_unchanged", { asked: asked, block: live.blockNumber }) : "";
      const when = live.checkedAt ? " " + say("live_checked_at", { time: koreaTime(live.checkedAt) }) : "";
      return el("p", { class: "aside" }, words + holds + when + (live.final ? " " + say("live_final") : ""));
    }
    return el("p", { class: "aside", lang: "en" }, live.message);
  };

  const fileInput = document.getElementById("document");
  const dropzone = document.getElementById("dropzone");
  const hashForm = document.getElementById("hash-form");
  const hashInput = document.getElementById("sha256");
  const statusBox = document.getElementById("verify-status");
  const resultBox = document.getElementById("verify-result");
  const uploadOffer = document.getElementById("upload-offer");
  const uploadButton = document.getElementById("upload-button");
  const HASH = /^(0x)?[0-9a-f]{64}$/i;

  let chosenFile = null;
  let busy = false;

  // ---- building the page ------------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : bidiShown(child));
    }
    return node;
  }

  function facts(pairs) {
    const list = el("dl", { class: "facts" });
    for (const [term, value] of pairs) {
      if (value === null || value === undefined) continue;
      list.append(el("dt", null, term), el("dd", null, value));
    }
    return list;
  }

  function code(text, wrap) {
    return el("code", wrap ? { class: "wrap" } : null, text);
  }

  // `2021-05-01 18:30:12 KST`, as the server writes block times: Korea keeps UTC+9 all year.
  function koreaTime(iso) {
    if (!iso) return "—";
    const shifted = new Date(Date.parse(iso) + 9 * 3600 * 1000).toISOString();
    return el("time", { datetime: iso, title: iso }, shifted.slice(0, 10) + " " + shifted.slice(11, 19) + " KST");
  }

  // A message with `backticked` commands, as text with the commands in <code> (never as HTML).
  function withCode(text) {
    const fragment = document.createDocumentFragment();
    String(text).split("`").forEach((part, index) => {
      if (part) fragment.append(index % 2 ? el("code", null, part) : part);
    });
    return fragment;
  }

  function commandBlock(command) {
    return el("div", { class: "command" },
      el("pre", { tabindex: "0", "aria-label": say("command") }, el("code", null, command)),
      el("button", { type: "button", class: "copy", "data-copied": say("copied") }, say("copy")));
  }

  function recordLink(citation) {
    const records = config.records;
    const id = citation.recordId;
    let href = null;
    let label;
    switch (citation.recordType) {
      case "program": href = "/programs/" + id; label = records["record.program"]; break;
      case "project": href = "/projects/" + id; label = records["record.project"]; break;
      case "milestone":
        href = "/projects/" + id + "/milestones/" + citation.milestoneIndex;
        label = records["record.milestone"].split("{index}").join(String(citation.milestoneIndex));
        break;
      case "outcome": href = "/outcomes/" + id; label = records["record.outcome"]; break;
      case "report": href = "/reports/" + id; label = records["record.report"]; break;
      case "audit": href = "/evaluations/" + id; label = records["record.audit"]; break;
      default: label = records["record.document"];
    }
    label = label.split("{id}").join(String(id));
    return href ? el("a", { href: href, class: "record-link" }, label) : el("span", null, label);
  }

  function kindLabel(kind) {
    return config.kinds[kind] || kind;
  }

  function provenanceFacts(p) {
    return facts([
      [say("transaction"), code(p.transactionHash, true)],
      [say("block"), Number(p.blockNumber).toLocaleString("en-US")],
      [say("time"), koreaTime(p.blockTime)],
      [say("log_index"), String(p.logIndex)],
      [say("signer"), p.signer ? code(p.signer, true) : say("direct")],
      [say("chain"), String(p.chainId)],
      [say("contract"), code(p.contract, true)],
    ]);
  }

  // The headline comes from the chain (liveCheck), never from the registry's copy alone: a copy that
  // disagrees is a warning, and a check that could not be made says so, neutrally, before the copy.
  const HEADLINES = {
    confirmed: { verdict: "verified", css: "verdict-found", mark: "✔", key: "verified" },
    disagrees: { verdict: "disagrees", css: "verdict-warning", mark: "⚠", key: "headline_disagrees" },
    unavailable: { verdict: "unchecked", css: "verdict-unchecked", mark: null, key: "headline_unavailable" },
    "not-anchored": { verdict: "not-found", css: "verdict-missing", mark: "✖", key: "not_found" },
  };

  function headline(answer) {
    const live = answer.liveCheck || { status: "unavailable" };
    const chosen = HEADLINES[live.status] || HEADLINES.unavailable;
    const heading = el("h2", { id: "verdict-heading", class: "verdict " + chosen.css, "data-verdict": chosen.verdict,
                               role: live.status === "disagrees" ? "alert" : null },
      chosen.mark ? el("span", { class: "verdict-mark", "aria-hidden": "true" }, chosen.mark) : null,
      chosen.mark ? " " : null, say(chosen.key));
    const parts = [heading];
    if (live.status === "confirmed") {
      parts.push(el("p", { id: "verdict-detail" }, say("headline_confirmed_detail", {
        node: live.node || say("registry_node"), chain: live.chainId,
        block: live.blockNumber == null ? "—" : Number(live.blockNumber).toLocaleString("en-US"), contract: live.contract })));
    } else if (live.status === "disagrees") {
      parts.push(el("p", { id: "verdict-detail", class: "notice", lang: "en" }, live.message));
    } else if (live.status !== "not-anchored") {
      const copyHasIt = Boolean(answer.firstAnchoring) || Boolean(answer.batches && answer.batches.length);
      parts.push(el("p", { id: "verdict-detail" }, say("headline_unavailable_detail"), " ",
        say(copyHasIt ? "copy_says_anchored" : "copy_says_missing")));
    }
    return parts;
  }

  function citationCheck(citation) {
    const check = citation.check;
    if (!check) return null;
    const known = { confirmed: "citation_confirmed", disagrees: "citation_disagrees", "not-checked": "citation_not_checked" };
    return el("span", { class: "badge badge-citation-" + check.status, "data-check": check.status, title: check.message || null },
      say(known[check.status] || "citation_not_checked"));
  }

  function receiptPart(answer) {
    const hex = answer.sha256.replace(/^0x/, "").toLowerCase();
    const section = el("section", { class: "verify-part", id: "receipt" }, el("h3", null, say("receipt_heading")));
    section.append(el("p", null, withCode(say("receipt_lead"))));
    section.append(el("p", null,
      el("a", { href: "/api/v1/verify/" + hex + "/receipt", download: "receipt-" + hex.slice(0, 12) + ".json",
                id: "download-receipt" }, say("download_receipt")),
      " · ", el("a", { href: "/verifier.html", download: "rnd-registry-verifier.html" }, say("standalone"))));
    const page = "/verify?sha256=" + hex;
    section.append(el("figure", { class: "qr" },
      el("img", { src: "/qr.svg?path=" + encodeURIComponent(page), alt: say("qr_alt"), width: "164", height: "164",
                  id: "verify-qr" }),
      el("figcaption", { class: "aside" }, say("qr_caption"))));
    return section;
  }

  function render(answer) {
    resultBox.replaceChildren();
    const found = answer.anchored === true;
    resultBox.append(...headline(answer));

    const about = [[say("sha256"), code(answer.sha256.replace(/^0x/, ""), true)]];
    if (answer.fileName) about.push([say("file_name"), answer.fileName]);
    if (answer.size !== null && answer.size !== undefined) about.push([say("size"), say("bytes", { n: Number(answer.size).toLocaleString("en-US") })]);
    resultBox.append(facts(about));

    if (!found) {
      resultBox.append(el("p", null, say("not_found_help")));
    }

    if (answer.firstAnchoring) {
      const first = answer.firstAnchoring;
      const section = el("section", { class: "verify-part", id: "first-anchoring" }, el("h3", null, say("first_anchoring")));
      section.append(facts([
        [say("anchored_at"), koreaTime(first.anchoredAt)],
        [say("anchored_by"), code(first.anchoredBy, true)],
        [say("kind"), kindLabel(first.kind)],
      ]));
      section.append(provenanceFacts(first.provenance));
      resultBox.append(section);
    }

    if (answer.citations && answer.citations.length) {
      const section = el("section", { class: "verify-part", id: "citations" }, el("h3", null, say("records")));
      const list = el("ul", { class: "citations" });
      for (const citation of answer.citations) {
        const p = citation.provenance;
        list.append(el("li", null,
          recordLink(citation), " — ", kindLabel(citation.kind),
          el("div", { class: "provenance-line" },
            say("block") + " " + Number(p.blockNumber).toLocaleString("en-US") + " · ", koreaTime(p.blockTime),
            " · " + say("transaction") + " ", code(p.transactionHash, true),
            " · " + say("by") + " ", code(citation.actor, true)),
          citationCheck(citation)));
      }
      section.append(list);
      if (answer.citationsTruncated) section.append(el("p", { class: "aside" }, say("truncated")));
      resultBox.append(section);
    }

    if (answer.batches && answer.batches.length) {
      const section = el("section", { class: "verify-part", id: "batches" }, el("h3", null, say("batches")));
      for (const batch of answer.batches) {
        section.append(facts([
          [say("root"), code(batch.root, true)],
          [say("path"), batch.path],
          [say("position"), say("leaf_of", { position: batch.position, count: batch.leafCount })],
          [say("anchored_at"), koreaTime(batch.anchoredAt)],
          [say("anchored_by"), code(batch.anchoredBy, true)],
          [say("proof"), el("ol", { class: "proof" }, ...batch.proof.map((h) => el("li", null, code(h, true))))],
        ]));
        section.append(provenanceFacts(batch.provenance));
      }
      resultBox.append(section);
    }

    if (answer.liveCheck) {
      const live = answer.liveCheck;
      resultBox.append(el("section", { class: "verify-part", id: "live-check" },
        el("h3", null, say("live_check")),
        el("p", null, el("span", { class: "badge badge-live-" + live.status }, say("live_" + live.status.replace("-", "_")))),
        liveDetail(live)));
    }

    if (answer.firstAnchoring || (answer.batches && answer.batches.length)) {
      resultBox.append(receiptPart(answer));
    }

    if (answer.howToCheck && answer.howToCheck.steps.length) {
      const section = el("section", { class: "verify-part", id: "how-to-check" }, el("h3", null, say("how_to_check")));
      section.append(el("p", null, say("how_to_check_lead")));
      const steps = el("ol", { class: "check-steps" });
      for (const step of answer.howToCheck.steps) {
        const words = withCode(say("step_" + step.step.replaceAll("-", "_"), { chain_id: answer.howToCheck.chainId, root: step.root }));
        steps.append(el("li", null, el("p", null, words), commandBlock(step.command)));
      }
      section.append(steps);
      resultBox.append(section);
    }

    resultBox.hidden = false;
    resultBox.focus();
  }

  // ---- asking the server -----------------------------------------------------------------------

  function setStatus(text, isError) {
    statusBox.textContent = text;
    statusBox.classList.toggle("status-error", Boolean(isError));
  }

  async function readAnswer(response) {
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (response.status === 413) throw new Error(say("too_large", { limit: Number(config.maxUploadBytes).toLocaleString() }));
    if (response.status >= 400 && response.status < 500) {
      // The reader's mistake (the registry refused the hash), said in the page's language: the API's own
      // message is English and meant for programs.
      throw new Error(say("bad_hash"));
    }
    if (!response.ok) {
      const message = body && body.error && body.error.message ? body.error.message : response.statusText;
      throw new Error(say("server_error", { status: response.status, message: message }));
    }
    return body;
  }

  async function lookUp(hash) {
    const hex = hash.toLowerCase().replace(/^0x/, "");
    if (/^0+$/.test(hex)) throw new Error(say("zero_hash"));
    setStatus(say("asking"));
    const response = await fetch("/api/v1/verify/" + hex, { headers: { Accept: "application/json" } });
    const answer = await readAnswer(response);
    hashInput.value = hex;
    const url = new URL(window.location.href);
    url.searchParams.set("sha256", hex);
    window.history.replaceState(null, "", url.pathname + "?" + url.searchParams.toString());
    setStatus(answer.anchored ? say("done_found") : say("done_missing"));
    render(answer);
  }

  async function hashFile(file) {
    if (!(window.crypto && window.crypto.subtle)) {
      throw new Error(say("no_web_crypto"));
    }
    setStatus(say("hashing", { name: file.name }));
    const digest = await window.crypto.subtle.digest("SHA-256", await file.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function guarded(work) {
    if (busy) return;
    busy = true;
    try {
      await work();
    } catch (error) {
      setStatus(error.message || String(error), true);
    } finally {
      busy = false;
    }
  }

  function choose(file) {
    if (!file) return;
    chosenFile = file;
    document.getElementById("chosen-file").textContent = bidiShown(file.name);
    uploadOffer.hidden = true;
    guarded(async () => {
      let hash;
      try {
        hash = await hashFile(file);
      } catch (error) {
        uploadOffer.hidden = false; // this browser cannot hash it: the server can
        throw error;
      }
      await lookUp(hash);
    });
  }

  async function upload() {
    if (!chosenFile) return;
    if (chosenFile.size > config.maxUploadBytes) {
      throw new Error(say("too_large", { limit: Number(config.maxUploadBytes).toLocaleString("en-US") }));
    }
    setStatus(say("uploading", { name: chosenFile.name }));
    const form = new FormData();
    form.append(config.uploadField, chosenFile, chosenFile.name);
    const response = await fetch("/api/v1/verify", { method: "POST", body: form, headers: { Accept: "application/json" } });
    const answer = await readAnswer(response);
    setStatus(answer.anchored ? say("done_found") : say("done_missing"));
    render(answer);
  }

  // ---- wiring ----------------------------------------------------------------------------------

  fileInput.addEventListener("change", () => choose(fileInput.files[0]));
  uploadButton.addEventListener("click", () => guarded(upload));

  for (const name of ["dragenter", "dragover"]) {
    dropzone.addEventListener(name, (event) => {
      event.preventDefault();
      dropzone.classList.add("dropzone-active");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    dropzone.addEventListener(name, () => dropzone.classList.remove("dropzone-active"));
  }
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault();
    const files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) choose(files[0]);
  });

  hashForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = hashInput.value.trim();
    if (!HASH.test(text)) {
      setStatus(say("bad_hash"), true);
      hashInput.setAttribute("aria-invalid", "true");
      hashInput.focus();
      return;
    }
    hashInput.removeAttribute("aria-invalid");
    chosenFile = null;
    uploadOffer.hidden = true;
    guarded(() => lookUp(text));
  });

  if (HASH.test(hashInput.value.trim())) {
    guarded(() => lookUp(hashInput.value.trim()));
  } else if (hashInput.value.trim()) {
    setStatus(say("bad_hash"), true);
  }
})();
