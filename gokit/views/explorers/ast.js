// The AST explorer: a node list; the file with the picked node's span marked (click a line: its innermost node
// is picked, as astexplorer does); the node's fields and type; toggles that hide empty fields and positions.
// data: see gokit/views/explorers/ast.py (ast_data); state: {node, line, hide_empty, hide_positions}.

const N = { file: 0, kind: 1, where: 2, parent: 3, pos: 4, end: 5, fields: 6, positions: 7, type: 8, comment: 9, label: 10 };

function posText(p) { return p ? `${p[0]}:${p[1]}` : "None"; }

class ASTView {
  constructor(root, model) {
    this.root = root;
    this.m = new GxModel(model);
    root.addEventListener("keydown", (ev) => { if (ev.target === root && this.stepLine) this.stepLine(ev); });
    this.setData();
  }

  setData() {
    const d = this.m.data;
    this.d = d;
    this.kids = new Map();
    d.nodes.forEach((n, i) => {
      if (n[N.parent] === null) return;
      if (!this.kids.has(n[N.parent])) this.kids.set(n[N.parent], []);
      this.kids.get(n[N.parent]).push(i);
    });
    this.outlineAt = new Map(d.outline.map(([, id], i) => [id, i]));
    this.memo = {};
    this.srcFile = null;
    this.build();
    this.apply();
  }

  build() {
    const d = this.d, root = this.root;
    root.innerHTML = "";
    this.title = gxH("div", { class: "title" });
    this.list = gxH("div", {
      class: "pane nodes mono", tabindex: "0", role: "listbox", "aria-label": "syntax tree nodes",
      html: d.outline.map(([label, id]) => `<div class="node" role="option" data-node="${id}">${gxEsc(label)}</div>`)
        .join("") + (d.outline.length < d.total
        ? `<div class="muted small">… ${d.total - d.outline.length} more nodes: click a line to reach them</div>` : ""),
    });
    this.src = gxH("div", { class: "pane source mono gokit-source-box", tabindex: "0", role: "listbox",
      "aria-label": "source lines: a click picks the innermost node of the line" });
    this.hideEmpty = gxH("input", { type: "checkbox" });
    this.hidePos = gxH("input", { type: "checkbox" });
    this.hideEmpty.addEventListener("change", () => this.m.set({ hide_empty: this.hideEmpty.checked }));
    this.hidePos.addEventListener("change", () => this.m.set({ hide_positions: this.hidePos.checked }));
    this.fields = gxH("div", { class: "fields" });
    root.append(this.title, gxH("div", { class: "main" },
      gxH("div", { class: "left" }, gxH("div", { class: "head" }, gxH("b", {}, "nodes"),
        gxH("span", { class: "muted" }, " — pick one: its span lights up")), this.list),
      gxH("div", { class: "right" },
        gxH("div", { class: "head" }, gxH("b", {}, "source"),
          gxH("span", { class: "muted" }, " — click a line: the innermost node there is picked")),
        this.src,
        gxH("div", { class: "bar" }, gxH("label", {}, this.hideEmpty, "hide empty fields"),
          gxH("label", {}, this.hidePos, "hide positions")),
        this.fields)));
    this.list.addEventListener("click", (ev) => {
      const row = ev.composedPath()[0].closest && ev.composedPath()[0].closest("[data-node]");
      if (row) this.pick(Number(row.dataset.node));
    });
    this.src.addEventListener("click", (ev) => {
      const row = ev.composedPath()[0].closest && ev.composedPath()[0].closest("[data-line]");
      if (row) this.pickLine(Number(row.dataset.line));
    });
    this.list.addEventListener("keydown", (ev) => {
      const k = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[ev.key];
      if (!k) return;
      ev.preventDefault();
      const at = this.outlineAt.get(Number(this.m.state.node));
      const next = at === undefined ? 0 : Math.max(0, Math.min(d.outline.length - 1, at + k));
      this.pick(d.outline[next][1]);
    });
    const stepLine = (ev) => {
      const k = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[ev.key];
      if (!k || !gxOwnKey(ev)) return;
      ev.preventDefault();
      ev.stopPropagation();
      const f = this.fileOf();
      const n = Math.max(1, Math.min(d.files[f].lines.length, Number(this.m.state.line || 1) + k));
      this.pickLine(n);
    };
    this.src.addEventListener("keydown", stepLine);
    this.stepLine = stepLine;
  }

  fileOf() {
    const n = this.d.nodes[Number(this.m.state.node)];
    return n ? n[N.file] : 0;
  }

  pick(id) {
    const n = this.d.nodes[id];
    this.m.set(n[N.pos] ? { node: id, line: n[N.pos][0] } : { node: id });
  }

  // the innermost node spanning the whole code of a line (AST.node_at without a column); a blank line keeps
  // the node picked and only moves the line
  pickLine(line) {
    const f = this.fileOf();
    const span = this.d.files[f].spans[line - 1];
    if (!span) { this.m.set({ line }); return; }
    const [a, b] = span;
    let best = -1, size = Infinity;
    this.d.nodes.forEach((n, i) => {
      if (n[N.file] !== f || !n[N.pos] || !n[N.end] || n[N.comment]) return;
      if (n[N.pos][2] <= a && b < n[N.end][2]) {
        const s = n[N.end][2] - n[N.pos][2];
        if (s <= size) { size = s; best = i; }
      }
    });
    this.m.set(best < 0 ? { line } : { line, node: best });
  }

