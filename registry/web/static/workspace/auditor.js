// The auditor's page (/workspace/auditor): a row's button fills the form below with its record; each form is
// checked against the registry's copy before anything is signed (the milestone must be submitted, a
// rejection or a dispute needs its reason, a clawback no more than the grant), a typed note is published as
// a document first and its SHA-256 sent on chain, as `rnd-registry milestone reject --reason-text` does.
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
    const fill = { project: button.dataset.project, milestone: button.dataset.milestone, report: button.dataset.report };
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
    if (clawback.won > BigInt(found.amount)) {
      return writes.refuse(form, clawbackField, say("auditor.clawback_over_grant", {
        project, grant: workspace.won(found.amount),
      }));
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

  const handlers = {
    "milestone-review": reviewMilestone,
    "report-review": reviewReport,
    evaluation: (form) => recordEvaluation(form),
  };

  for (const [id, handle] of Object.entries(handlers)) {
    const form = document.getElementById(id);
    if (form) writes.onSubmit(form, handle);
  }
  writes.explainAmounts(document);
})();
