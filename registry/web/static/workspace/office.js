// The program office's page (/workspace/office): each form is checked against the registry's rules with
// the copy's current figures before anything is signed (the contracts' own checks, stated in one sentence
// when they refuse: a cap within the budget, a grant within the cap and the program's remaining budget, a
// project that ends after it starts, tranches within the grant, one company per account, no company account
// with a privileged role, a company's name for its first binding), then signed in this page and sent through
// the relay. A program opens with its rules (follow-up years, objection window, sanction limits), a project is
// registered with its targets; a company's current name is read from the chain (companyName) as it is typed.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const writes = workspace.roleWrites;
  const { say } = writes;
  const page = workspace.data.page;
  const ZERO = "0x" + "00".repeat(32);
  const PRIVILEGED = ["top-admin", "admin", "auditor", "module"];

  function address(form, field) {
    const text = field.value.trim();
    if (!ethers.isAddress(text)) return writes.refuse(form, field, say("office.bad_account", { text }));
    return ethers.getAddress(text);
  }

  async function activeRoles(account) {
    const found = await workspace.api.getAll(`/api/v1/members?account=${account}&active=true`, 50);
    return (found || []).map((member) => member.role).filter(Boolean);
  }

  async function boundCompany(account) {
    const found = await workspace.api.getAll(`/api/v1/members/companies?account=${account}&active=true`, 5);
    const bound = (found || []).find((binding) => binding.account === account && binding.active);
    return bound ? bound.companyId : null;
  }

  // The ranges registry/domain/records.py's ProgramRules takes (the contract asks at least one follow-up year
  // and one day to object), and ProjectTargets' (counts of uint16 and uint32).
  const RULES = {
    followUp: { least: 1, most: 20 },
    objectionDays: { least: 1, most: 365 },
    maxRestrictionDays: { least: 0, most: 20 * 366 },
    maxClawbackPercent: { least: 0, most: 1000 },
  };
  const UINT16_MAX = 65535;
  const UINT32_MAX = 4294967295;
  const NAME_MAX_BYTES = 200;

  /** A whole number typed in `field` within [least, most] (commas allowed), or a refusal saying the range. */
  function count(form, field, least, most) {
    const text = field.value.trim().replace(/,/g, "");
    const value = /^[0-9]{1,10}$/.test(text) ? Number(text) : NaN;
    if (!(value >= least && value <= most)) {
      return writes.refuse(form, field, say("office.bad_count", { text: field.value.trim(), least, most: most.toLocaleString("en-US") }));
    }
    return value;
  }

  /** The company name typed (상호) without spaces around, or null with the rule said (at most 200 bytes). */
  function companyNameOf(form, field, required) {
    const text = field.value.trim();
    if (!text && required) return writes.refuse(form, field, say("office.company_name_missing"));
    if (new TextEncoder().encode(text).length > NAME_MAX_BYTES) {
      return writes.refuse(form, field, say("office.company_name_too_long", { most: NAME_MAX_BYTES }));
    }
    return text;
  }

  /** The company's public name on chain (`companyName`, asked of the node), "" when it has none, or null
   * when the node could not be asked. */
  async function currentName(companyId) {
    try {
      return String(await workspace.relay.view("GrantRegistry", "companyName", [companyId]));
    } catch (error) {
      return null;
    }
  }

  async function openProgram(form) {
    const { name, year, budget, cap, field, url, followUp, objectionDays, maxRestrictionDays, maxClawbackPercent } = form.elements;
    if (!name.value.trim()) return writes.refuse(form, name, say("office.name_missing"));
    const chosenYear = writes.wholeNumber(year.value);
    const [first, last] = page.years;
    if (chosenYear === null || chosenYear < first || chosenYear > last) {
      return writes.refuse(form, year, say("office.bad_year", { first, last }));
    }
    const total = writes.amount(form, budget);
    if (total === null) return null;
    const perProject = writes.amount(form, cap);
    if (perProject === null) return null;
    if (perProject.won === 0n || perProject.won > total.won) {
      return writes.refuse(form, cap, say("office.cap_rule", { cap: workspace.won(perProject.won), budget: workspace.won(total.won) }));
    }
    const rules = [];
    for (const [input, key] of [[followUp, "followUp"], [objectionDays, "objectionDays"], [maxRestrictionDays, "maxRestrictionDays"],
      [maxClawbackPercent, "maxClawbackPercent"]]) {
      const value = count(form, input, RULES[key].least, RULES[key].most);
      if (value === null) return null;
      rules.push(value);
    }
    if (!writes.signedIn(form)) return null;
    const terms = [name.value.trim(), chosenYear, total.won, perProject.won, field.value.trim(), ZERO, url.value.trim(), rules];
    return writes.send(form, {
      contract: "GrantRegistry",
      fn: "createProgram",
      args: [terms],
      summary: say("office.summary_open", { name: name.value.trim() }),
      details: [
        [say("office.name"), name.value.trim()], [say("office.year"), String(chosenYear)],
        [say("office.budget"), workspace.won(total.won)], [say("office.cap"), workspace.won(perProject.won)],
        [say("office.follow_up_years"), String(rules[0])], [say("office.objection_days"), String(rules[1])],
        [say("office.max_restriction_days"), String(rules[2])], [say("office.max_clawback_percent"), rules[3] + "%"],
      ],
    }, (relayed) => say("office.done_open", { name: name.value.trim(), id: eventArg(relayed, "ProgramCreated", "programId") }));
  }

  function eventArg(relayed, event, name) {
    const found = (relayed.events || []).find((e) => e.event === event);
    return found ? String(found.args[name]) : "?";
  }

  async function closeProgram(form) {
    const field = form.elements.program;
    const id = writes.wholeNumber(field.value);
    if (id === null) return writes.refuse(form, field, say("office.choose_program_first"));
    if (!writes.signedIn(form)) return null;
    const program = await writes.record(`/api/v1/programs/${id}`);
    if (!program) return writes.refuse(form, field, say("office.no_program", { program: id }));
    if (program.status !== "open") return writes.refuse(form, field, say("office.program_not_open", { program: id }));
    return writes.send(form, {
      contract: "GrantRegistry", fn: "closeProgram", args: [id],
      summary: say("office.summary_close", { program: id, name: program.name }),
      details: [[say("office.program"), `${id}. ${program.name}`]],
    }, () => say("office.done_close", { program: id }));
  }

  async function registerProject(form) {
    const { program, company, amount, start, end, papers, patents, sales, investment, jobs } = form.elements;
    const programId = writes.wholeNumber(program.value);
    if (programId === null) return writes.refuse(form, program, say("office.choose_program_first"));
    const companyId = writes.companyId(company.value);
    if (companyId === null) return writes.refuse(form, company, say("office.bad_business_number", { text: company.value.trim() }));
    const grant = writes.amount(form, amount);
    if (grant === null) return null;
    const first = writes.day(form, start);
    if (first === null) return null;
    const last = writes.day(form, end);
    if (last === null) return null;
    if (last <= first) return writes.refuse(form, end, say("office.period_rule"));
    const paperTarget = count(form, papers, 0, UINT16_MAX);
    if (paperTarget === null) return null;
    const patentTarget = count(form, patents, 0, UINT16_MAX);
    if (patentTarget === null) return null;
    const salesTarget = writes.amount(form, sales, { optional: true });
    if (salesTarget === null) return null;
    const investmentTarget = writes.amount(form, investment, { optional: true });
    if (investmentTarget === null) return null;
    const jobsTarget = count(form, jobs, 0, UINT32_MAX);
    if (jobsTarget === null) return null;
    const targets = [paperTarget, patentTarget, salesTarget.won, investmentTarget.won, jobsTarget];
    const found = await writes.record(`/api/v1/programs/${programId}`);
    if (!found) return writes.refuse(form, program, say("office.no_program", { program: programId }));
    if (found.status !== "open") return writes.refuse(form, program, say("office.program_not_open", { program: programId }));
    if (grant.won === 0n || grant.won > BigInt(found.perProjectCap)) {
      return writes.refuse(form, amount, say("office.cap_exceeded", { program: programId, cap: workspace.won(found.perProjectCap) }));
    }
    if (grant.won > BigInt(found.remaining)) {
      return writes.refuse(form, amount, say("office.budget_exceeded", {
        program: programId, remaining: workspace.won(found.remaining), amount: workspace.won(grant.won),
      }));
    }
    const restricted = await workspace.api.getAll(`/api/v1/members/restrictions?company=${companyId}&inForce=true`, 5);
    if (restricted && restricted.length) {
      return writes.refuse(form, company, say("office.company_restricted", {
        company: company.value.trim(), until: workspace.day(restricted[0].restrictedUntil),
      }));
    }
    if (!writes.signedIn(form)) return null;
    return writes.send(form, {
      contract: "GrantRegistry",
      fn: "registerProject",
      args: [[programId, companyId, grant.won, first, last, ZERO, targets]],
      summary: say("office.summary_register", { program: programId, amount: workspace.won(grant.won) }),
      details: [
        [say("office.program"), `${programId}. ${found.name}`], [say("office.business_number"), company.value.trim()],
        [say("office.company_id"), companyId], [say("office.amount"), workspace.won(grant.won)],
        [say("office.start"), workspace.day(first)], [say("office.end"), workspace.day(last)],
        [say("office.targets"), say("office.targets_shown", {
          papers: paperTarget, patents: patentTarget, sales: workspace.won(salesTarget.won),
          investment: workspace.won(investmentTarget.won), jobs: jobsTarget,
        })],
      ],
    }, (relayed) => say("office.done_register", { project: eventArg(relayed, "ProjectRegistered", "projectId"), program: programId }));
  }

  async function planMilestone(form) {
    const { project, due, tranche } = form.elements;
    const projectId = writes.wholeNumber(project.value);
    if (projectId === null) return writes.refuse(form, project, say("office.bad_project"));
    const dueDay = writes.day(form, due);
    if (dueDay === null) return null;
    if (dueDay <= 0) return writes.refuse(form, due, say("office.due_rule"));
    const payment = writes.amount(form, tranche);
    if (payment === null) return null;
    const found = await writes.record(`/api/v1/projects/${projectId}`);
    if (!found) return writes.refuse(form, project, say("office.no_project", { project: projectId }));
    if (found.status !== "active") {
      return writes.refuse(form, project, say("office.project_not_active", {
        project: projectId, status: workspace.enumLabel("project_status", found.status),
      }));
    }
    const left = BigInt(found.amount) - BigInt(found.plannedTranches);
    if (payment.won > left) {
      return writes.refuse(form, tranche, say("office.tranche_rule", { project: projectId, left: workspace.won(left) }));
    }
    if (!writes.signedIn(form)) return null;
    return writes.send(form, {
      contract: "GrantRegistry", fn: "planMilestone", args: [projectId, dueDay, payment.won, ZERO],
      summary: say("office.summary_plan", { project: projectId }),
      details: [[say("office.due"), workspace.day(dueDay)], [say("office.tranche"), workspace.won(payment.won)]],
    }, (relayed) => say("office.done_plan", { project: projectId, index: eventArg(relayed, "MilestonePlanned", "milestoneIndex") }));
  }

  async function changeBinding(form, change) {
    const { account, company, name } = form.elements;
    const who = address(form, account);
    if (who === null) return null;
    if (!writes.signedIn(form)) return null;
    const current = await boundCompany(who);
    if (change === "unbind") {
      if (!current) return writes.refuse(form, account, say("office.not_bound", { account: who }));
      return writes.send(form, {
        contract: "GrantRegistry", fn: "unbindCompanyAccount", args: [who],
        summary: say("office.summary_unbind", { account: who }), details: [[say("office.account"), who]],
      }, () => say("office.done_unbind", { account: who }));
    }
    const companyId = writes.companyId(company.value);
    if (companyId === null) return writes.refuse(form, company, say("office.bad_business_number", { text: company.value.trim() }));
    if (current) return writes.refuse(form, account, say("office.already_bound", { account: who, company: current }));
    const privileged = (await activeRoles(who)).filter((role) => PRIVILEGED.includes(role));
    if (privileged.length) {
      return writes.refuse(form, account, say("office.role_conflict", { account: who, role: workspace.enumLabel("role", privileged[0]) }));
    }
    const known = await currentName(companyId);
    if (known === null) return writes.refuse(form, company, say("office.name_unreadable"));
    const named = companyNameOf(form, name, !known);
    if (named === null) return null;
    // The name as it stands is sent as "" (kept): the registry records a change of name only for a new one.
    const sent = named === known ? "" : named;
    const shownName = sent || known;
    return writes.send(form, {
      contract: "GrantRegistry", fn: "bindCompanyAccount", args: [who, companyId, sent],
      summary: say("office.summary_bind", { account: who, company: company.value.trim() }),
      details: [
        [say("office.account"), who], [say("office.business_number"), company.value.trim()], [say("office.company_id"), companyId],
        [say("office.company_name"), known && sent ? say("office.name_change", { from: known, to: sent }) : shownName],
      ],
    }, () => say("office.done_bind", { account: who, company: company.value.trim(), name: shownName }));
  }

  async function renameCompany(form) {
    const { company, name } = form.elements;
    const companyId = writes.companyId(company.value);
    if (companyId === null) return writes.refuse(form, company, say("office.bad_business_number", { text: company.value.trim() }));
    const named = companyNameOf(form, name, true);
    if (named === null) return null;
    if (!writes.signedIn(form)) return null;
    const known = await currentName(companyId);
    if (known === null) return writes.refuse(form, company, say("office.name_unreadable"));
    if (known === named) return writes.refuse(form, name, say("office.name_unchanged", { name: named }));
    return writes.send(form, {
      contract: "GrantRegistry", fn: "renameCompany", args: [companyId, named],
      summary: say("office.summary_rename", { company: company.value.trim(), name: named }),
      details: [
        [say("office.business_number"), company.value.trim()], [say("office.company_id"), companyId],
        [say("office.company_name"), known ? say("office.name_change", { from: known, to: named }) : named],
      ],
    }, () => say("office.done_rename", { company: company.value.trim(), name: named }));
  }

  /** Shows the company's current name under a business number field once it is typed (companyName on chain),
   * so the office sees whether a first binding needs one. */
  function showCurrentName(input, shown) {
    let asked = 0;
    input.addEventListener("change", async () => {
      const ticket = ++asked;
      const companyId = writes.companyId(input.value);
      if (companyId === null) {
        shown.textContent = "";
        return;
      }
      const known = await currentName(companyId);
      if (ticket !== asked) return;
      shown.dataset.currentName = known || "";
      shown.textContent = known === null ? say("office.name_unreadable")
        : known ? say("office.current_name", { name: known }) : say("office.no_name_yet");
    });
  }

  async function changeRole(form, change) {
    const { account, role } = form.elements;
    const who = address(form, account);
    if (who === null) return null;
    const roleId = page.roles[role.value];
    if (!roleId) return writes.refuse(form, role, say("office.choose_role_first"));
    if (!writes.signedIn(form)) return null;
    const label = workspace.enumLabel("role", role.value);
    const holds = (await activeRoles(who)).includes(role.value);
    if (change === "grant") {
      if (holds) return writes.refuse(form, account, say("office.already_holds", { account: who, role: label }));
      if (role.value !== "member" && (await boundCompany(who))) {
        return writes.refuse(form, account, say("office.company_account_role", { account: who, role: label }));
      }
    } else if (!holds) {
      return writes.refuse(form, account, say("office.does_not_hold", { account: who, role: label }));
    }
    return writes.send(form, {
      contract: "GrantRegistry", fn: change === "grant" ? "grantRole" : "revokeRole", args: [roleId, who],
      summary: say(change === "grant" ? "office.summary_grant" : "office.summary_revoke", { account: who, role: label }),
      details: [[say("office.account"), who], [say("office.role"), label]],
    }, () => say(change === "grant" ? "office.done_grant" : "office.done_revoke", { account: who, role: label }));
  }

  const handlers = {
    "program-open": openProgram,
    "program-close": closeProgram,
    "project-register": registerProject,
    "milestone-plan": planMilestone,
    "account-bind": changeBinding,
    "company-rename": renameCompany,
    "role-change": changeRole,
  };

  for (const [id, handle] of Object.entries(handlers)) {
    const form = document.getElementById(id);
    if (form) writes.onSubmit(form, handle);
  }
  for (const [input, shown] of [["bind-company", "bind-company-current"], ["rename-company", "rename-company-current"]]) {
    const field = document.getElementById(input);
    if (field) showCurrentName(field, document.getElementById(shown));
  }
  writes.explainAmounts(document);
})();
