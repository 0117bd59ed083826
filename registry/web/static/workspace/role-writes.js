// The auditor's and the office's forms: checking what a person typed before anything is signed, a typed
// note published as a document (its SHA-256 goes on chain, as the CLI's --reason-text does), the write sent
// through the relay (relay-client.js), and the page's lists read again once the indexer has the new block,
// without reloading the page (a reload would forget the key held in it).
//
// RndWorkspace.roleWrites:
//   refuse(form, field, msg) shows why a form cannot be sent, on the form and its field; nothing is signed
//   clear(form)              takes a form's last complaint away
//   amount(input, opts)      the won amount typed (forms.parseWon), shown as understood, or a refusal
//   wholeNumber(text)        a record number (1 to 2^32-1) or null
//   day(form, input)         the day typed (forms.parseDay) as Unix seconds at 00:00 UTC, or a refusal
//   companyId(text)          keccak256("brn:" + 10 digits) of a business registration number, or null
//   publishNote(text, name)  {ok, hash} once the note is a public document, or {ok:false, message}
//   noteDocument(text, name) {hash, publish}: the note's hash now, publish() as a write's beforeSend
//   record(path)             the API's record at `path` (fresh), or null
//   view(contract, fn, args) a contract's view asked of the node (eth_call), or null when it cannot be asked
//   chainNow()               the chain's time (the relay's status), or this computer's
//   onSubmit(form, handle)   handle(form, the button's value) on submit, the form's buttons off meanwhile
//   send(form, request)      relay.send, then waits for the indexer and reads the page's lists again:
//                            {ok, relayed} or {ok:false, message}; says either in the page's status box
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { api, data, say, tell } = workspace;
  const statusBox = document.querySelector("[data-write-status]");
  const UINT32_MAX = 4294967295;

  function errorBox(form) {
    return form.querySelector(".field-error");
  }

  function clear(form) {
    const box = errorBox(form);
    if (box) {
      box.hidden = true;
      box.textContent = "";
    }
    for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  }

  function refuse(form, field, message) {
    const box = errorBox(form);
    box.textContent = workspace.bidiShown(message);
    box.hidden = false;
    if (field) {
      field.setAttribute("aria-invalid", "true");
      const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(box.id)) field.setAttribute("aria-describedby", [...described, box.id].join(" "));
      field.focus();
    } else {
      box.setAttribute("tabindex", "-1");
      box.focus();
    }
    return null;
  }

  function understoodBox(input) {
    return document.getElementById(input.id + "-understood");
  }

  /** The amount typed in `input`: {won: BigInt} (shown as understood beside it), or null with the reason said. */
  function amount(form, input, options) {
    const text = input.value.trim();
    const shown = understoodBox(input);
    if (!text && options && options.optional) {
      if (shown) shown.textContent = "";
      return { won: 0n };
    }
    const forms = workspace.forms;
    if (!forms || typeof forms.parseWon !== "function") return refuse(form, input, say("write.no_parser"));
    const parsed = forms.parseWon(text);
    if (!parsed.ok) {
      if (shown) shown.textContent = "";
      return refuse(form, input, parsed.message);
    }
    if (shown) shown.textContent = say("write.understood", { amount: parsed.understood });
    return { won: BigInt(parsed.won) };
  }

  /** Shows what an amount field is understood as while it is typed, before anything is sent. */
  function explainAmounts(root) {
    for (const input of root.querySelectorAll("input[data-won]")) {
      input.addEventListener("input", () => {
        const shown = understoodBox(input);
        const forms = workspace.forms;
        if (!shown || !forms || typeof forms.parseWon !== "function") return;
        const text = input.value.trim();
        if (!text) {
          shown.textContent = "";
          return;
        }
        const parsed = forms.parseWon(text);
        shown.textContent = parsed.ok ? say("write.understood", { amount: parsed.understood }) : parsed.message;
      });
    }
  }

  function wholeNumber(text) {
    const trimmed = String(text).trim();
    if (!/^[0-9]{1,10}$/.test(trimmed)) return null;
    const value = Number(trimmed);
    return value >= 1 && value <= UINT32_MAX ? value : null;
  }

  /** The day typed in `input` (forms.parseDay: 2021-12-31 and the forms Python's parse_day takes) as Unix
   * seconds at 00:00 UTC, as the CLI's --due and --start give it; or null with the reason said. */
  function day(form, input) {
    const forms = workspace.forms;
    if (!forms || typeof forms.parseDay !== "function") return refuse(form, input, say("write.no_parser"));
    const parsed = forms.parseDay(input.value);
    if (!parsed.ok) return refuse(form, input, parsed.message);
    const [year, month, date] = parsed.day.split("-").map(Number);
    const moment = new Date(0);
    moment.setUTCFullYear(year, month - 1, date);
    return Math.floor(moment.getTime() / 1000);
  }

  function companyId(text) {
    const trimmed = String(text).trim().replace(/ /g, "");
    if (!/^[0-9]{3}-?[0-9]{2}-?[0-9]{5}$/.test(trimmed)) return null;
    return ethers.keccak256(ethers.toUtf8Bytes("brn:" + trimmed.replace(/-/g, "")));
  }

  /** Publishes a typed note as a plain-text document (evidence.js), as `--reason-text` stores one: its bytes
   * are the note's UTF-8, its SHA-256 the hash that goes on chain. */
  async function publishNote(text, name) {
    const note = await noteDocument(text, name);
    const published = await note.publish();
    return published.ok ? { ok: true, hash: note.hash } : published;
  }

  /** A typed note's hash, worked out in the page, and `publish()` to publish it later: passed as a write's
   * `beforeSend`, the note is published only once the relay has checked the signed request that cites it. */
  async function noteDocument(text, name) {
    const bytes = new TextEncoder().encode(text);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const hash = "0x" + Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    async function publish() {
      const evidence = workspace.evidence;
      if (!evidence || typeof evidence.publish !== "function") return { ok: false, message: say("write.no_upload") };
      const published = await evidence.publish({ bytes, name, contentType: "text/plain", signer: workspace.signer });
      if (!published || !published.ok) {
        return { ok: false, message: say("write.note_refused", { reason: (published && published.message) || "" }) };
      }
      return { ok: true };
    }
    return { hash, publish };
  }

  async function record(path) {
    const answer = await api.get(path);
    return answer.ok ? answer.body : null;
  }

  /** Reads this page again and puts its new lists in place of the old ones ([data-refresh] elements by id). */
  async function refreshLists() {
    let response;
    try {
      response = await fetch(location.pathname + location.search, { credentials: "same-origin" });
    } catch (error) {
      return false;
    }
    if (!response.ok) return false;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const part of document.querySelectorAll("[data-refresh]")) {
      const replacement = fresh.getElementById(part.id);
      if (replacement) part.replaceWith(document.importNode(replacement, true));
    }
    return true;
  }

  function busy(form, on) {
    for (const button of form.querySelectorAll("button")) button.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function announce(text, isError) {
    if (statusBox) tell(statusBox, text, isError);
  }

  /** Whether someone is signed in; says how to sign in when not. */
  function signedIn(form) {
    if (workspace.signer && workspace.signer.current()) return true;
    refuse(form, null, say("write.sign_in_first"));
    return false;
  }

  async function send(form, request, done) {
    announce(say("write.sending"));
    const result = await workspace.relay.send(request);
    if (!result.ok) {
      if (result.reason === "declined") {
        announce(say("write.declined"));
        return { ok: false, message: say("write.declined") };
      }
      const message = say("write.refused", { reason: result.message });
      refuse(form, null, message);
      announce(message, true);
      return { ok: false, message };
    }
    announce(say("write.recorded_waiting", { block: result.relayed.blockNumber }));
    const caughtUp = await api.indexedUpTo(result.relayed.blockNumber, data.recordWaitSeconds || 90);
    if (caughtUp) await refreshLists();
    const text = done(result.relayed) + " " + say(caughtUp ? "write.recorded" : "write.recorded_not_indexed", {
      transaction: result.relayed.transactionHash, block: result.relayed.blockNumber,
    });
    announce(text);
    form.reset();
    for (const shown of form.querySelectorAll(".understood")) shown.textContent = "";
    return { ok: true, relayed: result.relayed };
  }

  /** Runs `handle(form, choice)` when `form` is submitted (the button pressed gives `choice`), one at a time:
   * the form's buttons are off from the first check to the last answer. */
  function onSubmit(form, handle) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (form.getAttribute("aria-busy") === "true") return;
      clear(form);
      const chosen = (event.submitter && event.submitter.value) || form.querySelector("button[type=submit]").value;
      busy(form, true);
      try {
        await handle(form, chosen);
      } finally {
        busy(form, false);
      }
    });
  }

  /** The chain's time in Unix seconds (the relay's status says it), or this computer's when it cannot be asked:
   * the registry's windows and limits count from the chain's clock. */
  async function chainNow() {
    const who = workspace.signer && workspace.signer.current();
    const status = who ? await api.get(data.urls.relayStatus + "?signer=" + encodeURIComponent(who.address)) : null;
    return status && status.ok && status.body.chainTime ? Number(status.body.chainTime) : Math.floor(Date.now() / 1000);
  }

  /** A contract's view asked of the node (relay.view), or null when it could not be asked. */
  async function view(contract, fn, args) {
    try {
      return await workspace.relay.view(contract, fn, args);
    } catch (error) {
      return null;
    }
  }

  workspace.roleWrites = {
    say, refuse, clear, amount, explainAmounts, wholeNumber, day, companyId, publishNote, noteDocument, record, send, signedIn,
    announce, onSubmit, chainNow, view, refreshLists,
  };
})();
