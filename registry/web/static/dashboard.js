// The dashboard's charts, drawn with Chart.js (served from this server) from the statistics API's
// JSON that the page embeds. The tables under the charts hold the exact figures; the charts are
// for the eye, so amounts become JavaScript numbers here, and tooltips show the exact digits.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const say = (key) => data.messages["chart." + key] || key;
  const locale = data.lang === "ko" ? "ko-KR" : "en-US";
  const compactWon = new Intl.NumberFormat(locale, {
    style: "currency", currency: "KRW", notation: "compact", maximumFractionDigits: 1,
  });
  const count = new Intl.NumberFormat(locale);

  // Exact won for tooltips, from the API's digit strings (exact beyond 2^53).
  const exactWon = (digits) => "₩" + String(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  // Colours that stay apart for common colour blindness (Okabe–Ito); every series is also named in
  // the legend and every figure is in the table below, so no meaning rests on colour alone.
  const colours = {
    blue: "#0072B2", orange: "#E69F00", green: "#009E73", vermillion: "#D55E00",
    sky: "#56B4E9", purple: "#CC79A7", grey: "#6b7280", yellow: "#F0E442",
  };

  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1f2937";
  Chart.defaults.maintainAspectRatio = false;

  const wonAxis = { beginAtZero: true, ticks: { callback: (value) => compactWon.format(value) } };
  const countAxis = { beginAtZero: true, ticks: { precision: 0, callback: (value) => count.format(value) } };

  function wonTooltip(exact) {
    return {
      callbacks: {
        label: (item) => item.dataset.label + ": " + exactWon(exact[item.datasetIndex][item.dataIndex]),
      },
    };
  }

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }

  const programs = data.programs;

  // A program's name on several short lines, so that the per-program charts can run their bars sideways
  // with every name readable beside its bar, on a phone as on a desktop (tilted labels overlap and push
  // the plot aside).
  function wrapped(text, width) {
    const lines = [];
    for (const word of text.split(/\s+/)) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else lines.push(word);
    }
    return lines;
  }
  const labelWidth = window.innerWidth < 640 ? 14 : 28;
  const programLabels = programs.map((p) => wrapped(p.year + " · " + p.name, labelWidth));

  // A chart with a bar per program grows with the programs, so that bars and names never squeeze.
  function sizeForPrograms(id) {
    const canvas = document.getElementById(id);
    const lines = programLabels.reduce((sum, label) => sum + Math.max(label.length, 2), 0);
    if (canvas) canvas.parentElement.style.height = Math.max(288, 80 + lines * 22) + "px";
  }

  // Budget against granted, per program and year.
  const budgetExact = [programs.map((p) => p.budget), programs.map((p) => p.granted)];
  sizeForPrograms("chart-budget");
  draw("chart-budget", {
    type: "bar",
    data: {
      labels: programLabels,
      datasets: [
        { label: say("budget"), data: budgetExact[0].map(Number), backgroundColor: colours.sky, borderColor: colours.blue, borderWidth: 1 },
        { label: say("granted"), data: budgetExact[1].map(Number), backgroundColor: colours.orange, borderColor: colours.vermillion, borderWidth: 1 },
      ],
    },
    options: { indexAxis: "y", scales: { x: wonAxis }, plugins: { tooltip: wonTooltip(budgetExact) } },
  });

  // Milestones by status, stacked, with the overdue ones beside them.
  const status = (name, colour) => ({
    label: say(name), data: programs.map((p) => p.milestones[name]), backgroundColor: colour, stack: "status",
  });
  sizeForPrograms("chart-milestones");
  draw("chart-milestones", {
    type: "bar",
    data: {
      labels: programLabels,
      datasets: [
        status("approved", colours.green),
        status("submitted", colours.sky),
        status("planned", colours.grey),
        status("rejected", colours.vermillion),
        { label: say("overdue"), data: programs.map((p) => p.milestones.overdue), backgroundColor: colours.purple, stack: "overdue" },
      ],
    },
    options: { indexAxis: "y", scales: { y: { stacked: true }, x: { ...countAxis, stacked: true } } },
  });

  // Standing outcomes by type, all years shown added up.
  const outcomeTotals = data.outcomeTypes.map((kind) =>
    data.years.reduce((sum, year) => {
      const found = year.outcomes.byType[kind.key];
      // A renamed field must break loudly (a page error the browser tests catch), not draw as zero.
      if (typeof found !== "number") throw new Error("statistics have no outcome count " + kind.key);
      return sum + found;
    }, 0));
  draw("chart-outcomes", {
    type: "bar",
    data: {
      labels: data.outcomeTypes.map((kind) => kind.label),
      datasets: [{ label: say("outcomes"), data: outcomeTotals, backgroundColor: colours.blue }],
    },
    options: { indexAxis: "y", scales: { x: countAxis }, plugins: { legend: { display: false } } },
  });

  // Commercialization by the year the reports are for: money as bars, jobs as a line on its own axis.
  const years = data.reportYears;
  const money = ["sales", "investment", "royalties"];
  const commercialExact = money.map((name) => years.map((y) => y.commercialization[name]));
  const moneyColours = [colours.blue, colours.orange, colours.green];
  draw("chart-commercialization", {
    data: {
      labels: years.map((y) => String(y.year)),
      datasets: [
        ...money.map((name, index) => ({
          type: "bar", label: say(name), data: commercialExact[index].map(Number),
          backgroundColor: moneyColours[index], yAxisID: "y",
        })),
        {
          type: "line", label: say("jobs"), data: years.map((y) => y.commercialization.jobs),
          borderColor: colours.vermillion, backgroundColor: colours.vermillion, pointStyle: "rectRot", pointRadius: 6,
          yAxisID: "jobs",
        },
      ],
    },
    options: {
      scales: { y: wonAxis, jobs: { ...countAxis, position: "right", grid: { drawOnChartArea: false },
                                    title: { display: true, text: say("jobs") } } },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) => item.dataset.yAxisID === "jobs"
              ? item.dataset.label + ": " + count.format(item.raw)
              : item.dataset.label + ": " + exactWon(commercialExact[item.datasetIndex][item.dataIndex]),
          },
        },
      },
    },
  });
})();
