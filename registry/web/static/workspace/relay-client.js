// Every write of the workspace: a registry call encoded here (ethers.Interface over the contracts' ABIs,
// /workspace/contracts.json), wrapped in an EIP-712 ForwardRequest for the relay's forwarder (domain, types,
// targets and the signer's next nonce from GET /api/v1/relay/status), shown to the person, signed in this
// page, and sent to POST /api/v1/relay. Only the signed request leaves the page, never the key.
//
// relay.send({contract, fn, args, gas?, summary?, details?}) answers
//   {ok: true, relayed, record}  the relay's answer, and the record as the API serves it once its copy has
//                                indexed the relayed block (null if not within recordWaitSeconds), or
//   {ok: false, status, reason, message, registryError}  nothing was recorded, and why in the page's language.
// One request at a time per page: a second send waits for the first, so nonces never collide.
// relay.view(contract, fn, args) asks a view of the registry's node (eth_call), for what the copy lacks.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { data, say, api } = workspace;
  let contracts = null;
  let queue = Promise.resolve();

  function refusal(status, reason, message, registryError) {
    return { ok: false, status, reason, message, registryError: registryError || null };
  }

  async function loadContracts() {
    if (contracts) return contracts;
    const answer = await api.get(data.urls.contracts);
    if (!answer.ok) return null;
    const found = {};
    for (const [name, contract] of Object.entries(answer.body.contracts)) {
      found[name] = { address: ethers.getAddress(contract.address), iface: new ethers.Interface(contract.abi) };
    }
    contracts = found;
    return found;
  }

  function utcMinute(seconds) {
    return new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  /** The relay's refusal of a POST, as this module answers it. */
  function refusedBy(answer) {
    const error = (answer.body && answer.body.error) || {};
    return refusal(answer.status, error.reason || "failed", error.message || say("relay.failed", { status: answer.status }),
      error.registryError);
  }

  async function sendNow(request) {
    const who = workspace.signer.current();
    if (!who) return refusal(0, "signed-out", say("signer.signed_out"));
    const known = await loadContracts();
    if (!known) return refusal(503, "no-registry", say("relay.no_registry"));
    const contract = known[request.contract];
    if (!contract) return refusal(0, "unknown-target", say("relay.unknown_contract", { contract: request.contract }));

    let callData;
    let fragment;
    try {
      fragment = contract.iface.getFunction(request.fn);
      callData = contract.iface.encodeFunctionData(fragment, request.args);
    } catch (error) {
      return refusal(0, "bad-arguments", say("relay.bad_arguments", { fn: request.fn, problem: error.shortMessage || error.message }));
    }

    const status = await api.get(data.urls.relayStatus + "?signer=" + encodeURIComponent(who.address));
    if (!status.ok) return refusal(status.status, "relay-unreachable", say("relay.unreachable"));
    const relay = status.body;
    if (!relay.enabled) return refusal(503, "relay-off", relay.message || say("relay.off"));
    if (!relay.targets.some((target) => ethers.getAddress(target) === contract.address)) {
      return refusal(403, "unknown-target", say("relay.unknown_contract", { contract: request.contract }));
    }

    const now = relay.chainTime || Math.floor(Date.now() / 1000);
    const deadline = now + data.requestValidSeconds;
    const domain = {
      name: relay.domain.name,
      version: relay.domain.version,
      chainId: relay.domain.chainId,
      verifyingContract: relay.domain.verifyingContract,
    };
    const message = {
      from: who.address,
      to: contract.address,
      value: 0,
      gas: request.gas || data.defaultGas,
      nonce: relay.nextNonce,
      deadline,
      data: callData,
    };

    const confirmed = await workspace.confirm.ask({
      summary: request.summary || request.fn,
      details: request.details,
      contract: request.contract,
      address: contract.address,
      fragment,
      decoded: contract.iface.decodeFunctionData(fragment, callData),
      signer: who.address,
      validUntil: utcMinute(deadline),
    });
    if (!confirmed) return refusal(0, "declined", say("relay.declined"));

    let signature;
    try {
      signature = await workspace.signer.signTypedData(domain, relay.types, message);
    } catch (error) {
      if (error instanceof workspace.signer.SignInError) return refusal(0, error.reason, error.message);
      return refusal(0, "not-signed", say("relay.not_signed"));
    }
    // The signer may have changed while the dialog was open: never send a request in another's name.
    const still = workspace.signer.current();
    if (!still || still.address !== who.address) return refusal(0, "signed-out", say("signer.signed_out"));

    // `beforeSend` (publishing a note whose hash the call carries, say) runs only once the relay has checked
    // the signed request and would send it: a request the registry refuses leaves nothing public behind it.
    if (request.beforeSend) {
      const checked = await api.post(data.urls.relayCheck, { ...message, signature });
      if (!checked.ok) return refusedBy(checked);
      const ready = await request.beforeSend();
      if (!ready || !ready.ok) return refusal(0, "not-published", (ready && ready.message) || say("relay.declined"));
    }

    const sent = await api.post(data.urls.relay, { ...message, signature });
    if (!sent.ok) return refusedBy(sent);
    const relayed = sent.body;
    const record = relayed.record
      ? await api.waitForRecord(relayed.record.url, data.recordWaitSeconds, relayed.blockNumber)
      : null;
    return { ok: true, relayed, record };
  }

  /** A contract's view asked of the registry's node (`eth_call` at the latest block): the decoded answer
   * (one value, or the result's list when the view returns several), or throws saying why. Reads what the
   * SQL copy may not have yet (a company's name, a decision's window, a sanction's confirmations). */
  async function view(contractName, fn, args) {
    const known = await loadContracts();
    if (!known || !known[contractName]) throw new Error(say("relay.no_registry"));
    const { address, iface } = known[contractName];
    const response = await fetch(data.urls.rpc, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: address, data: iface.encodeFunctionData(fn, args) }, "latest"] }),
    });
    const answer = await response.json();
    if (answer.error) {
      const raw = answer.error.data && (answer.error.data.data || answer.error.data);
      const parsed = typeof raw === "string" && raw.startsWith("0x") ? iface.parseError(raw) : null;
      throw Object.assign(new Error(parsed ? parsed.name : answer.error.message), { registryError: parsed });
    }
    const decoded = iface.decodeFunctionResult(fn, answer.result);
    return decoded.length === 1 ? decoded[0] : decoded;
  }

  /** Sends `request` once the page's previous one is done (see the top of this file). */
  function send(request) {
    const turn = queue.then(() => sendNow(request)).catch((error) => refusal(0, "failed", say("relay.failed_page", { problem: String(error && error.message) })));
    queue = turn;
    return turn;
  }

  workspace.relay = { send, view, contracts: loadContracts };
})();
