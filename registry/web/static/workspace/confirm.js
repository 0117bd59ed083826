// What is about to be signed, shown before anything is: the request's purpose in words, its values as the
// person gave them, the contract and function, and the encoded call's arguments decoded back from the very
// bytes that will be signed. A modal dialog (keyboard: Tab between the buttons, Escape cancels); answers
// true only when the person presses "sign and send".
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { el, say } = workspace;
  let dialog = null;

  function build() {
    dialog = el("dialog", { id: "confirm-signing", class: "confirm-signing", "aria-labelledby": "confirm-heading" });
    document.body.append(dialog);
    return dialog;
  }

  /** An ABI value in words: addresses and hashes as they are, numbers in digits, lists item by item. */
  function shown(value) {
    if (Array.isArray(value)) return "[" + value.map(shown).join(", ") + "]";
    if (typeof value === "bigint") return value.toString();
    if (value && typeof value === "object" && typeof value.toArray === "function") return shown(value.toArray());
    return String(value);
  }

  /**
   * Asks the person to confirm `request`: {summary, details: [[label, value]...], contract, address, fragment
   * (an ethers FunctionFragment), decoded (the arguments decoded from the call data), signer, validUntil}.
   */
  function ask(request) {
    const box = dialog || build();
    box.replaceChildren();
    const facts = el("dl", { class: "facts" });
    for (const [label, value] of request.details || []) facts.append(el("dt", {}, label), el("dd", {}, value));
    const call = el("dl", { class: "facts" },
      el("dt", {}, say("confirm.contract")), el("dd", {}, request.contract + " ", el("code", {}, request.address)),
      el("dt", {}, say("confirm.function")), el("dd", {}, el("code", {}, request.fragment.name)),
      ...request.fragment.inputs.flatMap((input, i) => [
        el("dt", {}, el("code", {}, input.name || "#" + i), " ", el("span", { class: "aside" }, input.type)),
        el("dd", {}, el("code", { class: "wrap-anywhere" }, shown(request.decoded[i]))),
      ]));
    const confirmButton = el("button", { type: "button", id: "confirm-sign" }, say("confirm.sign"));
    const cancelButton = el("button", { type: "button", id: "confirm-cancel", class: "secondary" }, say("confirm.cancel"));
    box.append(
      el("h2", { id: "confirm-heading" }, say("confirm.heading")),
      el("p", { class: "lead" }, request.summary),
      facts,
      el("p", {}, say("confirm.as", { account: request.signer, until: request.validUntil })),
      el("details", {}, el("summary", {}, say("confirm.call")), call),
      el("p", { class: "aside" }, say("confirm.nothing_yet")),
      el("div", { class: "button-row" }, confirmButton, cancelButton),
    );
    return new Promise((resolve) => {
      const answer = (yes) => {
        box.removeEventListener("cancel", onCancel);
        if (box.open) box.close();
        resolve(yes);
      };
      const onCancel = (event) => {
        event.preventDefault();
        answer(false);
      };
      box.addEventListener("cancel", onCancel);
      confirmButton.addEventListener("click", () => answer(true), { once: true });
      cancelButton.addEventListener("click", () => answer(false), { once: true });
      box.showModal();
      confirmButton.focus();
    });
  }

  workspace.confirm = { ask };
})();
