// The company clerk's page (/workspace/company): the company's projects and what is due (the agenda, from
// /workspace/company/agenda.json: milestones marked overdue by registry/domain/deadlines.py, the auditor's
// reason for a rejection, commercialization years not reported), and the clerk's writes, each sent through
// the relay (relay-client.js): submit or resubmit a milestone with evidence files, add an outcome, update an
// IP status, report commercialization openly or committed hidden (the salt offered as the CLI's reveal file)
// and disclose it later, object to a rejection, a dispute or an evaluation within its window (decisionOf,
// asked of the chain, gives the deadline). Files are hashed here; one is uploaded only when the clerk ticks "public".
// A refusal changes nothing and is said in the page's language; the chain's check (the relay's eth_call) is
// the final word after the checks made here.
"use strict";

(function () {
  const workspace = window.RndWorkspace;
  const { el, say, enumLabel, won, day, tell, api, relay, evidence, signer, identity, data } = workspace;
  const choices = data.choices;
  const REVEAL_FORMAT = "rnd-registry-commercialization-reveal/1";
  const UINT32_MAX = 4294967295;

  const statusBox = document.getElementById("clerk-status");
  const resultBox = document.getElementById("clerk-result");
  const agendaHint = document.getElementById("agenda-hint");
  const agendaBox = document.getElementById("agenda-projects");
  const forms = document.getElementById("clerk-forms");
  const milestoneChoice = document.getElementById("submit-milestone");
  const rejectionBox = document.getElementById("submit-rejection");
  const filesInput = document.getElementById("submit-files");
  const fileList = document.getElementById("submit-file-list");
  const fileItems = document.getElementById("submit-file-items");

  let agenda = null;
  let busy = false;

  // ---- the checks made before signing ---------------------------------------------------------------

  class FormProblem extends Error {
    constructor(input, message) {
      super(message);
      this.input = input;
    }
  }

  function problem(input, key, values) {
    return new FormProblem(input, say(key, values));
  }

  /** Whole won from what the clerk typed (100,000,000 · 1억 · 3.5억 · 4천만), read by forms.js exactly as the
   * command line reads it: {ok, won, understood} or {ok: false, message}. */
  function parseWon(text) {
    return workspace.forms.parseWon(text);
  }

  function wonField(name) {
    const input = document.getElementById("report-" + name);
    const parsed = parseWon(input.value);
    if (!parsed.ok) throw new FormProblem(input, parsed.message);
    return parsed.won;
  }

  function integerField(input, least, most, key) {
    const text = input.value.trim().replace(/,/g, "");
    if (!/^\d+$/.test(text) || Number(text) < least || Number(text) > most) throw problem(input, key, { value: input.value, least, most });
    return Number(text);
  }

  function evidenceField(prefix) {
    const input = document.getElementById(prefix + "-evidence");
    const file = input.files && input.files[0];
    if (!file) throw problem(input, "company.no_evidence");
    return { file, public: document.getElementById(prefix + "-public").checked };
  }

  function showUnderstood(name) {
    const input = document.getElementById("report-" + name);
    const box = document.getElementById("report-" + name + "-understood");
    const parsed = parseWon(input.value);
    input.setAttribute("aria-invalid", parsed.ok ? "false" : "true");
    box.textContent = parsed.ok ? parsed.understood : parsed.message;
    box.classList.toggle("field-error", !parsed.ok);
  }

  for (const name of ["sales", "investment", "royalties"]) {
    document.getElementById("report-" + name).addEventListener("input", () => showUnderstood(name));
    showUnderstood(name);
  }

  // ---- the agenda -----------------------------------------------------------------------------------

  function projectLabel(entry) {
    const project = entry.project;
    return say("company.project_option", { project: project.projectId, program: entry.programName || "—" });
  }

  function milestoneRow(milestone) {
    const status = enumLabel("milestone_status", milestone.status);
    const state = milestone.overdue ? el("span", { class: "due-overdue" }, say("company.overdue")) : "";
    return el("tr", { "data-milestone": milestone.projectId + ":" + milestone.milestoneIndex, "data-status": milestone.status },
      el("td", {}, String(milestone.milestoneIndex)),
      el("td", {}, day(milestone.dueDate)),
      el("td", {}, won(milestone.tranche)),
      el("td", {}, status, " ", state),
      el("td", {}, String(milestone.attempts)),
      el("td", {}, el("a", { href: "/projects/" + milestone.projectId + "/milestones/" + milestone.milestoneIndex }, say("company.record_link"))));
  }

  function projectSection(entry) {
    const project = entry.project;
    const heading = el("h3", { id: "project-" + project.projectId }, projectLabel(entry), " · ", enumLabel("project_status", project.status));
    const facts = el("p", {}, say("company.project_facts", { start: day(project.startDate), end: day(project.endDate), amount: won(project.amount) }));
    const parts = [heading, facts];
    if (entry.milestones.length) {
      parts.push(el("table", { class: "agenda-milestones" },
        el("caption", {}, say("company.milestones_caption", { project: project.projectId })),
        el("thead", {}, el("tr", {}, ...["company.col_index", "company.col_due", "company.col_tranche", "company.col_status", "company.col_attempts", "company.col_record"].map((key) => el("th", { scope: "col" }, say(key))))),
        el("tbody", {}, entry.milestones.map(milestoneRow))));
    } else {
      parts.push(el("p", { class: "aside" }, say("company.no_milestones")));
    }
    if (entry.outcomes.length) {
      parts.push(el("p", {}, say("company.outcomes"), " ", entry.outcomes.map((o) =>
        "#" + o.outcomeId + " " + enumLabel("outcome_type", o.outcomeType) + (o.externalId ? " " + o.externalId : "") +
        (o.ipStatus !== "none" ? " (" + enumLabel("ip_status", o.ipStatus) + ")" : "") + (o.revoked ? " — " + say("company.revoked") : "")).join(" · ")));
    }
    if (entry.reports.length) {
      parts.push(el("p", {}, say("company.reports"), " ", entry.reports.map((r) => r.year + ": " + enumLabel("report_status", r.status)).join(" · ")));
    }
    if (entry.reportYearsDue.length) {
      parts.push(el("p", { class: "due-overdue", "data-report-years-due": entry.reportYearsDue.join(",") }, say("company.reports_due", { years: entry.reportYearsDue.join(", ") })));
    }
    return el("section", { class: "agenda-project", "aria-labelledby": "project-" + project.projectId, "data-project": project.projectId }, ...parts);
  }

  function fill(select, options, keep) {
    const before = keep ? select.value : null;
    select.replaceChildren(...options.map(([value, label]) => el("option", { value }, label)));
    if (before && options.some(([value]) => value === before)) select.value = before;
  }

  function fillForms() {
    const projects = agenda.projects;
    const projectOptions = projects.map((entry) => [String(entry.project.projectId), projectLabel(entry)]);
    for (const select of document.querySelectorAll("select.project-choice")) fill(select, projectOptions, true);
    const waiting = projects.flatMap((entry) => entry.milestones
      .filter((m) => (m.status === "planned" || m.status === "rejected") && entry.project.status === "active")
      .map((m) => [m.projectId + ":" + m.milestoneIndex, say("company.milestone_option", {
        project: m.projectId, index: m.milestoneIndex, due: day(m.dueDate), status: enumLabel("milestone_status", m.status),
      }) + (m.overdue ? " · " + say("company.overdue") : "")]));
    fill(milestoneChoice, waiting.length ? waiting : [["", say("company.nothing_to_submit")]], true);
    const ipTypes = new Set(choices.ipOutcomeTypes);
    const ipOutcomes = projects.flatMap((entry) => entry.outcomes.filter((o) => ipTypes.has(o.outcomeType) && !o.revoked)
      .map((o) => [String(o.outcomeId), "#" + o.outcomeId + " · " + enumLabel("outcome_type", o.outcomeType) + " " + o.externalId +
        " (" + enumLabel("ip_status", o.ipStatus) + ")"]));
    fill(document.getElementById("ip-outcome"), ipOutcomes.length ? ipOutcomes : [["", say("company.no_ip_outcomes")]], true);
    const amendable = projects.flatMap((entry) => entry.outcomes.filter((o) => !o.revoked && !o.amendedBy)
      .map((o) => [String(o.outcomeId), "#" + o.outcomeId + " · " + enumLabel("outcome_type", o.outcomeType) + (o.externalId ? " " + o.externalId : "")]));
    fill(document.getElementById("amend-original"), amendable.length ? amendable : [["", say("company.no_amendable")]], true);
    const committed = projects.flatMap((entry) => entry.reports.filter((r) => r.status === "committed")
      .map((r) => [String(r.reportId), say("company.report_option", { report: r.reportId, project: r.projectId, year: r.year })]));
    fill(document.getElementById("reveal-report"), committed.length ? committed : [["", say("company.no_committed")]], true);
    const decisions = contestable();
    fill(objectionChoice, decisions.length ? decisions.map((d) => [d.key, d.label]) : [["", say("company.nothing_to_object")]], true);
    showRejection();
    showWindow();
  }

  async function loadAgenda() {
    const who = identity.current();
    if (!who || !who.companyId) return;
    const answer = await api.get(data.urls.agenda + "?company=" + encodeURIComponent(who.companyId));
    if (!answer.ok) {
      agendaHint.textContent = say("company.agenda_unavailable");
      return;
    }
    agenda = answer.body;
    const named = agenda.projects.map((entry) => entry.project.companyName).find(Boolean);
    agendaHint.textContent = agenda.projects.length
      ? say("company.agenda_for", { company: named ? named + " (" + who.companyId + ")" : who.companyId })
      : say("company.no_projects");
    agendaBox.replaceChildren(...agenda.projects.map(projectSection));
    fillForms();
    forms.hidden = false;
    document.body.dataset.agendaLoaded = String(Number(document.body.dataset.agendaLoaded || 0) + 1);
  }

  identity.onChange((who) => {
    agenda = null;
    agendaBox.replaceChildren();
    forms.hidden = true;
    if (!who) {
      agendaHint.textContent = say(signer.current() ? "identity.looking" : "company.sign_in_first");
      return;
    }
    if (!who.companyId) {
      agendaHint.textContent = say("company.not_a_company");
      return;
    }
    loadAgenda();
  });

  // ---- objections -----------------------------------------------------------------------------------

  // ObjectionSubject on chain (registry/domain/enums.py): what an objection contests, and what names it.
  const SUBJECT = { milestone: 1, report: 2, evaluation: 3 };
  const objectionChoice = document.getElementById("objection-decision");
  const windowBox = document.getElementById("objection-window");

  /** The decisions of the company's projects it may object to: a rejected milestone, a disputed report, an
   * evaluation; whether the window is still open is asked of the chain when one is chosen. */
  function contestable() {
    const found = [];
    for (const entry of agenda.projects) {
      // An objection already filed against a decision is said beside it (the registry takes one per decision).
      const filedAgainst = (subject, id, index) => (entry.objections || []).filter((o) => o.subject === subject &&
        o.subjectId === id && (o.milestoneIndex || 0) === index);
      const withFiled = (label, subject, id, index) => [label, ...filedAgainst(subject, id, index).map((o) =>
        say("company.already_objected", { id: o.objectionId, status: enumLabel("objection_status", o.status) }))].join(" · ");
      for (const m of entry.milestones.filter((m) => m.status === "rejected")) {
        found.push({ key: "milestone:" + m.projectId + ":" + m.milestoneIndex, subject: SUBJECT.milestone, subjectId: m.projectId,
          index: m.milestoneIndex, label: withFiled(say("company.object_milestone", { project: m.projectId, index: m.milestoneIndex }),
            "milestone-rejection", m.projectId, m.milestoneIndex) });
      }
      for (const r of entry.reports.filter((r) => r.status === "disputed")) {
        found.push({ key: "report:" + r.reportId, subject: SUBJECT.report, subjectId: r.reportId, index: 0,
          label: withFiled(say("company.object_report", { report: r.reportId, project: r.projectId, year: r.year }), "report-dispute", r.reportId, 0) });
      }
      for (const e of entry.evaluations || []) {
        found.push({ key: "evaluation:" + e.auditId, subject: SUBJECT.evaluation, subjectId: e.auditId, index: 0,
          label: withFiled(say("company.object_evaluation", { evaluation: e.auditId, project: e.projectId, grade: enumLabel("grade", e.grade) }),
            "evaluation", e.auditId, 0) });
      }
    }
    return found;
  }

  function chosenDecision() {
    return agenda && objectionChoice.value ? contestable().find((d) => d.key === objectionChoice.value) || null : null;
  }

  /** The chain's time (the relay's status says it), or this computer's when that cannot be asked. */
  async function chainNow() {
    const who = signer.current();
    const status = who ? await api.get(data.urls.relayStatus + "?signer=" + encodeURIComponent(who.address)) : null;
    return status && status.ok && status.body.chainTime ? Number(status.body.chainTime) : Math.floor(Date.now() / 1000);
  }

  /** The window to object to `decision` (decisionOf on chain: when it was decided, and the program's days to
   * object): {decidedAt, days, deadline, open}, or null when the registry noted no such decision. */
  async function objectionWindow(decision) {
    const noted = await relay.view("GrantRegistry", "decisionOf", [decision.subject, decision.subjectId, decision.index]);
    const decidedAt = Number(noted.decidedAt);
    if (!decidedAt) return null;
    const days = Number(noted.objectionDays);
    const deadline = decidedAt + days * 86400;
    return { decidedAt, days, deadline, open: (await chainNow()) <= deadline };
  }

  let windowAsked = 0;
  async function showWindow() {
    const ticket = ++windowAsked;
    const decision = chosenDecision();
    windowBox.classList.remove("due-overdue");
    delete windowBox.dataset.deadline;
    if (!decision) {
      windowBox.textContent = "";
      return;
    }
    windowBox.textContent = say("company.window_asking");
    let found;
    try {
      found = await objectionWindow(decision);
    } catch (error) {
      found = undefined;
    }
    if (ticket !== windowAsked) return;
    if (found === undefined) {
      windowBox.textContent = say("company.window_unreadable");
    } else if (found === null) {
      windowBox.textContent = say("company.window_no_decision");
    } else {
      windowBox.dataset.deadline = day(found.deadline);
      windowBox.dataset.open = String(found.open);
      windowBox.classList.toggle("due-overdue", !found.open);
      windowBox.textContent = say(found.open ? "company.window_open" : "company.window_closed", {
        decided: day(found.decidedAt), days: found.days, deadline: day(found.deadline),
      });
    }
  }

  objectionChoice.addEventListener("change", showWindow);

  // ---- the rejection note ---------------------------------------------------------------------------

  function chosenMilestone() {
    const [project, index] = milestoneChoice.value.split(":").map(Number);
    if (!agenda || !milestoneChoice.value) return null;
    for (const entry of agenda.projects) {
      for (const m of entry.milestones) if (m.projectId === project && m.milestoneIndex === index) return m;
    }
    return { projectId: project, milestoneIndex: index, status: "planned", rejection: null, dueDate: null };
  }

  async function showRejection() {
    const milestone = chosenMilestone();
    if (!milestone || !milestone.rejection) {
      rejectionBox.hidden = true;
      rejectionBox.replaceChildren();
      return;
    }
    const hash = milestone.rejection.documentHash;
    rejectionBox.hidden = false;
    rejectionBox.replaceChildren(el("p", {}, say("company.rejected_note_heading", { day: day(milestone.rejection.provenance.blockTime) })));
    const text = hash ? await evidence.publishedText(hash) : null;
    if (text !== null) {
      rejectionBox.append(el("blockquote", { class: "rejection-note", lang: "" }, ...text.split("\n").flatMap((line, i) => (i ? [el("br"), line] : [line]))));
    } else {
      rejectionBox.append(el("p", {}, say("company.rejected_note_unpublished"), " ", el("code", { class: "wrap-anywhere" }, hash || "—")));
    }
  }

  milestoneChoice.addEventListener("change", showRejection);

  // ---- the evidence files of a submission ------------------------------------------------------------

  let chosenFiles = [];

  filesInput.addEventListener("change", async () => {
    const files = Array.from(filesInput.files || []);
    chosenFiles = files.map((file) => ({ file, digest: null }));
    fileItems.replaceChildren();
    fileList.hidden = files.length === 0;
    for (const [i, chosen] of chosenFiles.entries()) {
      const box = el("input", { type: "checkbox", id: "submit-public-" + i, "data-file": chosen.file.name });
      const hashBox = el("code", { class: "wrap-anywhere", id: "submit-hash-" + i }, say("company.hashing"));
      fileItems.append(el("li", {},
        el("p", {}, chosen.file.name, " (", chosen.file.size.toLocaleString("en-US"), " B) — SHA-256 ", hashBox),
        el("label", { class: "check", for: "submit-public-" + i }, box, " ", say("company.public_file", { name: chosen.file.name }))));
    }
    for (const [i, chosen] of chosenFiles.entries()) {
      chosen.digest = await evidence.sha256(chosen.file);
      const hashBox = document.getElementById("submit-hash-" + i);
      if (hashBox) hashBox.textContent = chosen.digest;
    }
  });

  // ---- sending --------------------------------------------------------------------------------------

  function shortHash(hash) {
    return hash.slice(0, 10) + "…" + hash.slice(-6);
  }

  function recordLink(result) {
    const relayed = result.relayed;
    const parts = [say("company.recorded", { block: relayed.blockNumber.toLocaleString("en-US"), transaction: relayed.transactionHash })];
    return el("p", {}, ...parts);
  }

  async function publishAll(files) {
    const failed = [];
    for (const { file, digest } of files) {
      const published = await evidence.publish({ bytes: file, name: file.name, contentType: file.type }, digest);
      if (!published.ok) failed.push(say("company.publish_failed", { name: file.name, message: published.message }));
    }
    return failed;
  }

  /** Runs one write: the page's checks (`prepare` throws FormProblem), the relay, then publication of the
   * files marked public, the result, and the agenda read again. */
  async function write(form, prepare) {
    if (busy) return;
    for (const input of form.querySelectorAll("[aria-invalid='true']")) input.setAttribute("aria-invalid", "false");
    let request;
    try {
      request = await prepare();
    } catch (error) {
      if (!(error instanceof FormProblem)) throw error;
      tell(statusBox, error.message, true);
      error.input.setAttribute("aria-invalid", "true");
      error.input.focus();
      return;
    }
    busy = true;
    const button = form.querySelector("button[type='submit']");
    button.disabled = true;
    resultBox.replaceChildren();
    tell(statusBox, say("company.sending"));
    try {
      if (request.before) await request.before();
      const result = await relay.send(request.call);
      if (!result.ok) {
        if (request.refused) request.refused(result);
        tell(statusBox, say("company.refused", { message: result.message }), true);
        document.body.dataset.lastResult = "refused:" + result.reason;
        return;
      }
      const failures = await publishAll(request.publish || []);
      tell(statusBox, failures.length ? say("company.recorded_publish_failed") : say("company.done"), failures.length > 0);
      resultBox.append(recordLink(result));
      if (request.shown) resultBox.append(...request.shown(result.record));
      for (const failure of failures) resultBox.append(el("p", { class: "status-error" }, failure));
      if (!result.record) resultBox.append(el("p", { class: "aside" }, say("company.not_indexed_yet")));
      document.body.dataset.lastResult = "recorded:" + result.relayed.transactionHash;
      form.reset();
      if (request.after) request.after();
      // A write the API has no record page for (an objection) is read in the agenda once the copy has its block.
      if (!result.record) await api.indexedUpTo(result.relayed.blockNumber, data.recordWaitSeconds || 90);
      await loadAgenda();
      resultBox.focus();
    } catch (error) {
      tell(statusBox, say("company.page_failed", { problem: String(error && error.message) }), true);
      document.body.dataset.lastResult = "failed:page";
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  document.getElementById("submit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    write(event.target, async () => {
      const milestone = chosenMilestone();
      if (!milestone) throw problem(milestoneChoice, "company.no_milestone");
      if (!chosenFiles.length) throw problem(filesInput, "company.no_files");
      for (const chosen of chosenFiles) if (!chosen.digest) chosen.digest = await evidence.sha256(chosen.file);
      const files = chosenFiles.map((chosen, i) => ({ ...chosen, public: document.getElementById("submit-public-" + i).checked }));
      const again = milestone.status === "rejected";
      return {
        call: {
          contract: "GrantRegistry",
          fn: "submitMilestone",
          args: [milestone.projectId, milestone.milestoneIndex, files.map((f) => f.digest)],
          summary: say(again ? "company.resubmit_summary" : "company.submit_summary", { project: milestone.projectId, index: milestone.milestoneIndex }),
          details: [
            [say("company.project_label"), String(milestone.projectId)],
            [say("company.milestone_label"), String(milestone.milestoneIndex)],
            ...files.map((f) => [f.file.name, f.digest + " · " + say(f.public ? "company.will_publish" : "company.stays_here")]),
          ],
        },
        publish: files.filter((f) => f.public),
        shown: (record) => (record ? [el("p", { "data-recorded-status": record.status }, say("company.milestone_now", { status: enumLabel("milestone_status", record.status), attempts: record.attempts }))] : []),
        after: () => {
          chosenFiles = [];
          fileItems.replaceChildren();
          fileList.hidden = true;
        },
      };
    });
  });

  // ---- outcomes and their typed details -----------------------------------------------------------------

  const details = workspace.outcomeDetails;
  const DETAIL_INPUTS = { externalId: "id", venue: "venue", country: "country", counterparty: "counterparty", date: "date", amount: "amount", sciIndexed: "sci" };

  function chosenType(prefix) {
    const select = document.getElementById(prefix + "-type");
    const option = select.options[select.selectedIndex];
    return { value: Number(select.value), key: details.typeKey(option), label: option.textContent };
  }

  /** Shows the fields the chosen type records (labelled as the table labels them, "required" marked) and hides
   * the others, so a paper asks for its DOI, journal and SCI(E) flag and a patent for its number and country. */
  function showDetailFields(prefix) {
    const used = details.uses(chosenType(prefix).key);
    for (const box of document.querySelectorAll(`#${prefix}-form [data-detail]`)) {
      const field = box.dataset.detail;
      box.hidden = !(field in used);
      if (!(field in used)) continue;
      const label = box.querySelector("[data-label]") || box.querySelector("label");
      label.textContent = used[field].required ? say("company.detail_required", { label: used[field].label }) : used[field].label;
    }
  }

  function detailsForm(prefix) {
    return document.getElementById(prefix + "-type").closest("form");
  }

  /** The identifier and details typed for an outcome, checked as outcome_details.py checks them: {externalId,
   * details, shown} (shown: what the signing dialog lists), or a FormProblem on the first field at fault. */
  function typedDetails(prefix) {
    const type = chosenType(prefix);
    const used = details.uses(type.key);
    const input = (field) => document.getElementById(prefix + "-" + DETAIL_INPUTS[field]);
    const values = { externalId: input("externalId").value, venue: "", country: "", counterparty: "", date: 0, amount: 0n, sciIndexed: false };
    for (const field of ["venue", "country", "counterparty"]) if (field in used) values[field] = input(field).value;
    if ("date" in used && input("date").value.trim()) {
      const parsed = workspace.forms.parseDay(input("date").value);
      if (!parsed.ok) throw new FormProblem(input("date"), parsed.message);
      const [year, month, date] = parsed.day.split("-").map(Number);
      values.date = Date.UTC(year, month - 1, date) / 1000;
    }
    if ("amount" in used && input("amount").value.trim()) {
      const parsed = parseWon(input("amount").value);
      if (!parsed.ok) throw new FormProblem(input("amount"), parsed.message);
      values.amount = parsed.won;
    }
    if ("sciIndexed" in used) values.sciIndexed = input("sciIndexed").checked;
    const checked = details.check(type.key, values);
    if (!checked.ok) throw new FormProblem(input(checked.field) || document.getElementById(prefix + "-type"), checked.message);
    const shown = [[say("company.outcome_type_label"), type.label]];
    for (const [field, use] of Object.entries(used)) {
      const value = checked.checked[field];
      if (empty(value)) continue;
      const words = field === "date" ? day(value) : field === "amount" ? won(value) : field === "sciIndexed" ? say("company.yes") : String(value);
      shown.push([use.label, words]);
    }
    return { type, externalId: checked.externalId, details: checked.details, shown };
  }

  function empty(value) {
    return value === null || value === undefined || value === "" || value === false || value === 0 || value === 0n;
  }

  for (const prefix of ["outcome", "amend"]) {
    document.getElementById(prefix + "-type").addEventListener("change", () => showDetailFields(prefix));
    const amountInput = document.getElementById(prefix + "-amount");
    amountInput.addEventListener("input", () => {
      const box = document.getElementById(prefix + "-amount-understood");
      const parsed = amountInput.value.trim() ? parseWon(amountInput.value) : null;
      box.textContent = parsed ? (parsed.ok ? parsed.understood : parsed.message) : "";
    });
    showDetailFields(prefix);
    detailsForm(prefix).addEventListener("reset", () => setTimeout(() => showDetailFields(prefix)));
  }

  document.getElementById("outcome-form").addEventListener("submit", (event) => {
    event.preventDefault();
    write(event.target, async () => {
      const projectInput = document.getElementById("outcome-project");
      if (!projectInput.value) throw problem(projectInput, "company.no_project");
      const typed = typedDetails("outcome");
      const chosen = evidenceField("outcome");
      const digest = await evidence.sha256(chosen.file);
      return {
        call: {
          contract: "OutcomeRegistry",
          fn: "addOutcome",
          args: [Number(projectInput.value), typed.type.value, typed.externalId, typed.details, digest],
          summary: say("company.outcome_summary", { type: typed.type.label, project: projectInput.value }),
          details: [
            [say("company.project_label"), projectInput.value],
            ...typed.shown,
            [chosen.file.name, digest + " · " + say(chosen.public ? "company.will_publish" : "company.stays_here")],
          ],
        },
        publish: chosen.public ? [{ file: chosen.file, digest }] : [],
        shown: (record) => (record ? [el("p", {}, say("company.outcome_now", { id: record.outcomeId }))] : []),
      };
    });
  });

  document.getElementById("amend-form").addEventListener("submit", (event) => {
    event.preventDefault();
    write(event.target, async () => {
      const originalInput = document.getElementById("amend-original");
      const reasonInput = document.getElementById("amend-reason");
      if (!originalInput.value) throw problem(originalInput, "company.no_outcome");
      const typed = typedDetails("amend");
      const chosen = evidenceField("amend");
      const reasonText = reasonInput.value.trim();
      if (!reasonText) throw problem(reasonInput, "company.amend_needs_reason");
      const digest = await evidence.sha256(chosen.file);
      // The reason is published as a plain-text document, as the CLI's --reason-text stores one; its SHA-256
      // is what the registry records.
      const reason = new Blob([new TextEncoder().encode(reasonText)], { type: "text/plain" });
      const reasonDigest = await evidence.sha256(reason);
      const reasonFile = { file: Object.assign(reason, { name: "amendment-reason.txt" }), digest: reasonDigest };
      return {
        call: {
          contract: "OutcomeRegistry",
          fn: "amendOutcome",
          args: [Number(originalInput.value), typed.type.value, typed.externalId, typed.details, digest, reasonDigest],
          summary: say("company.amend_summary", { outcome: originalInput.value }),
          details: [
            [say("company.amend_original_label"), originalInput.options[originalInput.selectedIndex].textContent],
            ...typed.shown,
            [chosen.file.name, digest + " · " + say(chosen.public ? "company.will_publish" : "company.stays_here")],
            [say("company.amend_reason_label"), reasonText],
          ],
        },
        publish: [...(chosen.public ? [{ file: chosen.file, digest }] : []), reasonFile],
        shown: (record) => (record ? [el("p", { "data-amended-by": record.outcomeId }, say("company.amend_now", { id: record.outcomeId, original: originalInput.value }))] : []),
      };
    });
  });

  document.getElementById("ip-form").addEventListener("submit", (event) => {
    event.preventDefault();
    write(event.target, async () => {
      const outcomeInput = document.getElementById("ip-outcome");
      const statusInput = document.getElementById("ip-status");
      if (!outcomeInput.value) throw problem(outcomeInput, "company.no_outcome");
      const chosen = evidenceField("ip");
      const digest = await evidence.sha256(chosen.file);
      const status = statusInput.options[statusInput.selectedIndex].textContent;
      return {
        call: {
          contract: "OutcomeRegistry",
          fn: "updateIpStatus",
          args: [Number(outcomeInput.value), Number(statusInput.value), digest],
          summary: say("company.ip_summary", { outcome: outcomeInput.value, status }),
          details: [
            [say("company.ip_outcome_label"), outcomeInput.options[outcomeInput.selectedIndex].textContent],
            [say("company.ip_status_label"), status],
            [chosen.file.name, digest + " · " + say(chosen.public ? "company.will_publish" : "company.stays_here")],
          ],
        },
        publish: chosen.public ? [{ file: chosen.file, digest }] : [],
        shown: (record) => (record ? [el("p", {}, say("company.ip_now", { id: record.outcomeId, status: enumLabel("ip_status", record.ipStatus) }))] : []),
      };
    });
  });

  document.getElementById("objection-form").addEventListener("submit", (event) => {
    event.preventDefault();
    write(event.target, async () => {
      const decision = chosenDecision();
      if (!decision) throw problem(objectionChoice, "company.no_decision");
      let found;
      try {
        found = await objectionWindow(decision);
      } catch (error) {
        throw problem(objectionChoice, "company.window_unreadable");
      }
      if (found === null) throw problem(objectionChoice, "company.window_no_decision");
      if (!found.open) throw problem(objectionChoice, "company.window_closed", { decided: day(found.decidedAt), days: found.days, deadline: day(found.deadline) });
      const chosen = evidenceField("objection");
      const digest = await evidence.sha256(chosen.file);
      return {
        call: {
          contract: "OutcomeRegistry",
          fn: "fileObjection",
          args: [decision.subject, decision.subjectId, decision.index, digest],
          summary: say("company.objection_summary", { decision: decision.label }),
          details: [
            [say("company.objection_decision_label"), decision.label],
            [say("company.objection_deadline"), day(found.deadline)],
            [chosen.file.name, digest + " · " + say(chosen.public ? "company.will_publish" : "company.stays_here")],
          ],
        },
        publish: chosen.public ? [{ file: chosen.file, digest }] : [],
        shown: () => [el("p", { "data-objection-filed": decision.key }, say("company.objection_now", { decision: decision.label }))],
      };
    });
  });

  function commitmentOf(projectId, year, figures, salt) {
    const encoded = ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint32", "uint16", "uint96", "uint96", "uint96", "uint32", "bytes32"],
      [projectId, year, figures.sales, figures.investment, figures.royalties, figures.jobs, salt]);
    return ethers.keccak256(encoded);
  }

  /** The reveal file's text, as the CLI writes it: amounts as exact JSON numbers, however large. */
  function revealFileText(kept) {
    return JSON.stringify(kept, (key, value) => (typeof value === "bigint" ? JSON.rawJSON(value.toString()) : value), 2) + "\n";
  }

  /** A reveal file's content with its amounts exact (JSON numbers past 2^53 read from their digits). */
  function readRevealFile(text) {
    return JSON.parse(text, (key, value, context) =>
      typeof value === "number" && context && /^[0-9]+$/.test(context.source) ? BigInt(context.source) : value);
  }

  function offerDownload(name, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const link = el("a", { href: url, download: name, id: "reveal-download" }, say("company.reveal_download", { name }));
    resultBox.append(el("p", { class: "notice" }, say("company.reveal_keep"), " ", link));
    link.click();
    return link;
  }

  document.getElementById("report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    write(event.target, async () => {
      const projectInput = document.getElementById("report-project");
      if (!projectInput.value) throw problem(projectInput, "company.no_project");
      const year = integerField(document.getElementById("report-year"), 1900, 2200, "company.bad_year");
      const figures = {
        sales: wonField("sales"),
        investment: wonField("investment"),
        royalties: wonField("royalties"),
        jobs: integerField(document.getElementById("report-jobs"), 0, UINT32_MAX, "company.bad_jobs"),
      };
      const chosen = evidenceField("report");
      const digest = await evidence.sha256(chosen.file);
      const projectId = Number(projectInput.value);
      const hidden = document.getElementById("report-hidden").checked;
      const shownFigures = [
        [say("company.sales_label"), won(figures.sales)],
        [say("company.investment_label"), won(figures.investment)],
        [say("company.royalties_label"), won(figures.royalties)],
        [say("company.jobs_label"), String(figures.jobs)],
      ];
      const common = {
        publish: chosen.public ? [{ file: chosen.file, digest }] : [],
        shown: (record) => (record ? [el("p", { "data-report": record.reportId }, say("company.report_now", { id: record.reportId, status: enumLabel("report_status", record.status) }))] : []),
      };
      const evidenceLine = [chosen.file.name, digest + " · " + say(chosen.public ? "company.will_publish" : "company.stays_here")];
      if (!hidden) {
        return {
          ...common,
          call: {
            contract: "OutcomeRegistry",
            fn: "reportCommercialization",
            args: [projectId, year, [figures.sales, figures.investment, figures.royalties, figures.jobs], digest],
            summary: say("company.report_summary", { project: projectId, year }),
            details: [[say("company.project_label"), String(projectId)], [say("company.year_label"), String(year)], ...shownFigures, evidenceLine],
          },
        };
      }
      const deployed = await api.get(data.urls.contracts);
      const chainId = deployed.ok ? deployed.body.chainId : null;
      const salt = ethers.hexlify(ethers.randomBytes(32));
      const commitment = commitmentOf(projectId, year, figures, salt);
      const name = "report-" + projectId + "-" + year + ".reveal.json";
      const kept = {
        format: REVEAL_FORMAT,
        notice: "Keep this file private until you disclose these figures; whoever holds it can disclose them, and without it nobody can.",
        chainId,
        projectId,
        year,
        figures: { sales: figures.sales, investment: figures.investment, royalties: figures.royalties, jobs: figures.jobs },
        salt,
        commitment,
      };
      return {
        ...common,
        // Offered before anything is signed, as the CLI writes it before sending: a commitment whose salt
        // was lost can never be disclosed.
        before: async () => offerDownload(name, revealFileText(kept)),
        refused: () => resultBox.append(el("p", {}, say("company.reveal_not_needed", { name }))),
        call: {
          contract: "OutcomeRegistry",
          fn: "commitCommercialization",
          args: [projectId, year, commitment, digest],
          summary: say("company.commit_summary", { project: projectId, year }),
          details: [[say("company.project_label"), String(projectId)], [say("company.year_label"), String(year)], ...shownFigures,
            [say("company.commitment"), commitment], evidenceLine],
        },
      };
    });
  });

  document.getElementById("reveal-form").addEventListener("submit", (event) => {
    event.preventDefault();
    write(event.target, async () => {
      const reportInput = document.getElementById("reveal-report");
      const fileInput = document.getElementById("reveal-file");
      if (!reportInput.value) throw problem(reportInput, "company.no_report");
      const file = fileInput.files && fileInput.files[0];
      if (!file) throw problem(fileInput, "company.no_reveal_file");
      let kept = null;
      try {
        kept = readRevealFile(await file.text());
      } catch (error) {
        kept = null;
      }
      if (!kept || kept.format !== REVEAL_FORMAT || !kept.figures || !kept.salt) throw problem(fileInput, "company.not_reveal_file", { name: file.name });
      const reportId = Number(reportInput.value);
      const report = agenda.projects.flatMap((entry) => entry.reports).find((r) => r.reportId === reportId);
      const figures = {
        sales: BigInt(kept.figures.sales || 0),
        investment: BigInt(kept.figures.investment || 0),
        royalties: BigInt(kept.figures.royalties || 0),
        jobs: Number(kept.figures.jobs || 0),
      };
      const projectId = Number(kept.projectId);
      const year = Number(kept.year);
      const commitment = commitmentOf(projectId, year, figures, kept.salt);
      if (!report || report.projectId !== projectId || report.year !== year || (report.commitment && report.commitment.toLowerCase() !== commitment.toLowerCase())) {
        throw problem(fileInput, "company.reveal_mismatch", { name: file.name, report: reportId });
      }
      return {
        call: {
          contract: "OutcomeRegistry",
          fn: "revealCommercialization",
          args: [reportId, [figures.sales, figures.investment, figures.royalties, figures.jobs], kept.salt],
          summary: say("company.reveal_summary", { report: reportId, year }),
          details: [
            [say("company.reveal_report_label"), String(reportId)],
            [say("company.sales_label"), won(figures.sales)],
            [say("company.investment_label"), won(figures.investment)],
            [say("company.royalties_label"), won(figures.royalties)],
            [say("company.jobs_label"), String(figures.jobs)],
          ],
        },
        shown: (record) => (record ? [el("p", { "data-report": record.reportId }, say("company.report_now", { id: record.reportId, status: enumLabel("report_status", record.status) }))] : []),
      };
    });
  });
})();