  apply() { gxTimed(this.root, () => this.draw()); }

  draw() {
    const d = this.d, st = this.m.state;
    const id = Number(st.node), n = d.nodes[id];
    const f = n[N.file], file = d.files[f];
    this.title.innerHTML = `<b>AST</b> of ${gxEsc(d.files.map((x) => x.name).join(", "))}: `
      + `${d.total.toLocaleString("en")} nodes (${gxEsc(d.go)}); picked: <b class="mono">${gxEsc(n[N.label])}</b> `
      + `at ${posText(n[N.pos])}`;
    this.hideEmpty.checked = !!st.hide_empty;
    this.hidePos.checked = !!st.hide_positions;
    // the node list
    if (this.memo.node !== id) {
      this.memo.node = id;
      for (const r of this.list.querySelectorAll(".node.on")) { r.classList.remove("on"); r.removeAttribute("aria-selected"); }
      const row = this.list.querySelector(`[data-node="${id}"]`);
      if (row) { row.classList.add("on"); row.setAttribute("aria-selected", "true"); }
      gxReveal(this.list, ".node.on");
    }
    // the source with the span marked
    const line = Number(st.line || 1);
    const skey = `${id} ${line}`;
    if (this.memo.src !== skey) {
      this.memo.src = skey;
      this.drawSource(file, n, line);
    }
    // the fields table
    const fkey = `${id} ${!!st.hide_empty} ${!!st.hide_positions}`;
    if (this.memo.fields !== fkey) {
      this.memo.fields = fkey;
      this.fields.innerHTML = this.fieldsHtml(id, !!st.hide_empty, !!st.hide_positions);
    }
  }

  // the file is drawn once per file; a new pick re-marks only the lines of the old and the new span
  drawSource(file, n, line) {
    if (this.srcFile !== file) {
      this.srcFile = file;
      this.marked = [];
      this.src.innerHTML = `<div class="file"><b>${gxEsc(file.name)}</b></div>` + file.lines.map((text, i) =>
        `<div class="sl" role="option" data-line="${i + 1}"><span class="ln">${i + 1}</span>${gxEsc(text)}</div>`).join("");
      this.rows = [...this.src.querySelectorAll(".sl")];
    }
    const rows = this.rows;
    for (const ln of this.marked) {
      rows[ln - 1].innerHTML = `<span class="ln">${ln}</span>${gxEsc(file.lines[ln - 1])}`;
    }
    this.marked = [];
    for (const r of this.src.querySelectorAll(".sl.cur")) { r.classList.remove("cur"); r.removeAttribute("aria-selected"); }
    const pos = n[N.pos], end = n[N.end];
    if (pos && end) {
      for (let ln = pos[0]; ln <= end[0] && ln <= rows.length; ln++) {
        const text = file.lines[ln - 1];
        const a = ln === pos[0] ? gxCharAt(text, pos[1] - 1) : 0;
        const b = ln === end[0] ? gxCharAt(text, end[1] - 1) : text.length;
        rows[ln - 1].innerHTML = `<span class="ln">${ln}</span>${gxEsc(text.slice(0, a))}<mark class="gokit-span">`
          + `${gxEsc(text.slice(a, b))}</mark>${gxEsc(text.slice(b))}`;
        this.marked.push(ln);
      }
    }
    const cur = rows[line - 1];
    if (cur) { cur.classList.add("cur"); cur.setAttribute("aria-selected", "true"); }
    gxReveal(this.src, pos ? `[data-line="${pos[0]}"]` : ".sl.cur");
    if (cur && pos && (line < pos[0] || (end && line > end[0]))) gxReveal(this.src, ".sl.cur");
  }

  // AST.fields_html: kind, span, field path, scalar fields, token.Pos fields, type, children
  fieldsHtml(id, hideEmpty, hidePos) {
    const d = this.d, n = d.nodes[id];
    const rows = [["kind", n[N.kind]]];
    if (!hidePos) rows.push(["span", `${d.files[n[N.file]].name}:${posText(n[N.pos])} – ${posText(n[N.end])}`]);
    rows.push(["field", n[N.where] || "—"]);
    for (const [k, shown, empty] of n[N.fields]) if (!(hideEmpty && empty)) rows.push([k, shown]);
    if (!hidePos) {
      for (const [k, shown] of n[N.positions]) {
        if (shown === null && hideEmpty) continue;
        rows.push([k, shown === null ? "—" : shown]);
      }
    }
    if (n[N.type]) rows.push(...n[N.type]);
    rows.push(["children", (this.kids.get(id) || []).map((c) => d.nodes[c][N.where]).join(", ") || "—"]);
    return "<table class='gokit-fields'>" + rows.map(([k, v]) => `<tr><th>${gxEsc(k)}</th><td><code>${gxEsc(v)}`
      + "</code></td></tr>").join("") + "</table>";
  }
}

function render({ model, el }) { return gxRender(ASTView, CSS, model, el); }

export default { render };
