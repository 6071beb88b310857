// The source ⇄ assembly explorer: each source line and the instructions compiled from it share a colour band;
// relocations are red marks under the instruction that holds them; pick a function, a GOARCH, a Go version (or
// both side by side), a source line (arrow keys step through the function's lines); profile samples painted.
// data: see gokit/views/explorers/asm.py (asm_data); state: {function, goarch, go, line, pseudo}.

const PALETTE = ["#fde2b8", "#c9e7f8", "#d5f0c8", "#f6cde0", "#e3d7f7", "#fff3a8", "#c8efe9", "#f9d3c5",
  "#dce3f1", "#eaf2b5", "#f1d9f2", "#cfe0c3"];
const INLINED = "#eeeeee";
const I = { pc: 0, file: 1, line: 2, op: 3, args: 4, pseudo: 5, rels: 6 };

class AsmView extends GxAskingView {
  constructor(root, model) {
    super(root, model);
    root.addEventListener("keydown", (ev) => {   // arrow keys step through the function's source lines
      const k = { ArrowDown: 1, ArrowUp: -1, ArrowRight: 1, ArrowLeft: -1 }[ev.key];
      if (!k || !gxOwnKey(ev)) return;
      const used = this.usedLines();
      if (!used.length) return;
      ev.preventDefault();
      const cur = Number(this.m.state.line || 0);
      let i = used.indexOf(cur);
      i = i < 0 ? (k > 0 ? 0 : used.length - 1) : Math.max(0, Math.min(used.length - 1, i + k));
      this.m.set({ line: used[i] });
    });
    this.setData();
  }

  build() {
    const d = this.d, root = this.root;
    root.innerHTML = "";
    const fnOpts = d.own.map((f) => [f, f]);
    if (d.others.length) fnOpts.push(["── other symbols of the package ──", "", "disabled"], ...d.others.map((f) => [f, f]));
    this.fnOpts = fnOpts;
    this.fnSel = gxSelect(fnOpts, "", (v) => this.m.set({ function: v, line: 0 }), { "aria-label": "function", class: "mono" });
    this.archSel = gxSelect([], "", (v) => this.chooseArch(v), { "aria-label": "GOARCH" });
    this.goSel = gxSelect([], "", (v) => this.m.set({ go: v }), { "aria-label": "Go version" });
    this.pseudo = gxH("input", { type: "checkbox" });
    this.pseudo.addEventListener("change", () => this.m.set({ pseudo: this.pseudo.checked }));
    this.lineSel = gxSelect([], 0, (v) => this.m.set({ line: Number(v) }), { "aria-label": "source line", class: "mono" });
    this.status = gxH("div", { class: "status", "aria-live": "polite" });
    this.panes = gxH("div", { class: "gokit-asm", tabindex: "0",
      "aria-label": "source and assembly: click a line, or step through the lines with the arrow keys" });
    this.legend = gxH("div", { class: "legend small muted" });
    root.append(
      gxH("div", { class: "bar" }, gxH("label", {}, "function", this.fnSel), gxH("label", {}, "GOARCH", this.archSel),
        d.gos.length > 1 ? gxH("label", {}, "Go", this.goSel) : null,
        gxH("label", {}, this.pseudo, "FUNCDATA/PCDATA")),
      gxH("div", { class: "bar" }, gxH("label", { class: "grow" }, "line", this.lineSel)),
      this.status, this.panes, this.legend);
    this.panes.addEventListener("click", (ev) => {
      const row = ev.composedPath()[0].closest && ev.composedPath()[0].closest("[data-line]");
      if (row) {
        const n = Number(row.dataset.line);
        this.m.set({ line: Number(this.m.state.line) === n ? 0 : n });
      }
    });
  }

  chooseArch(arch) {
    const d = this.d;
    if (!this.has(d.gos[0], arch)) {
      if (this.m.live) { this.pending = arch; this.error = null; this.m.ask({ goarch: arch }); }
      else this.error = null;
    }
    this.m.set({ goarch: arch });
  }

  has(go, arch) { return !!this.d.builds[`${go}/${arch}`]; }

