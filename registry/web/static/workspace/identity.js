// Who the signed-in account is in the registry, from the API: the roles it holds
// (GET /api/v1/members?account=&active=true) and the company it is bound to
// (GET /api/v1/members/companies?account=&active=true). Heard through "rnd-workspace:identity" (detail:
// {address, roles, companyId} or null) or identity.onChange(callback); identity.current() says it now.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const CHANGED = "rnd-workspace:identity";
  let known = null;
  let asked = 0;

  async function lookUp(address) {
    const ticket = ++asked;
    const account = encodeURIComponent(address);
    const [roles, bindings] = await Promise.all([
      workspace.api.getAll(workspace.data.urls.roles + "?active=true&account=" + account, 100),
      workspace.api.getAll(workspace.data.urls.companyAccounts + "?active=true&account=" + account, 10),
    ]);
    if (ticket !== asked) return; // signed out or another account meanwhile
    known = {
      address,
      roles: (roles || []).map((member) => member.role).filter(Boolean),
      companyId: bindings && bindings.length ? bindings[0].companyId : null,
      complete: roles !== null && bindings !== null,
    };
    window.dispatchEvent(new CustomEvent(CHANGED, { detail: known }));
  }

  workspace.signer.onChange((now) => {
    known = null;
    asked++;
    window.dispatchEvent(new CustomEvent(CHANGED, { detail: null }));
    if (now) lookUp(now.address);
  });

  workspace.identity = {
    current: () => known,
    refresh: () => workspace.signer.current() && lookUp(workspace.signer.current().address),
    onChange: (callback) => window.addEventListener(CHANGED, (event) => callback(event.detail)),
    EVENT: CHANGED,
  };
})();
