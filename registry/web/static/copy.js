// "Copy" buttons beside commands: copy the command next to the button. One listener for the page,
// so buttons added later (the verification answer) work too.
"use strict";

(function () {
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Without the Clipboard API (plain HTTP on another host), select the text for Ctrl+C instead.
    return Promise.reject(new Error("no clipboard"));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy");
    if (!button) return;
    const holder = button.closest(".command");
    const source = holder && holder.querySelector("code");
    if (!source) return;
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copyText(source.textContent).then(
      () => {
        button.textContent = button.dataset.copied || label;
        window.setTimeout(() => { button.textContent = label; }, 2000);
      },
      () => {
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      },
    );
  });
})();
