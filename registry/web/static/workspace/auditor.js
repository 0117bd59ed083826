// The auditor's page (/workspace/auditor): a row's button fills the form below with its record; each form is
// checked against the registry's copy before anything is signed (the milestone must be submitted, a
// rejection or a dispute needs its reason, a clawback and a restriction within the program's limits), a typed
// note is published as a document first and its SHA-256 sent on chain, as `rnd-registry milestone reject
// --reason-text` does. Sanctions and objections are read from the chain (sanctionOf, getObjection): a second
// auditor confirms a pending sanction (not their own), an auditor resolves an objection (not to their own
// decision); the page says why a button is absent.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const writes = workspace.roleWrites;
  const { say } = writes;
  const ZERO = "0x" + "00".repeat(32);
  const names = workspace.data.page.noteNames;

  function pick(button) {
    const form = document.getElementById(button.dataset.form);
    if (!form) return;
    writes.clear(form);
    const fill = {
      project: button.dataset.project, milestone: button.dataset.milestone, report: button.dataset.report,
      evaluation: button.dataset.evaluation, objection: button.dataset.objection,
    };
    for (const [name, value] of Object.entries(fill)) {
      if (value !== undefined && form.elements[name]) form.elements[name].value = value;
    }
    const next = form.querySelector("textarea, select");
    form.scrollIntoView({ block: "start" });
    if (next) next.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.pick");
    if (button) pick(button);
  });

  /** The note typed in `field`: its hash and a `beforeSend` that publishes it once the relay has checked the
   * request citing it (so a refused request leaves no public note); ZERO and nothing to publish when none was
   * typed. */
  async function noteOf(field, name) {
    const text = field.value.trim();
    if (!text) return { hash: ZERO, beforeSend: undefined };
    const note = await writes.noteDocument(text, name);
    return { hash: note.hash, beforeSend: note.publish };
  }

  async function reviewMilestone(form, decision) {
    const projectField = form.elements.project;
    const indexField = form.elements.milestone;
    const noteField = form.elements.note;
    const project = writes.wholeNumber(projectField.value);
    if (project === null) return writes.refuse(form, projectField, say("auditor.bad_project"));
    const index = writes.wholeNumber(indexField.value);
    if (index === null) return writes.refuse(form, indexField, say("auditor.bad_milestone"));
    if (decision === "reject" && !noteField.value.trim()) return writes.refuse(form, noteField, say("auditor.reject_needs_note"));
    if (!writes.signedIn(form)) return null;

    const milestone = await writes.record(`/api/v1/projects/${project}/milestones/${index}`);
    if (!milestone) return writes.refuse(form, indexField, say("auditor.no_milestone", { project, index }));
    if (milestone.status !== "submitted") {
      return writes.refuse(form, indexField, say("auditor.not_submitted", {
        project, index, status: workspace.enumLabel("milestone_status", milestone.status),
      }));
    }
    if (decision === "approve") {
      const found = await writes.record(`/api/v1/projects/${project}`);
      if (found && found.status !== "active") {
        return writes.refuse(form, projectField, say("auditor.project_not_active", {
          project, status: workspace.enumLabel("project_status", found.status),
        }));
      }
    }
    const { hash, beforeSend } = await noteOf(noteField, names[decision]);
    const summary = say(decision === "approve" ? "auditor.summary_approve" : "auditor.summary_reject", { project, index });
    return writes.send(form, {
      contract: "GrantRegistry",
      fn: decision === "approve" ? "approveMilestone" : "rejectMilestone",
      args: [project, index, hash],
      beforeSend,
      summary,
      details: [[say("auditor.note"), noteField.value.trim() || say("auditor.no_note")], [say("auditor.note_hash"), hash]],
    }, () => say(decision === "approve" ? "auditor.done_approve" : "auditor.done_reject", { project, index }));
  }

  async function reviewReport(form, decision) {
    const reportField = form.elements.report;
    const noteField = form.elements.note;
    const report = writes.wholeNumber(reportField.value);
    if (report === null) return writes.refuse(form, reportField, say("auditor.bad_report"));
    if (decision === "dispute" && !noteField.value.trim()) return writes.refuse(form, noteField, say("auditor.dispute_needs_note"));
    if (!writes.signedIn(form)) return null;
    const found = await writes.record(`/api/v1/commercialization-reports/${report}`);
    if (!found) return writes.refuse(form, reportField, say("auditor.no_report", { report }));
    const status = workspace.enumLabel("report_status", found.status);
    if (decision === "verify" && found.status !== "reported") {
      return writes.refuse(form, reportField, say("auditor.report_not_open", { report, status }));
    }
    if (decision === "dispute" && found.status === "disputed") {
      return writes.refuse(form, reportField, say("auditor.report_disputed", { report }));
    }
    const { hash, beforeSend } = await noteOf(noteField, names[decision]);
    return writes.send(form, {
      contract: "OutcomeRegistry",
      fn: decision === "verify" ? "verifyReport" : "disputeReport",
      args: [report, hash],
      beforeSend,
      summary: say(decision === "verify" ? "auditor.summary_verify" : "auditor.summary_dispute", { report }),
      details: [[say("auditor.note"), noteField.value.trim() || say("auditor.no_note")], [say("auditor.note_hash"), hash]],
    }, () => say(decision === "verify" ? "auditor.done_verify" : "auditor.done_dispute", { report }));
  }

  async function recordEvaluation(form) {
    const projectField = form.elements.project;
    const gradeField = form.elements.grade;
    const findingsField = form.elements.findings;
    const clawbackField = form.elements.clawback;
    const untilField = form.elements.until;
    const project = writes.wholeNumber(projectField.value);
    if (project === null) return writes.refuse(form, projectField, say("auditor.bad_project"));
    const grade = Number(gradeField.value);
    if (!workspace.data.page.grades.includes(grade)) return writes.refuse(form, gradeField, say("auditor.grade_missing"));
    if (!findingsField.value.trim()) return writes.refuse(form, findingsField, say("auditor.findings_missing"));
    const clawback = writes.amount(form, clawbackField, { optional: true });
    if (clawback === null) return null;
    let until = 0;
    if (untilField.value.trim()) {
      until = writes.day(form, untilField);
      if (until === null) return null;
    }
    if (!writes.signedIn(form)) return null;
    const found = await writes.record(`/api/v1/projects/${project}`);
    if (!found) return writes.refuse(form, projectField, say("auditor.no_project", { project }));
    // The program's limits (rulesOf), as recordAudit checks them: a clawback within the largest percentage of
    // the grant, a restriction ending within the longest number of days from now (the chain's clock).
    const rules = await writes.view("GrantRegistry", "rulesOf", [found.programId]);
    if (rules === null) return writes.refuse(form, null, say("auditor.rules_unreadable"));
    const percent = BigInt(rules.maxClawbackPercent);
    const limit = (BigInt(found.amount) * percent) / 100n;
    if (clawback.won > limit) {
      return writes.refuse(form, clawbackField, say("auditor.clawback_above_limit", {
        project, percent: String(percent), grant: workspace.won(found.amount), limit: workspace.won(limit),
      }));
    }
    if (until) {
      const longest = Number(rules.maxRestrictionDays);
      const latest = (await writes.chainNow()) + longest * 86400;
      if (until > latest) {
        return writes.refuse(form, untilField, say("auditor.restriction_above_limit", { days: longest, latest: workspace.day(latest) }));
      }
    }
    if (clawback.won > 0n && found.status === "clawed-back") {
      return writes.refuse(form, clawbackField, say("auditor.clawed_back_already", { project }));
    }
    const findings = await writes.noteDocument(findingsField.value.trim(), names.findings);
    const gradeLabel = gradeField.options[gradeField.selectedIndex].text;
    return writes.send(form, {
      contract: "GrantRegistry",
      fn: "recordAudit",
      args: [project, [grade, findings.hash, clawback.won, until]],
      beforeSend: findings.publish,
      summary: say("auditor.summary_evaluation", { project }),
      details: [
        [say("auditor.grade"), gradeLabel],
        [say("auditor.clawback"), workspace.won(clawback.won)],
        [say("auditor.restrict_until"), until ? workspace.day(until) : say("auditor.no_restriction")],
        [say("auditor.findings"), findingsField.value.trim()],
      ],
    }, () => say("auditor.done_evaluation", { project }));
  }

  // ---- sanctions a second auditor confirms -----------------------------------------------------------

  // SanctionStatus and ObjectionStatus on chain (registry/domain/enums.py), by their API names.
  const SANCTION_STATUS = ["none", "pending", "in-effect", "cancelled"];
  const OBJECTION_STATUS = ["none", "open", "upheld", "dismissed"];
  const SUBJECT = { 1: "milestone-rejection", 2: "report-dispute", 3: "evaluation" };
  const { el } = workspace;

  function me() {
    const who = workspace.signer.current();
    return who ? who.address.toLowerCase() : null;
  }

  /** What the chain says of evaluation `auditId`'s sanction: {status, confirmations, quorum, heldBy}, or null. */
  async function sanctionState(auditId) {
    const [sanction, quorum, heldBy] = await Promise.all([
      writes.view("GrantRegistry", "sanctionOf", [auditId]),
      writes.view("GrantRegistry", "sanctionQuorum", []),
      writes.view("GrantRegistry", "sanctionHoldOf", [auditId]),
    ]);
    if (sanction === null || quorum === null || heldBy === null) return null;
    return {
      status: SANCTION_STATUS[Number(sanction.status)] || "none",
      confirmations: Number(sanction.confirmations),
      quorum: Number(quorum),
      heldBy: Number(heldBy),
    };
  }

  function sanctionWords(state) {
    if (state.status === "pending") {
      const counted = say("auditor.sanction_pending", { confirmations: state.confirmations, quorum: state.quorum });
      return state.heldBy ? counted + " " + say("auditor.sanction_held", { objection: state.heldBy }) : counted;
    }
    return workspace.enumLabel("sanction_status", state.status);
  }

  /** Why the signed-in person has no confirm button on this row, or null when they may confirm. */
  function noConfirmReason(state, recordedBy) {
    if (state.status !== "pending") return say("auditor.sanction_not_pending");
    if (state.heldBy) return say("auditor.sanction_held_reason", { objection: state.heldBy });
    const who = me();
    if (!who) return say("auditor.sign_in_to_confirm");
    if (recordedBy.toLowerCase() === who) return say("auditor.sanction_own");
    return null;
  }

  async function showSanctions() {
    for (const row of document.querySelectorAll("tr[data-sanction]")) {
      const auditId = Number(row.dataset.sanction);
      const stateCell = row.querySelector("[data-sanction-state]");
      const actionCell = row.querySelector("[data-sanction-action]");
      const state = await sanctionState(auditId);
      if (state === null) {
        stateCell.textContent = say("auditor.sanction_unreadable");
        actionCell.replaceChildren();
        continue;
      }
      row.dataset.sanctionStatus = state.status;
      row.dataset.confirmations = String(state.confirmations);
      stateCell.textContent = sanctionWords(state);
      const reason = noConfirmReason(state, row.dataset.recordedBy);
      actionCell.replaceChildren(reason
        ? el("span", { class: "aside", "data-no-confirm": "" }, reason)
        : el("button", { type: "button", class: "pick", "data-form": "sanction-confirm", "data-evaluation": String(auditId) },
          say("auditor.confirm_evaluation", { id: auditId })));
    }
  }

  async function confirmSanction(form) {
    const field = form.elements.evaluation;
    const auditId = writes.wholeNumber(field.value);
    if (auditId === null) return writes.refuse(form, field, say("auditor.bad_evaluation"));
    if (!writes.signedIn(form)) return null;
    const audit = await writes.view("GrantRegistry", "getAudit", [auditId]);
    if (audit === null) return writes.refuse(form, field, say("auditor.no_evaluation", { id: auditId }));
    const state = await sanctionState(auditId);
    if (state === null) return writes.refuse(form, null, say("auditor.sanction_unreadable"));
    if (state.status !== "pending") {
      return writes.refuse(form, field, say("auditor.confirm_not_pending", { id: auditId, status: workspace.enumLabel("sanction_status", state.status) }));
    }
    if (state.heldBy) return writes.refuse(form, field, say("auditor.sanction_held_reason", { objection: state.heldBy }));
    if (String(audit.auditor).toLowerCase() === me()) return writes.refuse(form, field, say("auditor.sanction_own"));
    return writes.send(form, {
      contract: "GrantRegistry", fn: "confirmSanction", args: [auditId],
      summary: say("auditor.summary_confirm", { id: auditId }),
      details: [
        [say("auditor.col_evaluation"), String(auditId)],
        [say("auditor.clawback"), workspace.won(audit.clawbackAmount)],
        [say("auditor.restrict_until"), Number(audit.restrictedUntil) ? workspace.day(Number(audit.restrictedUntil)) : say("auditor.no_restriction")],
        [say("auditor.col_sanction"), sanctionWords(state)],
      ],
    }, () => say(state.confirmations + 1 >= state.quorum ? "auditor.done_confirm_in_effect" : "auditor.done_confirm", {
      id: auditId, confirmations: state.confirmations + 1, quorum: state.quorum,
    }));
  }

  // ---- objections an auditor resolves ----------------------------------------------------------------

  //: The most recent objections the page asks the chain for.
  const OBJECTIONS_SHOWN = 100;

  function contested(objection) {
    const subject = SUBJECT[Number(objection.subject)];
    const id = Number(objection.subjectId);
    if (subject === "milestone-rejection") {
      const index = Number(objection.milestoneIndex);
      return el("a", { href: `/projects/${id}/milestones/${index}` }, say("auditor.contested_milestone", { project: id, index }));
    }
    if (subject === "report-dispute") return el("a", { href: `/reports/${id}` }, say("auditor.contested_report", { report: id }));
    return el("a", { href: `/evaluations/${id}` }, say("auditor.contested_evaluation", { id }));
  }

  async function showObjections() {
    const box = document.getElementById("objections-list");
    if (!box) return;
    const count = await writes.view("OutcomeRegistry", "objectionCount", []);
    if (count === null) {
      box.replaceChildren(el("p", { class: "status-error" }, say("auditor.objections_unreadable")));
      return;
    }
    const open = [];
    for (let id = Number(count); id >= 1 && id > Number(count) - OBJECTIONS_SHOWN; id -= 1) {
      const objection = await writes.view("OutcomeRegistry", "getObjection", [id]);
      if (objection && OBJECTION_STATUS[Number(objection.status)] === "open") open.push([id, objection]);
    }
    if (!open.length) {
      box.replaceChildren(el("p", {}, say("auditor.no_objections")));
      return;
    }
    const who = me();
    const rows = open.map(([id, o]) => {
      const own = who && String(o.decidedBy).toLowerCase() === who;
      const action = !who ? el("span", { class: "aside" }, say("auditor.sign_in_to_resolve"))
        : own ? el("span", { class: "aside", "data-no-resolve": "" }, say("auditor.objection_own"))
          : el("button", { type: "button", class: "pick", "data-form": "objection-resolve", "data-objection": String(id) }, say("auditor.resolve_objection", { id }));
      return el("tr", { "data-objection": String(id), "data-project": String(o.projectId) },
        el("th", { scope: "row" }, say("auditor.objection_name", { id })),
        el("td", {}, contested(o)),
        el("td", {}, el("a", { href: `/projects/${o.projectId}` }, say("auditor.project_name", { id: Number(o.projectId) }))),
        el("td", {}, workspace.day(Number(o.filedAt))),
        el("td", {}, el("code", { class: "address" }, String(o.decidedBy))),
        el("td", {}, action));
    });
    const headings = ["auditor.col_objection", "auditor.col_contested", "auditor.col_project", "auditor.col_filed", "auditor.col_decided_by", "auditor.col_action"];
    box.replaceChildren(el("div", { class: "table-scroll", role: "region", tabindex: "0", "aria-label": say("auditor.objections_table") },
      el("table", { "data-list": "objections" },
        el("thead", {}, el("tr", {}, headings.map((key) => el("th", { scope: "col" }, say(key))))),
        el("tbody", {}, rows))));
  }

  async function resolveObjection(form, decision) {
    const field = form.elements.objection;
    const noteField = form.elements.note;
    const objectionId = writes.wholeNumber(field.value);
    if (objectionId === null) return writes.refuse(form, field, say("auditor.bad_objection"));
    if (!noteField.value.trim()) return writes.refuse(form, noteField, say("auditor.resolve_needs_reason"));
    if (!writes.signedIn(form)) return null;
    const count = await writes.view("OutcomeRegistry", "objectionCount", []);
    if (count === null) return writes.refuse(form, null, say("auditor.objections_unreadable"));
    if (objectionId > Number(count)) return writes.refuse(form, field, say("auditor.no_objection", { id: objectionId }));
    const objection = await writes.view("OutcomeRegistry", "getObjection", [objectionId]);
    if (objection === null) return writes.refuse(form, null, say("auditor.objections_unreadable"));
    const status = OBJECTION_STATUS[Number(objection.status)];
    if (status !== "open") {
      return writes.refuse(form, field, say("auditor.objection_not_open", { id: objectionId, status: workspace.enumLabel("objection_status", status) }));
    }
    if (String(objection.decidedBy).toLowerCase() === me()) return writes.refuse(form, field, say("auditor.objection_own"));
    const note = await writes.noteDocument(noteField.value.trim(), names[decision]);
    const upheld = decision === "uphold";
    return writes.send(form, {
      contract: "OutcomeRegistry", fn: "resolveObjection", args: [objectionId, upheld, note.hash],
      beforeSend: note.publish,
      summary: say(upheld ? "auditor.summary_uphold" : "auditor.summary_dismiss", { id: objectionId }),
      details: [
        [say("auditor.col_contested"), contested(objection).textContent],
        [say("auditor.resolve_reason"), noteField.value.trim()], [say("auditor.note_hash"), note.hash],
      ],
    }, () => say(upheld ? "auditor.done_uphold" : "auditor.done_dismiss", { id: objectionId }));
  }

  /** The parts read from the chain, asked again after each write and whenever someone signs in or out; one
   * reading at a time, in turn, so that the last asked is the one shown (a sign-in during the page's first
   * reading is not overwritten by it). */
  let chainReading = Promise.resolve();
  function showChainParts() {
    chainReading = chainReading.then(async () => {
      await showSanctions();
      await showObjections();
    }).catch(() => undefined);
    return chainReading;
  }

  const handlers = {
    "milestone-review": reviewMilestone,
    "report-review": reviewReport,
    evaluation: (form) => recordEvaluation(form),
    "sanction-confirm": confirmSanction,
    "objection-resolve": resolveObjection,
  };

  for (const [id, handle] of Object.entries(handlers)) {
    const form = document.getElementById(id);
    if (form) {
      writes.onSubmit(form, async (submitted, choice) => {
        const result = await handle(submitted, choice);
        if (result && result.ok) await showChainParts();
        return result;
      });
    }
  }
  workspace.signer.onChange(() => showChainParts());
  showChainParts().then(() => {
    document.body.dataset.chainParts = String(Number(document.body.dataset.chainParts || 0) + 1);
  });
  writes.explainAmounts(document);
})();