  shown() {
    const d = this.d, st = this.m.state;
    const gos = st.go === "both" ? d.gos : [st.go];
    return gos.map((g) => ({ key: `${g}/${st.goarch}`, go: g, b: d.builds[`${g}/${st.goarch}`] }));
  }

  // the source lines of the chosen function (in the first listing shown that has it), in order
  usedLines() {
    const own = this.d.files.indexOf(this.d.file);
    for (const { b } of this.shown()) {
      const fn = b && b.functions[this.m.state.function];
      if (!fn) continue;
      return [...new Set(fn.insts.filter((i) => !i[I.pseudo] && i[I.file] === own && i[I.line] !== null)
        .map((i) => i[I.line]))].sort((a, b) => a - b);
    }
    return [];
  }

  apply() { gxTimed(this.root, () => this.draw()); }

  draw() {
    const d = this.d, st = this.m.state;
    gxSetOptions(this.fnSel, this.fnOpts, st.function);
    const archOpts = d.arches.map((a) => [a, a]).concat(
      Object.keys(d.builds).map((k) => k.split("/")[1]).filter((a, i, all) => !d.arches.includes(a) && all.indexOf(a) === i)
        .map((a) => [a, a]),
      d.more.filter((a) => !this.has(d.gos[0], a)).map((a) => [`${a} (needs a compile)`, a]));
    gxSetOptions(this.archSel, archOpts, st.goarch);
    if (d.gos.length > 1) {
      gxSetOptions(this.goSel, [...d.gos.map((g) => [`go${g}`, g]), ["both, side by side", "both"]], st.go);
    }
    this.pseudo.checked = !!st.pseudo;
    const used = this.usedLines();
    const line = Number(st.line || 0);
    gxSetOptions(this.lineSel, [["(pick a source line)", 0], ...used.map((n) => [`${n}: ${(d.lines[n - 1] || "").trim()
      .slice(0, 70)}`, n])], used.includes(line) ? line : 0);
    const shown = this.shown();
    const missing = shown.filter((s) => !s.b);
    // the status: what is missing here, or how many instructions the picked line became
    let status = "";
    if (missing.length) {
      const k = missing[0].key;
      if (d.errors[k]) status = `<div class="note err">${gxEsc(`go${k}: ${d.errors[k]}`)}</div>`;
      else if (this.pending === st.goarch && this.m.live) {
        status = `<div class="note">compiling for ${gxEsc(st.goarch)}…</div>`;
      } else if (this.error) status = `<div class="note err">${gxEsc(this.error)}</div>`;
      else if (!this.m.live) status = `<div class="note">${gxEsc(gxNeedsKernel(`The ${st.goarch} listing`))}</div>`;
      else status = `<div class="note">${gxEsc(`The ${st.goarch} listing is not made yet.`)}</div>`;
    } else if (line) {
      const own = d.files.indexOf(d.file);
      const counts = shown.map(({ b }) => {
        const fn = b.functions[st.function];
        if (!fn) return `go${b.go} ${b.goarch}: not built`;
        const k = fn.insts.filter((i) => !i[I.pseudo] && i[I.line] === line && i[I.file] === own).length;
        return `go${b.go} ${b.goarch}: ${k} instruction${k !== 1 ? "s" : ""}`;
      });
      status = `line ${line} → ${counts.join("; ")}`;
    }
    this.status.innerHTML = status;
    const key = JSON.stringify([st.function, st.goarch, st.go, line, !!st.pseudo, shown.map((s) => !!s.b)]);
    if (this.memo.panes === key) return;
    this.memo.panes = key;
    this.drawPanes(shown.filter((s) => s.b), line, !!st.pseudo);
  }

