// Evidence documents in the workspace: each file's SHA-256 computed here (Web Crypto), the same hash
// registry/evidence/hashing.py records (SHA-256 of the file's bytes, as `sha256sum FILE` prints it), so the
// file itself stays on the computer. Only a file the person marks public is uploaded, to
// POST /api/v1/documents, vouched for by the signer's personal_sign of the publication message
// (registry/evidence/publishing.py's text, built here by publicationMessage).
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { data, say, api } = workspace;

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** The file's SHA-256 as 0x and 64 hex digits (bytes32 for the registry). */
  async function sha256(file) {
    return "0x" + hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
  }

  /** The text a publisher signs to publish the document `sha256Hex` (64 hex digits, with or without 0x) in the
   * registry whose grant registry is at `registry` on chain `chainId`. */
  function publicationMessage(sha256Hex, chainId, registry) {
    const digits = sha256Hex.toLowerCase().replace(/^0x/, "");
    return (
      "R&D 성과 등록부 공개 문서 게시 / Publish a document in the R&D outcome registry\n" +
      "\n" +
      "문서 SHA-256 / Document SHA-256: " + digits + "\n" +
      "체인 ID / Chain ID: " + chainId + "\n" +
      "등록부 / Registry: " + ethers.getAddress(registry) + "\n" +
      "\n" +
      "서명하면 이 문서를 누구나 받아 볼 수 있게 됩니다. 거래를 보내지 않으며 비용이 들지 않습니다.\n" +
      "Signing makes this document readable by everyone. It sends no transaction and costs nothing."
    );
  }

  /**
   * The SHA-256 of a File, Blob, ArrayBuffer or byte array, as 64 lowercase hex digits (as `sha256sum` prints it):
   * the hash registry/evidence/hashing.py computes, of exactly these bytes.
   */
  async function sha256Hex(fileOrBytes) {
    return hex(await crypto.subtle.digest("SHA-256", await bytesOf(fileOrBytes)));
  }

  async function bytesOf(source) {
    if (source && typeof source.arrayBuffer === "function") return new Uint8Array(await source.arrayBuffer());
    if (source instanceof ArrayBuffer) return new Uint8Array(source);
    if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    if (typeof source === "string") return new TextEncoder().encode(source);
    throw new TypeError("sha256Hex takes a File, a Blob, an ArrayBuffer or bytes");
  }

  function refused(status, reason, message) {
    return { ok: false, url: null, status, reason, message };
  }

  /**
   * Publishes a document in the registry's document store, vouched for by `signer` (workspace.signer unless
   * given: anything with signMessage(text) and current()), which is asked to sign the publication message.
   *   publish({bytes, name, contentType, signer})    bytes: a File, Blob, ArrayBuffer or byte array
   *   publish(file, digest)                          a File whose SHA-256 is already known
   * Answers {ok: true, url, status, reason: null, message: null, document} (the API's PublishedDocument; status
   * 201 when newly published, 200 when it already was) or {ok: false, url: null, status, reason, message}, the
   * reason a code (the API's: hash-mismatch, bad-signature, not-registry-account, too-large, rate-limited,
   * store-not-configured, chain-unreachable, malformed; or this page's: signed-out, not-signed, unavailable).
   */
  async function publish(request, knownDigest) {
    // A Blob is the document itself (Chromium's Blob has a bytes() method, so `"bytes" in file` cannot tell).
    const asked = typeof Blob !== "undefined" && request instanceof Blob
      ? { bytes: request, name: request.name, contentType: request.type }
      : request || {};
    const signer = asked.signer || workspace.signer;
    const who = signer && typeof signer.current === "function" ? signer.current() : null;
    if (!who) return refused(0, "signed-out", say("signer.signed_out"));
    const bytes = await bytesOf(asked.bytes);
    const name = asked.name || (asked.bytes && asked.bytes.name) || "";
    const contentType = asked.contentType || (asked.bytes && asked.bytes.type) || "";
    const digest = knownDigest ? String(knownDigest).toLowerCase().replace(/^0x/, "") : await sha256Hex(bytes);
    const terms = await api.get(data.urls.documents + "/publishing");
    if (!terms.ok) return refused(terms.status, "unavailable", say("evidence.publishing_unavailable"));
    if (!terms.body.enabled) return refused(503, "unavailable", terms.body.message || say("evidence.publishing_unavailable"));
    if (bytes.byteLength > terms.body.maxUploadBytes) {
      return refused(413, "too-large", say("evidence.too_large", { name, limit: terms.body.maxUploadBytes.toLocaleString("en-US") }));
    }
    let signature;
    try {
      signature = await signer.signMessage(publicationMessage(digest, terms.body.chainId, terms.body.registry));
    } catch (error) {
      return refused(0, (error && error.reason) || "not-signed", (error && error.message) || say("evidence.not_signed"));
    }
    // The fields before the document: the server checks the signature and the account before it keeps a byte.
    const form = new FormData();
    form.append("sha256", digest);
    form.append("uploader", who.address);
    form.append("signature", signature);
    if (name) form.append("name", name);
    if (contentType && /^[A-Za-z0-9!#$&^_.+-]{1,64}\/[A-Za-z0-9!#$&^_.+-]{1,64}$/.test(contentType)) form.append("contentType", contentType);
    form.append("document", new Blob([bytes], { type: "application/octet-stream" }), name || digest);
    const sent = await api.post(data.urls.documents, form);
    if (sent.ok) return { ok: true, url: sent.body.url, status: sent.status, reason: null, message: null, document: sent.body };
    const error = (sent.body && sent.body.error) || {};
    return refused(sent.status, error.reason || "failed", error.message || say("evidence.publish_failed", { status: sent.status }));
  }

  /** A published document's text (the auditor's note), or null when it is not published or not text. */
  async function publishedText(digest) {
    let response;
    try {
      response = await fetch(data.urls.documents + "/" + digest);
    } catch (error) {
      return null;
    }
    if (!response.ok || !(response.headers.get("content-type") || "").startsWith("text/plain")) return null;
    return response.text();
  }

  workspace.evidence = { sha256, sha256Hex, publicationMessage, publish, publishedText };
})();
