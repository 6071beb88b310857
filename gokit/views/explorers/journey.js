// The journey explorer: one source line through every stage, a column each (tokens, syntax nodes, types, SSA
// values at a chosen pass, instructions, relocations → symbols, machine code). Click (or hover, or step to with the
// arrow keys) an instruction: the SSA value it came from, its inlining, relocations and samples show.
// data: see gokit/views/explorers/journey.py (journey_data); state: {line, pass, pc: [function, pc] | null}.

const BADGES = { new: "#2c7a2c", moved: "#2c7a2c", op: "#1f5fbf", dead: "#6b7075", removed: "#b00000" };

function badge(kind, text) {
  return `<span class="badge" style="background:${BADGES[kind]}">${gxEsc(text)}</span>`;
}

function changeBadges(change, fate) {
  const out = [];
  for (const part of change.split(";").map((p) => p.trim()).filter(Boolean)) {
    if (part === "new") out.push(badge("new", "new"));
    else if (part.startsWith("moved here")) out.push(badge("moved", part));
    else if (part === "dead") out.push(badge("dead", "dead"));
    else if (part.includes("→")) out.push(badge("op", part));
  }
  if (fate) out.push(badge("removed", fate.replace("removed by ", "next: removed by ")));
  return out.join("");
}

function column(title, count, body, origin, cls) {
  return `<div class="jcol${cls ? " " + cls : ""}"><h4>${title} <span class="muted">(${gxEsc(count)}) · `
    + `${gxEsc(origin)}</span></h4>${body}</div>`;
}

function hex(n, w) { return "0x" + n.toString(16).padStart(w || 0, "0"); }

class JourneyView extends GxAskingView {
  constructor(root, model) {
    super(root, model);
    root.addEventListener("keydown", (ev) => { if (ev.target === root && this.step) this.step(ev); });
    this.setData();
  }

  build() {
    const d = this.d, root = this.root;
    root.innerHTML = "";
    this.codeLines = d.lines.map((t, i) => (t.trim() ? i + 1 : 0)).filter(Boolean);
    this.lineSel = gxSelect(this.codeLines.map((n) => [`${n}: ${d.lines[n - 1].trim().slice(0, 70)}`, n]), 0,
      (v) => this.pickLine(Number(v)), { "aria-label": "line", class: "mono" });
    this.passSel = gxSelect([], "", (v) => this.m.set({ pass: v }), { "aria-label": "SSA pass" });
    this.status = gxH("div", { class: "status", "aria-live": "polite" });
    const prof = d.profile;
    const mostLine = prof ? Math.max(0, ...Object.values(prof.lines)) : 0;
    this.src = gxH("div", {
      class: "pane src mono", tabindex: "0", role: "listbox", "aria-label": "source lines: pick one to follow it",
      html: d.lines.map((t, i) => `<div class="jline${t.trim() ? " clickable" : ""}" role="option" data-line="${i + 1}">`
        + (prof ? gxPct(prof.lines[String(i + 1)], mostLine) : "")
        + `<span class="ln">${i + 1}</span><span class="code">${gxEsc(t.replace(/\t/g, "    "))}</span></div>`).join(""),
    });
    this.cols = gxH("div", { class: "cols" });
    root.append(
      gxH("div", { class: "bar" }, gxH("label", { class: "grow" }, "line", this.lineSel),
        gxH("label", { class: "grow" }, "SSA pass", this.passSel)),
      this.status,
      gxH("div", { class: "gokit-journey" }, gxH("div", { class: "left" }, this.src), this.cols));
    this.src.addEventListener("click", (ev) => {
      const row = ev.composedPath()[0].closest && ev.composedPath()[0].closest("[data-line]");
      if (row && d.lines[Number(row.dataset.line) - 1].trim()) this.pickLine(Number(row.dataset.line));
    });
    const step = (ev) => {
      const k = { ArrowDown: 1, ArrowUp: -1 }[ev.key];
      if (!k || !gxOwnKey(ev)) return;
      ev.preventDefault();
      ev.stopPropagation();
      const i = this.codeLines.indexOf(Number(this.m.state.line));
      const to = this.codeLines[Math.max(0, Math.min(this.codeLines.length - 1, (i < 0 ? 0 : i + k)))];
      if (to) this.pickLine(to);
    };
    this.src.addEventListener("keydown", step);
    this.step = step;
    // instructions: click or Enter picks one (its detail shows); hover lights the SSA value it came from
    this.cols.addEventListener("click", (ev) => {
      const t = ev.composedPath()[0];
      const ins = t.closest && t.closest("[data-pc]");
      if (ins) { this.pickIns(ins.dataset.fn, Number(ins.dataset.pc)); return; }
      const val = t.closest && t.closest("[data-value]");
      if (val) {
        const j = this.journey();
        const hit = j && j.asm.find((a) => a[0] === val.dataset.fn && a[5] === Number(val.dataset.value));
        if (hit) this.pickIns(hit[0], hit[1]);
        else this.link(val.dataset.fn, Number(val.dataset.value), true);
      }
    });
    this.cols.addEventListener("keydown", (ev) => {
      const t = ev.composedPath()[0];
      if (t.dataset && t.dataset.pc !== undefined && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        this.pickIns(t.dataset.fn, Number(t.dataset.pc));
        return;
      }
      const k = { ArrowDown: 1, ArrowUp: -1 }[ev.key];
      if (!k || !(t.dataset && t.dataset.pc !== undefined)) return;
      ev.preventDefault();
      ev.stopPropagation();
      const rows = [...this.cols.querySelectorAll("[data-pc]")];
      const next = rows[Math.max(0, Math.min(rows.length - 1, rows.indexOf(t) + k))];
      if (next) { next.focus(); this.pickIns(next.dataset.fn, Number(next.dataset.pc)); }
    });
    this.cols.addEventListener("mouseover", (ev) => {
      const t = ev.composedPath()[0];
      const ins = t.closest && t.closest("[data-pc]");
      if (ins && ins.dataset.value) this.link(ins.dataset.fn, Number(ins.dataset.value), false);
      const val = t.closest && t.closest("[data-value]:not([data-pc])");
      if (val) this.link(val.dataset.fn, Number(val.dataset.value), false);
    });
    this.cols.addEventListener("mouseleave", () => this.link(null, null, false));
  }

