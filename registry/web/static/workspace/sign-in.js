// The sign-in panel of every workspace page (templates/workspace_base.html): choose the keystore file, type
// its password, watch the decryption's progress; then who is signed in, for how long while idle, the
// account's roles and company, and a sign-out button. The file's text and the password are dropped as
// soon as the decryption ends, whatever its outcome.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { say, el, tell, signer, identity } = workspace;
  const form = document.getElementById("keystore-form");
  const fileInput = document.getElementById("keystore-file");
  const passwordInput = document.getElementById("keystore-password");
  const openButton = document.getElementById("keystore-open");
  const progress = document.getElementById("keystore-progress");
  const walletOffer = document.getElementById("wallet-offer");
  const walletButton = document.getElementById("wallet-use");
  const signedOut = document.getElementById("signed-out");
  const signedIn = document.getElementById("signed-in");
  const addressBox = document.getElementById("signer-address");
  const kindBox = document.getElementById("signer-kind");
  const idleBox = document.getElementById("signer-idle");
  const identityBox = document.getElementById("signer-identity");
  const signOutButton = document.getElementById("sign-out");
  const statusBox = document.getElementById("sign-in-status");

  let opening = false;

  function fieldProblem(input, problem) {
    input.setAttribute("aria-invalid", problem ? "true" : "false");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (opening) return;
    const file = fileInput.files && fileInput.files[0];
    fieldProblem(fileInput, !file);
    fieldProblem(passwordInput, false);
    if (!file) {
      tell(statusBox, say("signer.no_file"), true);
      fileInput.focus();
      return;
    }
    opening = true;
    openButton.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    tell(statusBox, say("sign_in.decrypting"));
    let password = passwordInput.value;
    passwordInput.value = "";
    try {
      let text = await file.text();
      try {
        await signer.openKeystore(text, password, (share) => {
          progress.value = Math.round(share * 100);
        });
      } finally {
        text = null;
        password = null;
      }
      fileInput.value = "";
      tell(statusBox, say("sign_in.done"));
    } catch (error) {
      const reason = error instanceof signer.SignInError ? error.reason : "not-keystore";
      tell(statusBox, error instanceof signer.SignInError ? error.message : say("signer.not_keystore"), true);
      const input = reason === "wrong-password" || reason === "no-password" ? passwordInput : fileInput;
      fieldProblem(input, true);
      input.focus();
    } finally {
      opening = false;
      openButton.disabled = false;
      progress.hidden = true;
    }
  });

  if (signer.hasBrowserWallet()) {
    walletOffer.hidden = false;
    walletButton.addEventListener("click", async () => {
      try {
        await signer.useBrowserWallet();
        tell(statusBox, say("sign_in.done"));
      } catch (error) {
        tell(statusBox, error.message, true);
      }
    });
  }

  signOutButton.addEventListener("click", () => {
    signer.forget("signed-out");
    passwordInput.focus();
  });

  function showIdle() {
    const left = signer.idleRemaining();
    if (left === null) return;
    idleBox.textContent = say("sign_in.idle", { minutes: workspace.data.idleMinutes, left: Math.ceil(left / 60000) });
  }

  signer.onChange((now) => {
    signedIn.hidden = !now;
    signedOut.hidden = Boolean(now);
    document.body.dataset.signedIn = now ? "true" : "false";
    if (now) {
      addressBox.textContent = now.address;
      kindBox.textContent = say("sign_in.kind_" + now.kind.replace("-", "_"));
      identityBox.replaceChildren(el("p", { class: "aside" }, say("identity.looking")));
      showIdle();
    } else {
      addressBox.textContent = "";
      identityBox.replaceChildren();
      const why = signer.forgottenBecause();
      if (why && why !== "replaced") tell(statusBox, say("sign_in.forgotten_" + why.replace("-", "_")));
    }
  });
  setInterval(showIdle, 15000);

  identity.onChange((who) => {
    if (!who) return;
    const roles = who.roles.map((role) => say("identity.role_" + role.replace(/-/g, "_")));
    const parts = [
      el("p", {}, say("identity.roles"), " ", roles.length ? roles.join(", ") : say("identity.no_role")),
      el("p", {}, say("identity.company"), " ", who.companyId ? el("code", { class: "wrap-anywhere" }, who.companyId) : say("identity.no_company")),
    ];
    if (!who.complete) parts.push(el("p", { class: "status-error" }, say("identity.incomplete")));
    identityBox.replaceChildren(...parts);
  });
  document.body.dataset.signedIn = "false";
  document.body.dataset.workspaceReady = "true";
})();