  drawPanes(shown, picked, pseudo) {
    const d = this.d, fnName = this.m.state.function;
    const own = d.files.indexOf(d.file);
    // one colour per source line the function's code comes from (in every listing shown)
    const lines = new Set();
    for (const { b } of shown) {
      const fn = b.functions[fnName];
      if (fn) for (const i of fn.insts) if (!i[I.pseudo] && i[I.file] === own && i[I.line] !== null) lines.add(i[I.line]);
    }
    const colours = new Map([...lines].sort((a, b) => a - b).map((n, k) => [n, PALETTE[k % PALETTE.length]]));
    const shares = d.lineShares;
    const mostLine = shares ? Math.max(0, ...Object.values(shares)) : 0;
    const src = [`<div class="pane gokit-asm-source"><h4>${gxEsc(d.file)}</h4>`];
    d.lines.forEach((text, k) => {
      const n = k + 1;
      const bg = colours.get(n);
      const pct = shares ? gxPct(shares[String(n)], mostLine) : "";
      src.push(`<div class="row${n === picked ? " picked" : ""}${bg ? " clickable" : ""}" data-line="${n}"`
        + `${bg ? ` style="background:${bg}"` : ""}>${pct}<span class="ln">${n}</span><span class="code">`
        + `${gxEsc(text.replace(/\t/g, "    "))}</span></div>`);
    });
    src.push("</div>");
    const panes = [src.join("")];
    for (const { b } of shown) {
      const title = `go${b.go} ${b.goos}/${b.goarch}`;
      const fn = b.functions[fnName];
      if (!fn) {
        panes.push(`<div class="pane gokit-asm-code"><h4>${gxEsc(title)}</h4><div class="row"><i>${gxEsc(fnName)} is `
          + "not in this build</i></div></div>");
        continue;
      }
      const pcs = b.pcs ? (b.pcs[fnName] || {}) : null;
      const most = pcs ? Math.max(0, ...Object.values(pcs)) : 0;
      const out = [`<div class="pane gokit-asm-code"><h4>${gxEsc(title)} — ${gxEsc(fnName)}: ${fn.n} instructions, `
        + `${fn.size} bytes${fn.frame ? ", frame " + gxEsc(fn.frame) : ""}</h4>`];
      for (const i of fn.insts) {
        if (i[I.pseudo] && !pseudo) continue;
        const mine = i[I.file] === own && i[I.line] !== null;
        const bg = mine ? colours.get(i[I.line]) : (i[I.line] !== null ? INLINED : "");
        const cls = "row ins" + (mine && i[I.line] === picked ? " picked" : "") + (mine ? " clickable" : "");
        const pct = pcs ? gxPct(i[I.pseudo] ? 0 : pcs[String(i[I.pc])], most) : "";
        const from = mine ? "" : `<span class="from">${i[I.line] !== null ? gxEsc(`${d.files[i[I.file]]}:${i[I.line]}`)
          : "no line"}</span>`;
        const rels = i[I.rels].map(([type, target, size, offset]) => `<span class="rel" title="${size} bytes at `
          + `offset ${offset} of ${gxEsc(fnName)}">← ${gxEsc(type)} ${gxEsc(target)}</span>`).join("");
        out.push(`<div class="${cls}"${mine ? ` data-line="${i[I.line]}"` : ""}${bg ? ` style="background:${bg}"` : ""}>`
          + `${pct}<span class="pc">0x${i[I.pc].toString(16).padStart(4, "0")}</span><span class="op${i[I.pseudo]
            ? " pseudo" : ""}">${gxEsc(i[I.op])}</span><span class="args">${gxEsc(i[I.args])}</span>${from}${rels}</div>`);
      }
      out.push("</div>");
      panes.push(out.join(""));
    }
    this.panes.className = `gokit-asm n${shown.length}`;
    this.panes.innerHTML = panes.join("");
    if (picked) for (const p of this.panes.querySelectorAll(".pane")) gxReveal(p, ".row.picked");
    this.legend.innerHTML = "Each colour ties a source line to the instructions compiled from it; grey rows were "
      + "inlined from another file (named on the right); <span class='relmark'>red boxes</span> are relocations: "
      + "holes the linker fills with the address of the symbol named." + (pseudo ? "" : " FUNCDATA/PCDATA lines are hidden.")
      + (d.lineShares ? " Percentages are the share of CPU samples taken on that line or instruction (gokit.profile)." : "")
      + " Click a line (or use the arrow keys) to pick it.";
  }
}

function render({ model, el }) { return gxRender(AsmView, CSS, model, el); }

export default { render };