  journey() { return this.d.journeys[String(this.m.state.line)] || null; }

  pickLine(n) {
    const have = this.d.journeys[String(n)] || this.d.errors[String(n)];
    if (!have && this.m.live) { this.pending = n; this.error = null; this.m.ask({ line: n }); }
    this.m.set({ line: n, pc: null });
  }

  pickIns(fn, pc) {
    const cur = this.m.state.pc;
    this.m.set({ pc: cur && cur[0] === fn && cur[1] === pc ? null : [fn, pc] });
  }

  // light the SSA rows of a value and the instructions made from it (sticky: a picked instruction's value)
  link(fn, vid, sticky) {
    for (const el of this.cols.querySelectorAll(".linked")) el.classList.remove("linked");
    if (fn === null) { if (!sticky) this.relink(); return; }
    const sel = `[data-fn="${CSS_ESCAPE(fn)}"][data-value="${vid}"]`;
    for (const el of this.cols.querySelectorAll(sel)) el.classList.add("linked");
  }

  relink() {
    const pc = this.m.state.pc;
    const j = this.journey();
    if (!pc || !j) return;
    const hit = j.asm.find((a) => a[0] === pc[0] && a[1] === pc[1]);
    if (hit && hit[5] !== null) this.link(hit[0], hit[5], true);
  }

  apply() { gxTimed(this.root, () => this.draw()); }

  draw() {
    const d = this.d, st = this.m.state;
    const line = Number(st.line);
    const j = this.journey();
    this.lineSel.value = String(line);
    for (const r of this.src.querySelectorAll(".jline.picked")) { r.classList.remove("picked"); r.removeAttribute("aria-selected"); }
    const row = this.src.querySelector(`[data-line="${line}"]`);
    if (row) { row.classList.add("picked"); row.setAttribute("aria-selected", "true"); }
    if (this.memo.line !== line) { this.memo.line = line; gxReveal(this.src, ".jline.picked"); }
    // the pass picker: the passes of the line's first function, with how many of its values each touched
    const fn0 = j ? Object.keys(j.passes)[0] : null;
    if (fn0) {
      const names = j.passes[fn0];
      const pass = names.includes(st.pass) ? st.pass : names[names.length - 1];
      gxSetOptions(this.passSel, names.map((n, i) => [`${i}: ${n}` + (j.events[i]
        ? ` · ${j.events[i]} change${j.events[i] !== 1 ? "s" : ""}` : ""), n]), pass);
      this.passSel.disabled = false;
    } else {
      gxSetOptions(this.passSel, [["(no SSA for this line)", ""]], "");
      this.passSel.disabled = true;
    }
    // status
    let status = "";
    if (!j) {
      if (d.errors[String(line)]) status = `<div class="note err">${gxEsc(d.errors[String(line)])}</div>`;
      else if (this.pending === line && this.m.live) status = `<div class="note">following line ${line}…</div>`;
      else if (this.error) status = `<div class="note err">${gxEsc(this.error)}</div>`;
      else if (!this.m.live) status = `<div class="note">${gxEsc(gxNeedsKernel(`The journey of line ${line}`))}</div>`;
    }
    this.status.innerHTML = status;
    const key = JSON.stringify([line, st.pass, st.pc, !!j]);
    if (this.memo.cols === key) return;
    this.memo.cols = key;
    const had = this.root.getRootNode().activeElement;
    const keep = had && this.cols.contains(had) && had.dataset && had.dataset.pc !== undefined;
    this.cols.innerHTML = j ? this.columnsHtml(j, st) : `<div class="jhead"><b>${gxEsc(d.file)}:${line}</b> `
      + `<code>${gxEsc((d.lines[line - 1] || "").trim())}</code></div>`;
    if (keep) {   // stepping through instructions with the keyboard: the picked one keeps the focus
      const row = this.cols.querySelector(".jrow.ins.picked");
      if (row) row.focus();
    }
    this.relink();
  }

