// The workspace's first page: once the account is known, a link to each role page it may use.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { el, say } = workspace;
  const links = document.getElementById("role-page-links");
  const hint = document.getElementById("role-pages-hint");
  const pages = workspace.data.rolePages;

  workspace.identity.onChange((who) => {
    links.replaceChildren();
    if (!who) {
      hint.textContent = say(workspace.signer.current() ? "identity.looking" : "roles.sign_in_first");
      return;
    }
    const mine = [];
    if (who.companyId) mine.push("company");
    for (const role of ["auditor", "admin"]) if (who.roles.includes(role)) mine.push(role);
    hint.textContent = mine.length ? say("roles.yours") : say("roles.none");
    for (const role of mine) {
      links.append(el("li", {}, el("a", { href: pages[role] }, say("roles.page_" + role))));
    }
  });
})();
