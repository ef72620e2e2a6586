// edgewave dashboard: polls /api/board every 2 s (the server builds it at most once a second, whoever asks) and
// redraws only when its ETag changed. Text from the API always goes through textContent, never innerHTML.
"use strict";
(function () {
  const POLL_MS = 2000;
  const COLORS = { U: "--ok", P: "--prog", F: "--fail", L: "--lost", O: "--off", W: "--wait", "-": "--none", R: "--back" };
  const NAMES = { U: "updated", P: "in progress", F: "failed", L: "lost", O: "offline", W: "waiting", "-": "not targeted", R: "rolled back" };
  const ORDER = ["U", "P", "F", "R", "W", "L", "O", "-"];
  const WORST = { F: 6, P: 5, R: 4, W: 3, U: 2, "-": 1 };
  let board = null, etag = null, lastOk = 0, layout = null;
  const css = getComputedStyle(document.documentElement);
  const color = (code) => css.getPropertyValue(COLORS[code]).trim();

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "class") e.className = v;
      // CSSOM, not a style attribute: the page's Content-Security-Policy forbids inline styles
      else if (k === "style") for (const d of v.split(";")) { const i = d.indexOf(":"); if (i > 0) e.style.setProperty(d.slice(0, i).trim(), d.slice(i + 1).trim()); }
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    return e;
  }

  // Durations for people ("8 m 12 s"); the absolute time, to the second, goes in the title (hover).
  const human = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " m " + (s % 60) + " s";
    if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor(s % 3600 / 60) + " m";
    return Math.floor(s / 86400) + " d " + Math.floor(s % 86400 / 3600) + " h";
  };
  const ago = (iso, now) => (iso ? human(now - Date.parse(iso)) + " ago" : "—");
  const exact = (iso) => (iso ? new Date(Date.parse(iso)).toISOString().replace(/\.\d+Z$/, "Z") : "");
  // what a phase waits for until its next step, counted down every second (see tick)
  const NEXT = { Baking: "bakes", WaitingForWindow: "window opens in", Pending: "starts in" };
  const countdown = (r, now) => {
    const left = Date.parse(r.nextStepAt) - now;
    const what = NEXT[r.phase] || "next step in";
    return left <= 0 ? what.replace(/ in$/, "") + " now" : what === "bakes" ? "bakes " + human(left) + " more" : what + " " + human(left);
  };
  const clock = (t) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

  async function poll() {
    try {
      // a request that never answers must not stop the polling: give up on it after a few polls
      const res = await fetch("api/board", { cache: "no-cache", signal: AbortSignal.timeout(5 * POLL_MS) });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const tag = res.headers.get("ETag");
      if (tag !== etag || board === null) {
        board = await res.json();
        etag = tag;
        render();
      }
      lastOk = Date.now();
    } catch (e) {
      console.warn("board:", e);
    }
    freshness();
    setTimeout(poll, POLL_MS);
  }

  function freshness() {
    const f = document.getElementById("freshness");
    if (!lastOk) { f.textContent = "connecting…"; return; }
    const stale = Date.now() - lastOk > 3 * POLL_MS;
    f.dataset.state = stale ? "stale" : "live";
    f.textContent = (stale ? "no answer since " : "live · checked ") + clock(lastOk);
  }

  function render() {
    const t0 = performance.now();
    const c = board.counts;
    const counts = document.getElementById("fleet-counts");
    counts.replaceChildren(
      el("span", { "data-count": "nodes" }, el("b", {}, c.nodes), " nodes"),
      el("span", { "data-count": "online" }, el("b", {}, c.online), " online"),
      el("span", { "data-count": "lost" }, el("b", {}, c.lost), " lost"),
      el("span", { "data-count": "offline" }, el("b", {}, c.offline), " offline"));
    const banner = document.getElementById("degraded");
    banner.hidden = !board.ingestDegraded;
    banner.textContent = board.ingestDegraded ? "Heartbeat ingest degraded: " + board.ingestDegraded
      + " — node health may be stale; no node is declared lost meanwhile." : "";
    releases();
    selector();
    heat();
    sites();
    lost();
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(1); // read by the browser test and bench
  }

  function releases() {
    const box = document.getElementById("releases");
    if (!board.releases.length) { box.replaceChildren(el("p", { class: "empty" }, "No EdgeReleases yet.")); return; }
    const now = Date.now();
    box.replaceChildren(...board.releases.map((r) => {
      const waves = el("div", { class: "waves" });
      (r.waves || []).forEach((w, i) => {
        const t = Math.max(w.targets, 1);
        const pct = (n) => (100 * n / t).toFixed(2) + "%";
        const inProgress = Math.max(0, w.updated - w.ready - w.failed);
        const current = r.currentWave === i + 1;
        waves.append(
          el("div", { class: "wave-name" + (current ? " current" : "") }, (current ? "▸ " : "") + w.name),
          el("div", { class: "bar", title: w.ready + " ready, " + inProgress + " in progress, " + w.failed + " failed, "
              + w.offline + " offline, " + (w.skipped || 0) + " skipped of " + w.targets },
            el("i", { class: "ok", style: "width:" + pct(w.ready) }), el("i", { class: "prog", style: "width:" + pct(inProgress) }),
            el("i", { class: "fail", style: "width:" + pct(w.failed) }), el("i", { class: "off", style: "width:" + pct(w.offline) }),
            el("i", { class: "skip", style: "width:" + pct(w.skipped || 0) })),
          el("div", { class: "wave-text", "data-wave": w.name, "data-ready": w.ready, "data-targets": w.targets,
              "data-staged": w.staged || 0, "data-staging": w.staging || 0,
              "data-completed": w.completedAt ? "true" : "false" },
            w.ready + "/" + w.targets + " ready" + (w.failed ? " · " + w.failed + " failed" : "")
              + (w.offline ? " · " + w.offline + " offline" : "")
              + (w.staged ? " · " + w.staged + " staged" : "") + (w.staging ? " · " + w.staging + " pulling" : "")
              + (w.completedAt ? " ✓" : "")));
      });
      const failures = (r.failures || []).length ? el("div", { class: "failures" }, "Failures: " + r.failures.slice(0, 5)
        .map((f) => f.node + " (" + f.wave + "): " + f.reason).join("; ") + (r.failures.length > 5 ? " …" : "")) : null;
      const done = (r.waves || []).filter((w) => w.completedAt).length;
      return el("div", { class: "release", "data-release": r.name, "data-phase": r.phase, "data-waves-completed": done },
        el("div", { class: "title" }, el("b", {}, r.namespace + "/" + r.name), el("span", { class: "phase " + r.phase }, r.phase),
          el("span", { class: "muted" }, "revision " + (r.revision || "—") + " · " + r.totals.ready + "/" + r.totals.targets
            + " ready · " + done + "/" + (r.waves || []).length + " waves done")),
        el("div", { class: "message" }, r.message || ""),
        r.nextStepAt ? el("div", { class: "next-step", "data-until": r.nextStepAt, "data-phase": r.phase,
          title: exact(r.nextStepAt) }, countdown(r, now)) : null,
        waves, staging(r), timeline(r, now), failures);
    }));
  }

  // Staging (only with spec.strategy.staging): the nodes not yet updated by state, in the server's order, and for
  // each state but staged a few sample nodes by name (a failed one with its image and error).
  const STAGING = { staged: "staged", pulling: "pulling", failed: "failed", budget: "waiting for the site budget",
    window: "outside the staging windows", leadTime: "before the lead time", offline: "offline", skipped: "skipped",
    held: "held for probe facts", queued: "not pulling yet" };
  const stagingWord = (state) => STAGING[state] || state;
  function staging(r) {
    const s = r.staging;
    if (!s || !s.states.length) return null;
    const box = el("div", { class: "staging", "data-nodes": s.nodes },
      el("div", { class: "staging-counts" }, "Staging: " + s.states.map((c) => c.count + " " + stagingWord(c.state)).join(", ")));
    for (const c of s.states) {
      if (!(c.samples || []).length) continue;
      const more = c.count - c.samples.length;
      box.append(el("div", { class: "staging-state " + c.state, "data-state": c.state, "data-count": c.count },
        el("span", { class: "staging-word" }, stagingWord(c.state) + ": "),
        c.samples.map((x) => x.node + (x.detail ? " (" + x.detail + ")" : "")).join(", ") + (more > 0 ? " … and " + more + " more" : "")));
    }
    return box;
  }

  function timeline(r, now) {
    const started = (r.waves || []).filter((w) => w.startedAt);
    if (!started.length) return null;
    const t0 = Date.parse(r.startedAt || started[0].startedAt);
    const t1 = r.finishedAt ? Date.parse(r.finishedAt) : now;
    const span = Math.max(t1 - t0, 1000);
    const x = (t) => (100 * (Date.parse(t) - t0) / span).toFixed(2) + "%";
    const box = el("div", { class: "timeline", title: "wave timeline: start to completion of each wave" });
    for (const w of r.waves) {
      const row = el("div", { class: "tl-row" });
      box.append(el("div", { class: "tl-name" }, w.name));
      if (w.startedAt) {
        const end = w.completedAt ? Date.parse(w.completedAt) : t1;
        row.append(el("i", { class: w.completedAt ? "done" : "", style: "left:" + x(w.startedAt) + ";width:"
          + (100 * (end - Date.parse(w.startedAt)) / span).toFixed(2) + "%", title: w.name + ": " + clock(Date.parse(w.startedAt))
          + " – " + (w.completedAt ? clock(end) : "now") }));
      }
      if (w.approvedAt) row.append(el("i", { class: "approved", style: "left:" + x(w.approvedAt), title: w.name + " approved " + clock(Date.parse(w.approvedAt)) }));
      box.append(row);
    }
    box.append(el("div", {}), el("div", { class: "tl-axis" }, el("span", {}, clock(t0)),
      el("span", {}, r.finishedAt ? "finished " + clock(t1) : "now")));
    return box;
  }

  function selector() {
    const sel = document.getElementById("heat-release");
    const want = ["", ...board.releases.map((r) => r.namespace + "/" + r.name)];
    const have = [...sel.options].map((o) => o.value);
    if (want.join("\n") === have.join("\n")) return;
    // the filter lives in the URL (?release=ns/name), so a link or a reload keeps it
    const keep = sel.options.length > 1 ? sel.value : new URLSearchParams(location.search).get("release") || "";
    sel.replaceChildren(el("option", { value: "" }, "all releases"), ...board.releases.map((r) =>
      el("option", { value: r.namespace + "/" + r.name }, r.namespace + "/" + r.name)));
    sel.value = want.includes(keep) ? keep : "";
  }

  // One character per node: liveness first (lost, offline), then the chosen release, or the worst of all releases.
  function cells() {
    const pick = document.getElementById("heat-release").value;
    const rs = board.releases.filter((r) => !pick || r.namespace + "/" + r.name === pick);
    const n = board.nodes.length, out = new Array(n);
    for (let i = 0; i < n; i++) {
      const l = board.liveness[i];
      if (l === "L" || l === "O") { out[i] = l; continue; }
      let best = "-";
      for (const r of rs) { const c = r.cells[i]; if (WORST[c] > WORST[best]) best = c; }
      out[i] = best;
    }
    return out;
  }

  function heat() {
    const codes = cells();
    const count = {};
    for (const c of codes) count[c] = (count[c] || 0) + 1;
    document.getElementById("legend").replaceChildren(...ORDER.filter((c) => count[c] || "UPFLO".includes(c)).map((c) =>
      el("span", { style: "--c:var(" + COLORS[c] + ")", "data-state": NAMES[c], "data-count": count[c] || 0 },
        NAMES[c] + " " + (count[c] || 0))));
    const canvas = document.getElementById("heat");
    const width = canvas.parentElement.clientWidth - 16;
    const n = codes.length;
    // the largest cell that keeps the map under ~640 px high
    let size = 22, gap = 3;
    for (; size > 2; size--) { if (place(size, gap, width).height <= 640) break; }
    layout = place(size, gap, width);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, width * dpr); canvas.height = Math.max(1, layout.height * dpr);
    canvas.style.height = layout.height + "px"; // CSSOM: allowed by the CSP
    const g = canvas.getContext("2d");
    g.scale(dpr, dpr);
    const colors = {};
    for (const c of ORDER) colors[c] = color(c);
    const inner = size > 4 ? size - 1 : size;
    g.font = "10px system-ui, sans-serif";
    g.textBaseline = "top";
    g.fillStyle = css.getPropertyValue("--muted").trim() || "#666";
    for (const b of layout.blocks) {
      let name = b.site;
      while (name.length > 1 && g.measureText(name).width > b.w) name = name.slice(0, -2) + "…";
      g.fillText(name, b.x, b.labelY + 1);
    }
    canvas.dataset.sites = layout.blocks.map((b) => b.site).join(",");
    for (const b of layout.blocks) {
      for (let k = 0; k < b.count; k++) {
        g.fillStyle = colors[codes[b.from + k]];
        g.fillRect(b.x + (k % b.cols) * size, b.y + Math.floor(k / b.cols) * size, inner, inner);
      }
    }
    canvas.dataset.nodes = n;
  }

  // Sites are square-ish blocks of cells, flowed left to right.
  // Each site's block carries its name above it (a label row of LABEL px), as wide as the block allows.
  const LABEL = 12;
  function place(size, gap, width) {
    const blocks = [];
    let x = 0, y = 0, rowH = 0;
    for (const s of board.sites) {
      const cols = Math.max(1, Math.ceil(Math.sqrt(s.count)), Math.min(12, Math.ceil(s.name.length * 6 / size)));
      const w = cols * size, h = Math.ceil(s.count / cols) * size;
      if (x > 0 && x + w > width) { x = 0; y += rowH + LABEL + gap; rowH = 0; }
      blocks.push({ site: s.name, from: s.from, count: s.count, cols, x, y: y + LABEL, w, h, labelY: y });
      x += w + gap; rowH = Math.max(rowH, h);
    }
    return { blocks, size, height: y + LABEL + rowH + 1 };
  }

  function tip(ev) {
    const t = document.getElementById("tip");
    if (!layout || !board) { t.hidden = true; return; }
    const r = ev.target.getBoundingClientRect();
    const x = ev.clientX - r.left, y = ev.clientY - r.top;
    const b = layout.blocks.find((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h);
    if (!b) { t.hidden = true; return; }
    const k = Math.floor((y - b.y) / layout.size) * b.cols + Math.floor((x - b.x) / layout.size);
    if (k >= b.count) { t.hidden = true; return; }
    const i = b.from + k, code = cells()[i];
    t.textContent = board.nodes[i] + " · " + b.site + " · " + NAMES[code];
    t.style.left = (x + 14) + "px"; t.style.top = (y + 10) + "px";
    t.hidden = false;
  }

  /** Sites with a node lost, unreachable ones first (the server sorts them); every site counted in the title. */
  function sites() {
    const all = board.siteHealth || [];
    const troubled = all.filter((s) => s.unreachable || s.lost > 0);
    const down = all.filter((s) => s.unreachable).length;
    document.getElementById("sites-total").textContent = "(" + all.length + " sites"
      + (down ? ", " + down + " unreachable" : troubled.length ? "" : ", all reachable") + ")";
    document.querySelector("#sites tbody").replaceChildren(...troubled.map((s) => el("tr", { "data-site": s.name,
      "data-state": s.unreachable ? "unreachable" : "reachable" },
      el("td", {}, s.name), el("td", { class: s.unreachable ? "lost" : "" }, s.unreachable ? "unreachable" : "reachable"),
      el("td", {}, s.lost + " of " + s.nodes))));
  }

  function lost() {
    const now = Date.now();
    document.getElementById("lost-total").textContent = board.lostTotal
      ? "(" + board.lostTotal + (board.lostTotal > board.lost.length ? ", first " + board.lost.length + " shown" : "") + ")" : "(none)";
    document.querySelector("#lost tbody").replaceChildren(...board.lost.map((l) => el("tr", { "data-node": l.node, "data-state": l.state },
      el("td", {}, l.node), el("td", {}, l.site), el("td", { class: l.state }, l.state),
      el("td", { title: exact(l.since) }, ago(l.since, now)),
      el("td", { title: exact(l.lastSeen) }, l.lastSeen ? ago(l.lastSeen, now) : "—"), el("td", {}, l.gpus || "—"),
      el("td", {}, (l.gpuDrivers || []).join(", ") || "—"), el("td", { title: l.message || "" }, l.reason || ""))));
  }

  document.getElementById("heat-release").addEventListener("change", () => {
    const v = document.getElementById("heat-release").value;
    const url = new URL(location.href);
    if (v) url.searchParams.set("release", v); else url.searchParams.delete("release");
    history.replaceState(null, "", url);
    heat();
  });
  // countdowns move every second between polls
  function tick() {
    const now = Date.now();
    for (const e of document.querySelectorAll(".next-step[data-until]")) {
      e.textContent = countdown({ nextStepAt: e.dataset.until, phase: e.dataset.phase }, now);
    }
  }
  setInterval(tick, 1000);
  document.getElementById("heat").addEventListener("mousemove", tip);
  document.getElementById("heat").addEventListener("mouseleave", () => { document.getElementById("tip").hidden = true; });
  let resize = null;
  window.addEventListener("resize", () => { clearTimeout(resize); resize = setTimeout(() => board && heat(), 150); });
  setInterval(freshness, 1000);
  poll();
})();
