// Who signs in this page: a keystore file (Web3 Secret Storage, as `rnd-registry account new` writes it)
// decrypted here by ethers with the password typed here, or a browser wallet (EIP-1193, window.ethereum).
//
// The decrypted key lives only in this closure: never in localStorage, sessionStorage, a cookie or a request,
// and never written to the page. It is forgotten when the person signs out, when the tab is closed or
// left (pagehide), and after `idleMinutes` without a key press or click. Listeners hear every change through
// the window event "rnd-workspace:signer" (detail: current()) or signer.onChange(callback).
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const IDLE_MS = workspace.data.idleMinutes * 60 * 1000;
  const CHANGED = "rnd-workspace:signer";

  let signing = null; // an ethers Wallet (keystore) or JsonRpcSigner (browser wallet)
  let address = null;
  let kind = null; // "keystore" | "browser-wallet"
  let lastActivity = 0;
  let forgottenBecause = null; // "signed-out" | "idle" | "closed" | "wallet-changed"

  /** A refusal to sign in, with a reason code and its message in the page's language. */
  class SignInError extends Error {
    constructor(reason) {
      super(workspace.say("signer." + reason.replace(/-/g, "_")));
      this.reason = reason;
    }
  }

  function current() {
    return address ? { address, kind } : null;
  }

  function announce() {
    window.dispatchEvent(new CustomEvent(CHANGED, { detail: current() }));
  }

  function touch() {
    if (address) lastActivity = Date.now();
  }

  function use(found, foundAddress, foundKind) {
    signing = found;
    address = ethers.getAddress(foundAddress);
    kind = foundKind;
    forgottenBecause = null;
    lastActivity = Date.now();
    announce();
  }

  /** Decrypts the keystore `text` with `password` (scrypt: seconds), reporting progress from 0 to 1. */
  async function openKeystore(text, password, onProgress) {
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      parsed = null;
    }
    if (!parsed || !ethers.isKeystoreJson(text)) throw new SignInError("not-keystore");
    if (!password) throw new SignInError("no-password");
    let wallet;
    try {
      wallet = await ethers.Wallet.fromEncryptedJson(text, password, (share) => onProgress && onProgress(share));
    } catch (error) {
      if (/incorrect password/i.test(String(error && error.message))) throw new SignInError("wrong-password");
      throw new SignInError("not-keystore");
    }
    if (address) forget("replaced");
    use(wallet, wallet.address, "keystore");
    return current();
  }

  function hasBrowserWallet() {
    return Boolean(window.ethereum && typeof window.ethereum.request === "function");
  }

  /** Signs with the browser wallet's selected account (the wallet asks the person first). */
  async function useBrowserWallet() {
    if (!hasBrowserWallet()) throw new SignInError("no-wallet");
    let found;
    try {
      const provider = new ethers.BrowserProvider(window.ethereum);
      found = await provider.getSigner();
    } catch (error) {
      throw new SignInError("wallet-refused");
    }
    use(found, await found.getAddress(), "browser-wallet");
    if (typeof window.ethereum.on === "function") {
      window.ethereum.on("accountsChanged", () => kind === "browser-wallet" && forget("wallet-changed"));
    }
    return current();
  }

  function signer() {
    if (!signing) throw new SignInError("signed-out");
    touch();
    return signing;
  }

  /** An EIP-712 signature of `message` (types without EIP712Domain), by the signed-in account. */
  async function signTypedData(domain, types, message) {
    return signer().signTypedData(domain, types, message);
  }

  /** An EIP-191 personal signature of `text`. */
  async function signMessage(text) {
    return signer().signMessage(text);
  }

  /** Drops the key (or the wallet's signer) from memory. */
  function forget(reason) {
    const had = Boolean(address);
    signing = null;
    address = null;
    kind = null;
    lastActivity = 0;
    forgottenBecause = reason || "signed-out";
    if (had) announce();
  }

  /** Milliseconds left before an idle key is forgotten; null when nobody is signed in. */
  function idleRemaining() {
    return address ? Math.max(0, lastActivity + IDLE_MS - Date.now()) : null;
  }

  function onChange(callback) {
    window.addEventListener(CHANGED, (event) => callback(event.detail));
  }

  for (const activity of ["keydown", "pointerdown"]) document.addEventListener(activity, touch, { passive: true, capture: true });
  setInterval(() => {
    if (address && Date.now() - lastActivity >= IDLE_MS) forget("idle");
  }, 5000);
  window.addEventListener("pagehide", () => forget("closed"));

  workspace.signer = {
    current,
    openKeystore,
    hasBrowserWallet,
    useBrowserWallet,
    signTypedData,
    signMessage,
    forget,
    idleRemaining,
    forgottenBecause: () => forgottenBecause,
    onChange,
    SignInError,
    EVENT: CHANGED,
  };
})();
