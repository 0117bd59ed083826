// The workspace's words: every message in the page's language (from the page's
// <script type="application/json" id="workspace-data">), values filled in, and an element builder that
// never parses HTML, so nothing from the registry or a person can run as markup. Bidirectional controls are
// shown as visible marks, as every portal page writes them (registry/domain/text.py).
"use strict";

(function () {
  const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
  const bidiShown = (text) =>
    String(text).replace(BIDI_CONTROLS, (c) => "<U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + ">");

  const data = JSON.parse(document.getElementById("workspace-data").textContent);
  const workspace = (window.RndWorkspace = window.RndWorkspace || {});

  /** The message `workspace.<key>` with its `{names}` filled in; the key itself if the catalogue lacks it. */
  function say(key, values) {
    let text = data.messages["workspace." + key];
    if (text === undefined) text = key;
    for (const [name, value] of Object.entries(values || {})) text = text.split("{" + name + "}").join(String(value));
    return text;
  }

  /** The label of an enum value by its API name: enumLabel("milestone_status", "rejected"). */
  function enumLabel(group, name) {
    const found = data.enums["enum." + group + "." + name];
    return found === undefined ? String(name) : found;
  }

  /** An element with attributes and children (nodes, or text shown as text). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : bidiShown(child));
    }
    return node;
  }

  /** Whole won as the portal writes it: ₩100,000,000 (amounts are strings of digits or BigInts). */
  function won(amount) {
    return "₩" + BigInt(amount).toLocaleString("en-US");
  }

  /** A day (UTC, as every date of the registry) from ISO 8601 or Unix seconds: 2021-08-31. */
  function day(value) {
    const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
    return date.toISOString().slice(0, 10);
  }

  /** A status line: `box` says `text`, as an error when `isError`. */
  function tell(box, text, isError) {
    box.textContent = bidiShown(text || "");
    box.classList.toggle("status-error", Boolean(isError));
  }

  workspace.data = data;
  workspace.say = say;
  workspace.enumLabel = enumLabel;
  workspace.el = el;
  workspace.won = won;
  workspace.day = day;
  workspace.tell = tell;
  workspace.bidiShown = bidiShown;
})();
