// Reading the registry's API from a workspace page: JSON answers in the page's language, and waiting for a
// record the relay has just written until the API's copy has indexed the block that holds it.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const lang = workspace.data.lang;

  function withLanguage(path) {
    return path + (path.includes("?") ? "&" : "?") + "lang=" + encodeURIComponent(lang);
  }

  /** GET `path` as JSON: {ok, status, body}; a network failure is {ok:false, status:0}. */
  async function get(path) {
    let response;
    try {
      response = await fetch(withLanguage(path), { headers: { Accept: "application/json" }, credentials: "same-origin" });
    } catch (error) {
      return { ok: false, status: 0, body: null };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    return { ok: response.ok, status: response.status, body };
  }

  /** POST `body` (an object sent as JSON, or FormData as it is) to `path`: {ok, status, body}. */
  async function post(path, body) {
    const isForm = body instanceof FormData;
    let response;
    try {
      response = await fetch(withLanguage(path), {
        method: "POST",
        headers: isForm ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
        body: isForm ? body : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (error) {
      return { ok: false, status: 0, body: null };
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    return { ok: response.ok, status: response.status, body: answer };
  }

  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Whether the API's copy holds every registry event up to `block` (GET /health's indexer.indexedBlock),
   * waiting for it at most `seconds`. */
  async function indexedUpTo(block, seconds) {
    const until = Date.now() + seconds * 1000;
    let wait = 250;
    for (;;) {
      const health = await get("/health");
      const indexed = health.body && health.body.indexer ? health.body.indexer.indexedBlock : null;
      if (indexed !== null && indexed !== undefined && indexed >= block) return true;
      if (Date.now() + wait > until) return false;
      await pause(wait);
      wait = Math.min(wait * 2, 2000);
    }
  }

  /** The record at `path` as the API serves it once its copy has indexed `block` (the relayed transaction's),
   * so that a changed record is read as the transaction left it, not as it was; null if the copy has not
   * reached `block` within `seconds`, or the record is not served then. */
  async function waitForRecord(path, seconds, block) {
    const until = Date.now() + seconds * 1000;
    if (!(await indexedUpTo(block, seconds))) return null;
    let wait = 250;
    for (;;) {
      const answer = await get(path);
      if (answer.ok) return answer.body;
      // The copy has the block, so a 404 is an answer; a 503 or no answer may pass.
      if (answer.status !== 503 && answer.status !== 0) return null;
      if (Date.now() + wait > until) return null;
      await pause(wait);
      wait = Math.min(wait * 2, 2000);
    }
  }

  /** Every item of an API list (following its cursors), at most `limit` items. */
  async function getAll(path, limit) {
    const items = [];
    let cursor = null;
    do {
      const answer = await get(path + (cursor ? (path.includes("?") ? "&" : "?") + "cursor=" + encodeURIComponent(cursor) : ""));
      if (!answer.ok) return null;
      items.push(...answer.body.items);
      cursor = answer.body.nextCursor;
    } while (cursor && items.length < (limit || 1000));
    return items;
  }

  workspace.api = { get, post, getAll, indexedUpTo, waitForRecord };
})();
