// toolgym view: bar widths, and live progress of running runs (polling /api/runs every 2 s).
"use strict";

function drawBars() {
  for (const fill of document.querySelectorAll(".bar .fill")) {
    fill.style.width = (100 * Number(fill.dataset.value)).toFixed(1) + "%";
  }
  for (const band of document.querySelectorAll(".bar .ci-band")) {
    const low = Number(band.dataset.low), high = Number(band.dataset.high);
    band.style.left = (100 * low).toFixed(1) + "%";
    band.style.width = (100 * (high - low)).toFixed(1) + "%";
  }
}

function update(row, run) {
  for (const cell of row.querySelectorAll("[data-field]")) {
    const value = run[cell.dataset.field];
    if (value !== undefined && value !== null) {
      cell.textContent = String(value);  // text only: nothing from the server becomes markup
    }
  }
  const badge = row.querySelector(".badge[data-field=status]");
  if (badge) badge.className = "badge status-" + run.status;
}

async function poll() {
  const rows = document.querySelectorAll("[data-run][data-status=running]");
  if (rows.length === 0) return;
  const single = document.getElementById("progress");
  try {
    if (single) {
      const reply = await fetch("/api/runs/" + encodeURIComponent(single.dataset.run), {credentials: "same-origin"});
      const run = await reply.json();
      update(single, run);
      if (run.status !== "running") { window.location.reload(); return; }
    } else {
      const reply = await fetch("/api/runs", {credentials: "same-origin"});
      const byId = new Map((await reply.json()).map(run => [String(run.id), run]));
      for (const row of rows) {
        const run = byId.get(row.dataset.run);
        if (run) { update(row, run); row.dataset.status = run.status; }
      }
    }
  } catch (e) {
    // the server went away: keep the page as it is and try again
  }
  window.setTimeout(poll, 2000);
}

document.addEventListener("DOMContentLoaded", () => {
  drawBars();
  window.setTimeout(poll, 2000);
});