  columnsHtml(j, st) {
    const d = this.d;
    const head = `<div class="jhead"><b>${gxEsc(d.file)}:${j.line}</b> <code>${gxEsc(j.code.trim())}</code>`
      + (j.function ? ` — in <b>${gxEsc(j.function)}</b>` : "") + "</div>";
    // 1 tokens
    const chips = j.tokens.map(([text, tok, l, c, ins]) => (ins
      ? "<span class='tok ins' title='inserted by the scanner at the end of the line'>;<i>auto</i></span>"
      : `<span class="tok" title="${gxEsc(tok)} at ${l}:${c}">${gxEsc(text)}<i>${gxEsc(tok)}</i></span>`)).join("");
    const c1 = column("1 tokens", j.tokens.length, `<div class="chips">${chips
      || "<div class='sub'>no tokens: the line is empty</div>"}</div>`, "go/scanner");
    // 2 nodes
    const around = j.enclosing.slice(-3).join(" › ");
    const nodes = j.nodes.map(([depth, kind, key, field, pos, end]) => `<div class="jrow" title="${gxEsc(field)} `
      + `${gxEsc(pos)}–${gxEsc(end)}">${"  ".repeat(depth)}<b>${gxEsc(kind)}</b> ${gxEsc(key)}</div>`).join("");
    const c2 = column("2 syntax nodes", j.nodes.length, (around ? `<div class="sub">inside ${gxEsc(around)}</div>` : "")
      + (nodes || "<div class='sub'>no node starts on this line</div>"), "go/parser");
    // 3 types
    const types = j.types.map(([expr, type, mode, value, kind, pos]) => `<div class="jrow" title="${gxEsc(kind)} at `
      + `${gxEsc(pos)}">${gxEsc(expr)}: <b>${gxEsc(type)}</b> <span class="muted">${gxEsc(mode)}`
      + `${value ? " = " + gxEsc(value) : ""}</span></div>`).join("");
    const c3 = column("3 types", j.types.length, types || "<div class='sub'>no typed expression</div>", "go/types");
    // 4 SSA at the pass chosen (for each function: that pass, or its last when it has no such pass)
    const parts = [];
    let shown = 0, titlePass = "";
    for (const [fn, names] of Object.entries(j.passes)) {
      const name = names.includes(st.pass) ? st.pass : names[names.length - 1];
      titlePass = titlePass || name;
      const p = names.indexOf(name);
      parts.push(`<div class="sub">${gxEsc(fn)}</div>`);
      const rows = [];
      const runsOf = new Map(j.ssa[fn] || []);
      const orders = j.order[fn] || [];
      let ids = [];
      for (const [first, list] of orders) if (first <= p) ids = list;   // the pass's own order, block by block
      for (const vid of ids) {
        const r = (runsOf.get(vid) || []).find((x) => x[0] <= p && p <= x[1]);
        if (!r) continue;
        const change = r[0] === p ? r[4] : "", fate = r[1] === p ? r[5] : "";
        rows.push(`<div class="jrow${r[3] ? " dead" : ""}" data-fn="${gxEsc(fn)}" data-value="${vid}">`
          + `${gxEsc(r[2])}${changeBadges(change, fate)}</div>`);
      }
      if (!rows.length) parts.push("<div class='sub in'>no value of this line after this pass</div>");
      parts.push(...rows);
      shown += rows.length;
    }
    if (!Object.keys(j.passes).length) parts.push("<div class='sub'>no SSA: no function holds code of this line</div>");
    const c4 = column(titlePass ? `4 SSA after <b>${gxEsc(titlePass)}</b>` : "4 SSA", shown, parts.join(""),
      "GOSSAFUNC; click a value for its instructions", "wide wrap");
    // 5 instructions
    const prof = d.profile;
    const ins = [];
    let n = 0;
    const picked = st.pc;
    const fns = [...new Set(j.asm.map((a) => a[0]))];
    for (const fn of fns) {
      const pcs = prof && prof.pcs[fn] ? prof.pcs[fn] : null;
      const most = pcs ? Math.max(0, ...Object.values(pcs)) : 0;
      ins.push(`<div class="sub">${gxEsc(fn)}</div>`);
      for (const [f, pc, op, args, inline, vid, ssa] of j.asm) {
        if (f !== fn) continue;
        n++;
        const tip = (ssa || "the compiler records no SSA value for this instruction") + (inline ? "\n" + inline : "");
        const on = picked && picked[0] === fn && picked[1] === pc;
        ins.push(`<div class="jrow ins${inline ? " inl" : ""}${on ? " picked" : ""}" tabindex="0" data-fn="${gxEsc(fn)}" `
          + `data-pc="${pc}"${vid !== null ? ` data-value="${vid}"` : ""} title="${gxEsc(tip)}">`
          + (prof ? gxPct(pcs ? pcs[String(pc)] : 0, most) : "")
          + `<span class="pc">${hex(pc, 4)}</span><span class="op">${gxEsc(op)}</span><span class="args">${gxEsc(args)}`
          + `${vid !== null ? `<span class="vid">v${vid}</span>` : ""}</span></div>`);
        if (on) ins.push(this.detailHtml(j, fn, pc));
        for (const [rf, rpc, type, sym] of j.rels) {
          if (rf === fn && rpc === pc) ins.push(`<div class="jrow rel">← ${gxEsc(type)} ${gxEsc(sym)}</div>`);
        }
      }
    }
    const c5 = column("5 instructions", n, ins.join("")
      || "<div class='sub'>no instruction: the compiler generated no code for this line</div>",
      "go tool compile -S; click one for its SSA value", "wide");
    // 6 relocations -> symbols
    const syms = j.symbols.map(([sym, where, rels]) => `<div class="jrow" title="${gxEsc(rels)}"><b>${gxEsc(sym)}</b></div>`
      + `<div class="jrow to">→ ${gxEsc(where)}</div>`).join("");
    const c6 = column("6 relocations → symbols", j.symbols.length, syms
      || "<div class='sub'>no relocation: every operand of these instructions is known to the compiler</div>", "go tool nm");
    // 7 machine code
    const mach = j.machine.map(([addr, bytes, op, args, inline]) => `<div class="jrow mach${inline ? " inl" : ""}">`
      + `<span class="pc">${hex(addr)}</span><span class="bytes">${gxEsc(bytes)}</span><span class="op">${gxEsc(op)}</span>`
      + `<span class="args">${gxEsc(args)}</span></div>`).join("");
    const c7 = column("7 machine code", j.machine.length, mach
      || "<div class='sub'>none of this line's code is in the linked binary</div>", "go tool objdump of the linked binary",
      "wide");
    const notes = j.notes.map((x) => `<div>${gxEsc(x)}</div>`).join("");
    const legend = "<div class='notes'>Grey rows: code inlined into this line from another function, or this line's code "
      + "inlined into another function. Click (or hover) an instruction for the SSA value the compiler made it from "
      + "(v-numbers link the two columns)." + (prof ? " Percentages: share of the CPU samples." : "") + "</div>";
    return `${head}<div class="jcols">${c1}${c2}${c3}${c4}${c5}${c6}${c7}</div>${legend}<div class="notes">${notes}</div>`;
  }

  detailHtml(j, fn, pc) {
    const d = this.d;
    const a = j.asm.find((x) => x[0] === fn && x[1] === pc);
    if (!a) return "";
    const [, , op, args, inline, vid, ssa] = a;
    const rels = j.rels.filter((r) => r[0] === fn && r[1] === pc).map((r) => `${r[2]} ${r[3]}`);
    const share = d.profile && d.profile.pcs[fn] ? d.profile.pcs[fn][String(pc)] : 0;
    const m = j.machine.find((x) => x[5] === fn && x[6] === pc);
    const rows = [
      ["instruction", `${hex(pc, 4)} ${op} ${args} in ${fn}`],
      ["from SSA", ssa ? ssa : "the compiler records no SSA value for this instruction"],
    ];
    if (inline) rows.push(["inlining", inline]);
    if (rels.length) rows.push(["relocations", rels.join("; ")]);
    if (m) rows.push(["in the binary", `${hex(m[0])}: ${m[1]}`]);
    if (d.profile) rows.push(["CPU samples", share ? `${(share * 100).toFixed(1)}% of all samples` : "none"]);
    return "<div class='detail' role='note'>" + rows.map(([k, v]) => `<div><b>${gxEsc(k)}</b> ${gxEsc(v)}</div>`).join("")
      + "</div>";
  }
}

function CSS_ESCAPE(s) { return String(s).replace(/["\\]/g, "\\$&"); }

function render({ model, el }) { return gxRender(JourneyView, CSS, model, el); }

export default { render };
