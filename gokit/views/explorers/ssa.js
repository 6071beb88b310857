// The SSA explorer: a pass slider and picker, the CFG of the chosen pass, its listing, any two passes side by
// side with their diff, one value lit in every pass (as the compiler's ssa.html does) and on its source line.
// data: see gokit/views/explorers/ssa.py (ssa_data); state: {pass, base (-1: the pass before), value, tab}.

const SSA_TABS = ["CFG", "listing", "side by side", "every pass"];
const PREVIOUS = -1;
const MAX_VALUES_PER_BOX = 40;
// value fields, in the order Python's diff names them; block fields likewise
const VALUE_FIELDS = [["op", 1], ["type", 2], ["aux", 3], ["args", 4], ["block", 8], ["dead", 7], ["reg", 9], ["line", 5]];
const BLOCK_FIELDS = [["kind", 1], ["succs", 2], ["controls", 4], ["likely", 5], ["aux", 6], ["dead", 7]];

function same(a, b) {
  return Array.isArray(a) ? Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
}

function vLong(v) {
  let s = `v${v[0]} = ${v[1]} <${v[2]}>`;
  if (v[3]) s += " " + v[3];
  for (const a of v[4]) s += " v" + a;
  if (v[9]) s += " : " + v[9];
  if (v[10].length) s += ` (${v[10].join(", ")})`;
  return s;
}

function vPos(v) { return v[5] === null ? "(?)" : `(${v[6]}${v[5]})`; }

function bEnd(b) {
  let s = b[1] + (b[6] ? " " + b[6] : "") + b[4].map((c) => " v" + c).join("");
  if (b[2].length) s += " →" + b[2].map((x) => " b" + x).join("");
  if (b[5]) s += ` (${b[5]})`;
  return s;
}

function isRemoved(b) {
  return b[7] && !b[9].length && (b[1] === "BlockInvalid" || b[1] === "Invalid") && !b[2].length;
}

function edgeHint(b, i) {
  if (!b[5] || b[2].length < 2) return "";
  const other = b[5] === "likely" ? "unlikely" : "likely";
  return i === 0 ? b[5] : i === 1 ? other : "";
}

// ---------------------------------------------------------------- the data, with lookups built on demand
class SSAData {
  constructor(d) {
    this.d = d;
    this.passes = d.passes;   // [name, column, changed, time_ns, state]
    this.values = d.values;
    this.states = d.states;   // [{b: blocks, named}]
    this._ids = new Map();
    this._blocks = new Map();
    this._rows = [];
    this._labels = [];
  }
  // a value version's listing text and picker label, made once
  rowText(r) {
    let t = this._rows[r];
    if (t === undefined) {
      const v = this.values[r];
      t = this._rows[r] = `v${v[0]} <span class="pos">${vPos(v)}</span> = ${gxEsc(vLong(v).split(" = ").slice(1).join(" = "))}`;
    }
    return t;
  }
  label(r) {
    let t = this._labels[r];
    if (t === undefined) {
      const v = this.values[r];
      t = this._labels[r] = `${vLong(v)}   [line ${v[5] === null ? "?" : v[5]}]${v[7] ? "  DEAD" : ""}`;
    }
    return t;
  }
  state(p) { return this.passes[p][4]; }
  blocks(s) { return this.states[s].b; }
  // value id -> its version in state s
  ids(s) {
    let m = this._ids.get(s);
    if (!m) {
      m = new Map();
      for (const b of this.blocks(s)) for (const r of b[9]) m.set(this.values[r][0], r);
      this._ids.set(s, m);
    }
    return m;
  }
  blockMap(s) {
    let m = this._blocks.get(s);
    if (!m) {
      m = new Map(this.blocks(s).map((b) => [b[0], b]));
      this._blocks.set(s, m);
    }
    return m;
  }
  value(s, id) { const r = this.ids(s).get(id); return r === undefined ? null : this.values[r]; }
  // the version of a value anywhere (for its source line when the pass shown no longer has it)
  anyValue(id) {
    for (let s = this.states.length - 1; s >= 0; s--) { const v = this.value(s, id); if (v) return v; }
    return null;
  }
  // what changed from state a to state b (Python's gokit._ssa_views.diff)
  diff(a, b) {
    const rows = [];
    const va = this.ids(a), vb = this.ids(b);
    const vids = [...new Set([...va.keys(), ...vb.keys()])].sort((x, y) => x - y);
    for (const i of vids) {
      const x = va.has(i) ? this.values[va.get(i)] : null;
      const y = vb.has(i) ? this.values[vb.get(i)] : null;
      if (!x) rows.push(["value", i, "added", "", vLong(y), ""]);
      else if (!y) rows.push(["value", i, "removed", vLong(x), "", ""]);
      else if (va.get(i) !== vb.get(i)) {
        const fields = VALUE_FIELDS.filter(([, k]) => !same(x[k], y[k])).map(([n]) => n);
        if (fields.length) {
          const mark = (v) => vLong(v) + (fields.includes("block") ? ` [b${v[8]}]` : "") + (v[7] ? " DEAD" : "");
          rows.push(["value", i, "changed", mark(x), mark(y), fields.join(", ")]);
        }
      }
    }
    const ba = this.blockMap(a), bb = this.blockMap(b);
    const bids = [...new Set([...ba.keys(), ...bb.keys()])].sort((x, y) => x - y);
    for (const i of bids) {
      const x = ba.get(i), y = bb.get(i);
      if (!x) rows.push(["block", i, "added", "", bEnd(y), ""]);
      else if (!y) rows.push(["block", i, "removed", bEnd(x), "", ""]);
      else {
        const fields = BLOCK_FIELDS.filter(([, k]) => !same(x[k], y[k])).map(([n]) => n);
        if (fields.length) {
          rows.push(["block", i, "changed", bEnd(x) + (x[7] ? " DEAD" : ""), bEnd(y) + (y[7] ? " DEAD" : ""),
            fields.join(", ")]);
        }
      }
    }
    const count = (kind, change) => rows.filter((r) => r[0] === kind && r[2] === change).length;
    const parts = [];
    for (const kind of ["value", "block"]) {
      for (const change of ["added", "removed", "changed"]) {
        const n = count(kind, change);
        if (n) parts.push(`${n} ${kind}${n !== 1 ? "s" : ""} ${change}`);
      }
    }
    const ids = (change) => new Set(rows.filter((r) => r[0] === "value" && r[2] === change).map((r) => r[1]));
    const changed = ids("changed");
    for (const i of ids("added")) changed.add(i);
    return { rows, summary: parts.length ? parts.join(", ") : "no change", changed, removed: ids("removed") };
  }
}

// ---------------------------------------------------------------- the CFG: a layered drawing, made here
const CFG_FONT = 12, CFG_LINE = 15, CFG_PAD = 6, LAYER_GAP = 40, NODE_GAP = 26;
// a CFG with more value lines than this draws its boxes without values unless asked (thousands of SVG text
// lines take the browser seconds to lay out, and nobody reads them at once)
const CFG_MAX_LINES = 1500;

function cfgLines(data, s) {
  let n = 0;
  for (const b of data.blocks(s)) if (!isRemoved(b)) n += Math.min(b[9].length, MAX_VALUES_PER_BOX + 1);
  return n;
}
let charWidth = 0;

function measureChar() {
  if (!charWidth) {
    const c = document.createElement("canvas").getContext("2d");
    c.font = `${CFG_FONT}px Menlo, "DejaVu Sans Mono", Consolas, monospace`;
    charWidth = c.measureText("0123456789").width / 10 || CFG_FONT * 0.6;
  }
  return charWidth;
}

function cut(s, n) { return s.length > n ? s.slice(0, n - 1) + "…" : s; }

// Blocks (boxes with their values) laid out top to bottom: longest-path layers from the entry, back edges
// reversed, long edges through dummy points, barycentre ordering, then x positions pulled toward neighbours.
function cfgSvg(data, s, title, values) {
  const cw = measureChar();
  const all = data.blocks(s);
  const blocks = all.filter((b) => !isRemoved(b));
  const gone = all.filter(isRemoved).map((b) => "b" + b[0]);
  const index = new Map(blocks.map((b, i) => [b[0], i]));
  const n = blocks.length;
  // boxes
  const nodes = blocks.map((b) => {
    const lines = [[`b${b[0]} ${b[1]}${b[7] ? " (dead)" : ""}`, "bh", null]];
    const refs = b[9];
    if (values) {
      for (const r of refs.slice(0, MAX_VALUES_PER_BOX)) {
        const v = data.values[r];
        lines.push([cut(vLong(v), 90), v[7] ? "vt dead" : "vt", v[0]]);
      }
      if (refs.length > MAX_VALUES_PER_BOX) lines.push([`… ${refs.length - MAX_VALUES_PER_BOX} more values`, "more", null]);
    } else if (refs.length) {
      lines.push([`${refs.length} value${refs.length !== 1 ? "s" : ""}`, "more", null]);
    }
    lines.push([cut(bEnd(b), 90), "end", null]);
    const w = Math.max(...lines.map((l) => l[0].length)) * cw + 2 * CFG_PAD;
    return { b, lines, w, h: lines.length * CFG_LINE + 2 * CFG_PAD, dummy: false };
  });
  // edges, and the back edges of a depth-first walk (from the entry, then from anything not reached)
  const edges = [];
  blocks.forEach((b, u) => b[2].forEach((succ, k) => {
    if (index.has(succ)) edges.push({ u, v: index.get(succ), hint: edgeHint(b, k), back: false });
  }));
  const out = Array.from({ length: n }, () => []);
  edges.forEach((e) => out[e.u].push(e));
  const mark = new Array(n).fill(0);
  for (let start = 0; start < n; start++) {
    if (mark[start]) continue;
    const stack = [[start, 0]];
    mark[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [u, i] = top;
      if (i < out[u].length) {
        top[1]++;
        const e = out[u][i];
        if (mark[e.v] === 1) e.back = true;
        else if (!mark[e.v]) { mark[e.v] = 1; stack.push([e.v, 0]); }
      } else { mark[u] = 2; stack.pop(); }
    }
  }
  // layers: the longest path in the graph with back edges reversed (self loops drawn apart)
  const dag = edges.filter((e) => e.u !== e.v).map((e) => (e.back ? { a: e.v, b: e.u, e } : { a: e.u, b: e.v, e }));
  const indeg = new Array(n).fill(0);
  const dout = Array.from({ length: n }, () => []);
  for (const d of dag) { indeg[d.b]++; dout[d.a].push(d); }
  const layer = new Array(n).fill(0);
  const queue = [];
  for (let i = 0; i < n; i++) if (!indeg[i]) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q];
    for (const d of dout[u]) {
      layer[d.b] = Math.max(layer[d.b], layer[u] + 1);
      if (--indeg[d.b] === 0) queue.push(d.b);
    }
  }
  // dummy points for edges that skip layers
  const all_nodes = nodes.slice();
  const nodeLayer = layer.slice();
  const up = all_nodes.map(() => []), down = all_nodes.map(() => []);
  const chains = [];
  for (const d of dag) {
    const chain = [d.a];
    for (let l = layer[d.a] + 1; l < layer[d.b]; l++) {
      const k = all_nodes.length;
      all_nodes.push({ dummy: true, w: 4, h: 0 });
      nodeLayer.push(l);
      up.push([]); down.push([]);
      chain.push(k);
    }
    chain.push(d.b);
    for (let i = 0; i + 1 < chain.length; i++) { down[chain[i]].push(chain[i + 1]); up[chain[i + 1]].push(chain[i]); }
    chains.push({ chain, e: d.e });
  }
  const L = Math.max(0, ...nodeLayer) + 1;
  const layers = Array.from({ length: L }, () => []);
  nodeLayer.forEach((l, i) => layers[l].push(i));
  const pos = new Array(all_nodes.length).fill(0);
  const renumber = (ly) => ly.forEach((v, i) => { pos[v] = i; });
  layers.forEach(renumber);
  const bary = (v, nb) => (nb[v].length ? nb[v].reduce((t, u) => t + pos[u], 0) / nb[v].length : pos[v]);
  for (let it = 0; it < 6; it++) {
    for (let l = 1; l < L; l++) {
      const key = new Map(layers[l].map((v) => [v, bary(v, up)]));
      layers[l].sort((a, b) => key.get(a) - key.get(b) || pos[a] - pos[b]);
      renumber(layers[l]);
    }
    for (let l = L - 2; l >= 0; l--) {
      const key = new Map(layers[l].map((v) => [v, bary(v, down)]));
      layers[l].sort((a, b) => key.get(a) - key.get(b) || pos[a] - pos[b]);
      renumber(layers[l]);
    }
  }
  // x: left edges; start packed, then pulled toward the centres of the neighbours, order and gaps kept
  const x = new Array(all_nodes.length).fill(0);
  const gap = (a, b) => (all_nodes[a].dummy || all_nodes[b].dummy ? 10 : NODE_GAP);
  for (const ly of layers) {
    let at = 0;
    for (let i = 0; i < ly.length; i++) { if (i) at += gap(ly[i - 1], ly[i]); x[ly[i]] = at; at += all_nodes[ly[i]].w; }
  }
  const centre = (v) => x[v] + all_nodes[v].w / 2;
  const place = (ly, nb) => {
    const want = ly.map((v) => (nb[v].length ? nb[v].reduce((t, u) => t + centre(u), 0) / nb[v].length
      : centre(v)) - all_nodes[v].w / 2);
    const left = want.slice(), right = want.slice();
    for (let i = 1; i < ly.length; i++) {
      left[i] = Math.max(left[i], left[i - 1] + all_nodes[ly[i - 1]].w + gap(ly[i - 1], ly[i]));
    }
    for (let i = ly.length - 2; i >= 0; i--) {
      right[i] = Math.min(right[i], right[i + 1] - all_nodes[ly[i]].w - gap(ly[i], ly[i + 1]));
    }
    ly.forEach((v, i) => { x[v] = (left[i] + right[i]) / 2; });
  };
  for (let it = 0; it < 8; it++) {
    for (let l = 1; l < L; l++) place(layers[l], up);
    for (let l = L - 2; l >= 0; l--) place(layers[l], down);
  }
  const minX = Math.min(0, ...x);
  const MARGIN = 10;
  for (let i = 0; i < x.length; i++) x[i] += MARGIN - minX;
  // y: one band per layer, as tall as its tallest box
  const top = 34 + (gone.length ? 18 : 0);
  const y = new Array(all_nodes.length).fill(0);
  let at = top;
  const layerTop = [];
  for (const ly of layers) {
    layerTop.push(at);
    const h = Math.max(0, ...ly.map((v) => all_nodes[v].h));
    for (const v of ly) y[v] = at + (all_nodes[v].dummy ? h / 2 : 0);
    at += h + LAYER_GAP;
  }
  const width = Math.max(300, ...all_nodes.map((nd, i) => x[i] + nd.w)) + MARGIN + 60;
  const height = at - LAYER_GAP + 20;
  // drawing
  const parts = [];
  parts.push(`<text class="ttl" x="${MARGIN}" y="18">${gxEsc(title)}</text>`);
  if (gone.length) {
    parts.push(`<text class="note" x="${MARGIN}" y="36">not drawn: ${gxEsc(gone.join(", "))}, removed, left as an `
      + "empty BlockInvalid</text>");
  }
  const edgeParts = [];
  const arrow = (px, py, dir, cls) => {
    const d = dir > 0 ? 1 : -1;
    return `<path class="${cls} head" d="M${px - 4},${py - 8 * d} L${px + 4},${py - 8 * d} L${px},${py} Z"/>`;
  };
  // each path: its points from where it leaves to where it arrives (a back edge leaves the top of the block that
  // jumps back and arrives under the loop header)
  const paths = chains.map(({ chain, e }) => {
    const pts = chain.map((v, i) => {
      const nd = all_nodes[v];
      if (nd.dummy) return [x[v] + 2, y[v]];
      return [x[v] + nd.w / 2, i === 0 ? y[v] + nd.h : y[v]];   // chains run top to bottom
    });
    if (e.back) pts.reverse();
    const ends = e.back ? [chain[chain.length - 1], chain[0]] : [chain[0], chain[chain.length - 1]];
    return { pts, e, from: ends[0], to: ends[1] };
  });
  // spread the ends that meet one side of a box across it, ordered by where their paths go
  const ports = new Map();
  paths.forEach((pa, k) => {
    const sides = [[pa.from, pa.e.back ? "top" : "bottom", 0, 1], [pa.to, pa.e.back ? "bottom" : "top", pa.pts.length - 1, -1]];
    for (const [node, side, at, step] of sides) {
      const key = node + side;
      if (!ports.has(key)) ports.set(key, []);
      ports.get(key).push({ k, at, toward: pa.pts[at + step][0] });
    }
  });
  for (const [key, list] of ports) {
    const node = all_nodes[parseInt(key, 10)];
    const nx = x[parseInt(key, 10)];
    list.sort((a, b) => a.toward - b.toward);
    list.forEach((pt, i) => {
      paths[pt.k].pts[pt.at][0] = nx + node.w * (0.2 + 0.6 * (i + 1) / (list.length + 1));
    });
  }
  for (const { pts, e } of paths) {
    let d = `M${pts[0][0].toFixed(1)},${pts[0][1].toFixed(1)}`;
    for (let i = 1; i < pts.length; i++) {
      const [x1, y1] = pts[i - 1], [x2, y2] = pts[i];
      const my = (y1 + y2) / 2;
      d += ` C${x1.toFixed(1)},${my.toFixed(1)} ${x2.toFixed(1)},${my.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
    }
    const cls = "edge" + (e.back ? " back" : "") + (e.hint === "unlikely" ? " unlikely" : "");
    edgeParts.push(`<path class="${cls}" d="${d}"/>`);
    const end = pts[pts.length - 1];
    edgeParts.push(arrow(end[0], end[1], e.back ? -1 : 1, cls));
    const label = [e.hint, e.back ? "back edge" : ""].filter(Boolean).join(", ");
    if (label) {   // halfway along the first stretch, where the edges of one block have parted
      const [x1, y1] = pts[0], [x2, y2] = pts[1];
      edgeParts.push(`<text class="elabel${e.back ? " back" : ""}" x="${((x1 + x2) / 2 + 5).toFixed(1)}" `
        + `y="${((y1 + y2) / 2 + 4).toFixed(1)}">${label}</text>`);
    }
  }
  for (const e of edges) {
    if (e.u !== e.v) continue;
    const nd = all_nodes[e.u];
    const rx = x[e.u] + nd.w, ry = y[e.u] + nd.h / 2;
    edgeParts.push(`<path class="edge back" d="M${rx},${ry + 8} C${rx + 40},${ry + 30} ${rx + 40},${ry - 30} ${rx},${ry - 8}"/>`);
    edgeParts.push(`<text class="elabel back" x="${rx + 30}" y="${ry + 4}">back edge</text>`);
  }
  const boxes = [];
  for (let i = 0; i < n; i++) {
    const nd = all_nodes[i];
    const b = nd.b;
    const cls = "blk" + (b[7] ? " dead" : "");
    const t = [`<g class="${cls}" data-b="${b[0]}"><title>b${b[0]}</title>`
      + `<rect x="${x[i].toFixed(1)}" y="${y[i].toFixed(1)}" width="${nd.w.toFixed(1)}" height="${nd.h}" rx="2"/>`];
    nd.lines.forEach(([text, lcls, vid], k) => {
      const ty = y[i] + CFG_PAD + (k + 1) * CFG_LINE - 4;
      const dv = vid === null ? "" : ` data-v="${vid}"`;
      t.push(`<text class="${lcls}"${dv} x="${(x[i] + CFG_PAD).toFixed(1)}" y="${ty.toFixed(1)}">${gxEsc(text)}</text>`);
    });
    t.push("</g>");
    boxes.push(t.join(""));
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="cfg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" `
    + `viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}">${parts.join("")}${edgeParts.join("")}${boxes.join("")}</svg>`;
}

// ---------------------------------------------------------------- listings
// A state with more values than this draws its listing block by block as the blocks scroll into view.
const LAZY_VALUES = 800;

function blockHtml(data, b, { picked = null, changed = null, removed = null } = {}) {
  const dead = b[7] ? " dead" : "";
  const preds = b[3].length ? " ← " + b[3].map((p) => "b" + p).join(" ") : "";
  const out = [`<div class="bh${dead}"><b>b${b[0]}</b>:${preds}</div>`];
  for (const r of b[9]) {
    const v = data.values[r];
    let cls = "v";
    if (v[7]) cls += " dead";
    if (changed && changed.has(v[0])) cls += " chg";
    if (removed && removed.has(v[0])) cls += " gone";
    if (v[0] === picked) cls += " gokit-picked";
    out.push(`<div class="${cls}" data-v="${v[0]}">${data.rowText(r)}</div>`);
  }
  out.push(`<div class="be${dead}">${gxEsc(bEnd(b))}</div>`);
  return out.join("");
}

function listingHtml(data, s, opts) {
  const out = ["<div class='lst mono'>"];
  for (const b of data.blocks(s)) {
    if (isRemoved(b)) continue;
    out.push(`<div class="blkg">${blockHtml(data, b, opts)}</div>`);
  }
  out.push("</div>");
  return out.join("");
}

// The listing of state s into `box`; a big one as placeholders filled when they come near the view of `pane`.
// Returns a function that disconnects its observer.
function fillListing(data, s, box, pane, opts) {
  const blocks = data.blocks(s).filter((b) => !isRemoved(b));
  const n = blocks.reduce((t, b) => t + b[9].length, 0);
  if (n <= LAZY_VALUES) { box.innerHTML = listingHtml(data, s, opts); return () => {}; }
  box.innerHTML = "<div class='lst mono'>" + blocks.map((b, i) => `<div class="blkg lazy" data-i="${i}" `
    + `style="height:${(b[9].length + 2) * 17}px"></div>`).join("") + "</div>";
  const obs = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const el = e.target;
      el.innerHTML = blockHtml(data, blocks[Number(el.dataset.i)], opts);
      el.classList.remove("lazy");
      el.style.height = "";
      obs.unobserve(el);
    }
  }, { root: pane, rootMargin: "600px 0px" });
  for (const el of box.querySelectorAll(".blkg.lazy")) obs.observe(el);
  if (opts && opts.picked !== null && opts.picked !== undefined) {   // bring the picked value's block into view
    const k = blocks.findIndex((b) => b[9].some((r) => data.values[r][0] === opts.picked));
    const el = k >= 0 ? box.querySelector(`.blkg[data-i="${k}"]`) : null;
    if (el) pane.scrollTop = el.offsetTop - pane.clientHeight / 3;
  }
  return () => obs.disconnect();
}

const DIFF_CHUNK = 100;

function diffRows(rows) {
  return rows.map((r) => `<tr class="${r[2]}"><td>${r[0][0]}${r[1]}</td><td>${r[2]}</td>`
    + `<td class="mono">${gxEsc(r[3])}</td><td class="mono">${gxEsc(r[4])}</td><td>${gxEsc(r[5])}</td></tr>`).join("");
}

// The diff of two passes into `pane`: a long one as chunks of rows filled when they come near the view.
// Returns a function that disconnects its observer.
function fillDiff(pane, before, after, d) {
  const head = `<div><b>${gxEsc(before)} → ${gxEsc(after)}</b>: ${gxEsc(d.summary)}</div>`;
  if (!d.rows.length) { pane.innerHTML = head; return () => {}; }
  const th = "<thead><tr><th>id</th><th>change</th><th>before</th><th>after</th><th>what changed</th></tr></thead>";
  if (d.rows.length <= 3 * DIFF_CHUNK) {
    pane.innerHTML = `${head}<table class='gokit-ssa-diff'>${th}<tbody>${diffRows(d.rows)}</tbody></table>`;
    return () => {};
  }
  const chunks = [];
  for (let i = 0; i < d.rows.length; i += DIFF_CHUNK) chunks.push(d.rows.slice(i, i + DIFF_CHUNK));
  pane.innerHTML = `${head}<table class='gokit-ssa-diff'>${th}` + chunks.map((c, i) => `<tbody class="lazy" `
    + `data-i="${i}"><tr><td colspan="5" style="height:${c.length * 17}px"></td></tr></tbody>`).join("") + "</table>";
  const obs = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      e.target.innerHTML = diffRows(chunks[Number(e.target.dataset.i)]);
      e.target.classList.remove("lazy");
      obs.unobserve(e.target);
    }
  }, { root: pane, rootMargin: "400px 0px" });
  for (const el of pane.querySelectorAll("tbody.lazy")) obs.observe(el);
  return () => obs.disconnect();
}

// ---------------------------------------------------------------- the view
class SSAView {
  constructor(root, model) {
    this.root = root;
    this.m = new GxModel(model);
    this.memo = {};
    this.svgs = new Map();
    this.observers = [];
    // a click on a value anywhere picks it, as in ssa.html; Left/Right (Home/End) step the passes
    root.addEventListener("click", (ev) => {
      const t = ev.composedPath()[0];
      const el = t && t.closest ? t.closest("[data-v]") : null;
      if (el && root.contains(el)) {
        const v = Number(el.dataset.v);
        this.m.set({ value: this.m.state.value === v ? null : v });
      }
    });
    root.addEventListener("keydown", (ev) => {
      if (!gxOwnKey(ev)) return;
      const last = this.data.passes.length - 1;
      const p = Number(this.m.state.pass || 0);
      const to = { ArrowLeft: p - 1, ArrowRight: p + 1, Home: 0, End: last }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      this.m.set({ pass: Math.max(0, Math.min(last, to)) });
    });
    this.setData();
  }

  setData() {
    this.data = new SSAData(this.m.data);
    this.memo = {};
    this.svgs.clear();
    this.build();
    this.apply();
  }

  build() {
    const d = this.data, root = this.root;
    root.innerHTML = "";
    const last = d.passes.length - 1;
    const passOpts = d.passes.map((p, i) => [`${i}: ${p[0]}${p[2] ? "" : " (no change)"}`, i]);
    this.title = gxH("div", { class: "title" });
    this.slider = gxH("input", { type: "range", min: 0, max: last, step: 1, "aria-label": "pass" });
    this.slider.addEventListener("input", () => this.m.set({ pass: Number(this.slider.value) }));
    this.passSel = gxSelect(passOpts, 0, (v) => this.m.set({ pass: Number(v) }), { "aria-label": "pass" });
    this.baseSel = gxSelect([["the pass before it", PREVIOUS], ...passOpts], PREVIOUS,
      (v) => this.m.set({ base: Number(v) }), { "aria-label": "compare with" });
    this.valueSel = gxSelect([], "", (v) => this.m.set({ value: v === "" ? null : Number(v) }),
      { class: "mono values", "aria-label": "value" });
    for (const ev of ["focus", "mousedown", "pointerenter", "touchstart"]) {
      this.valueSel.addEventListener(ev, () => this.fillValues());
    }
    this.tabs = gxTabs(SSA_TABS, "CFG", (t) => this.m.set({ tab: t }));
    this.panes = {};
    for (const t of SSA_TABS) this.panes[t] = gxH("div", { class: "pane tabpane", "data-pane": t, tabindex: "0" });
    this.cfgHint = gxH("div", { class: "cfgwide small muted" },
      "the graph is wider than this pane: scroll sideways to see every block");
    this.cfgHint.hidden = true;
    this.source = gxH("div", { class: "pane src gokit-ssa-sources", tabindex: "0" });
    this.diffTitle = gxH("div", { class: "difftitle" });
    this.diff = gxH("div", { class: "pane diff", tabindex: "0" });
    root.append(
      this.title,
      gxH("div", { class: "bar" }, gxH("label", {}, "pass", this.slider), this.passSel),
      gxH("div", { class: "bar" }, gxH("label", {}, "compare with", this.baseSel)),
      gxH("div", { class: "bar" }, gxH("label", { class: "grow" }, "value", this.valueSel)),
      this.main = gxH("div", { class: "main" },
        gxH("div", { class: "left" }, this.tabs, this.cfgHint, ...SSA_TABS.map((t) => this.panes[t])),
        gxH("div", { class: "right" }, gxH("div", { class: "srchead" }, gxH("b", {}, "source")), this.source)),
      this.diffTitle, this.diff);
    // a CFG wider than its column: the source goes under it (a new width of the explorer asks again)
    if (this.resized) this.resized.disconnect();
    if (window.ResizeObserver) {
      let w = 0;
      this.resized = new ResizeObserver(([e]) => {
        const now = Math.round(e.contentRect.width);
        if (now !== w) { w = now; this.main.classList.remove("wide"); this.fitCfg(); }
      });
      this.resized.observe(this.main);
    }
    const every = this.panes["every pass"];
    every.addEventListener("toggle", () => this.fillColumns(), true);
    every.addEventListener("scroll", () => this.fillColumns(), true);
  }

  apply() {
    gxTimed(this.root, () => this.draw());
  }

  // the current choices, resolved
  choice() {
    const d = this.data, st = this.m.state;
    const last = d.passes.length - 1;
    const p = Math.max(0, Math.min(last, Number(st.pass || 0)));
    const b = st.base === undefined || st.base === null || Number(st.base) === PREVIOUS ? (p > 0 ? p - 1 : null)
      : Number(st.base);
    const value = st.value === undefined || st.value === null ? null : Number(st.value);
    const tab = SSA_TABS.includes(st.tab) ? st.tab : "CFG";
    return { p, b, value, tab, base: st.base === undefined ? PREVIOUS : Number(st.base) };
  }

  fillValues() {
    if (this.memo.valueOpts === this.valueKey) return;
    this.memo.valueOpts = this.valueKey;
    const d = this.data;
    const { p, value } = this.choice();
    const s = d.state(p);
    const opts = [["(pick a value: see it in every pass and find its source line)", ""]];
    for (const bl of d.blocks(s)) for (const r of bl[9]) opts.push([d.label(r), d.values[r][0]]);
    if (value !== null && !d.ids(s).has(value)) opts.push([`v${value} (not in this pass)`, value]);
    gxSetOptions(this.valueSel, opts, value === null ? "" : value);
  }

  theDiff(b, p) {
    if (b === null) return null;
    const d = this.data;
    const key = `diff ${d.state(b)} ${d.state(p)}`;
    if (!this.memo[key]) this.memo[key] = d.diff(d.state(b), d.state(p));
    return this.memo[key];
  }

  draw() {
    const d = this.data;
    const { p, b, value, tab, base } = this.choice();
    const st = this.m.state;
    const pass = d.passes[p], s = d.state(p);
    const blocks = d.blocks(s);
    let nv = 0, live = 0;
    for (const bl of blocks) for (const r of bl[9]) { nv++; if (!d.values[r][7]) live++; }
    const did = pass[2] ? "changed the function" : "changed nothing (same as the pass before)";
    this.title.innerHTML = `<b>${gxEsc(d.d.qualified)}</b> after pass <b>${gxEsc(pass[0])}</b> (pass ${p} of `
      + `0–${d.passes.length - 1}): ${blocks.length} blocks, ${nv} values (${live} live); this pass ${did}.`;
    this.slider.value = String(p);
    this.passSel.value = String(p);
    this.baseSel.value = String(base);
    gxMarkTab(this.tabs, tab);
    for (const t of SSA_TABS) this.panes[t].hidden = t !== tab;
    if (tab !== "CFG") this.cfgHint.hidden = true;
    // the value picker: the values of this pass (the picked one kept, even where this pass lacks it); a big pass
    // fills its options when the picker is about to be used, so that moving between passes stays quick
    this.valueKey = `${s} ${value}`;
    if (nv <= LAZY_VALUES) this.fillValues();
    else if (this.memo.valueOpts !== this.valueKey) {
      const v = value === null ? null : d.value(s, value);
      gxSetOptions(this.valueSel, [[value === null ? "(pick a value: see it in every pass and find its source line)"
        : v ? d.label(d.ids(s).get(value)) : `v${value} (not in this pass)`, value === null ? "" : value]],
        value === null ? "" : value);
      this.memo.valueOpts = null;
    }
    const diff = this.theDiff(b, p);
    const changed = diff ? diff.changed : new Set();
    // the visible tab only; the others draw when shown
    const key = `${tab} ${p} ${s} ${b === null ? "-" : d.state(b)} ${value} ${st.cfg_values}`;
    if (this.memo.pane !== key) {
      this.memo.pane = key;
      if (tab === "CFG") this.drawCfg(p, s, value, changed);
      else if (tab === "listing") {
        this.unobserve();
        this.observers.push(fillListing(d, s, this.panes.listing, this.panes.listing, { picked: value, changed }));
      } else if (tab === "side by side") this.drawCompare(b, p, value, diff);
      else this.drawEvery(value, pass[1], p);
    }
    // the diff of the two passes compared
    if (b === null) {
      this.diffTitle.innerHTML = "<b>diff</b>";
      if (this.diffOff) this.diffOff();
      this.diffOff = null;
      this.memo.diff = null;
      this.diff.innerHTML = "<i>the first pass: nothing before it</i>";
    } else {
      const dk = `${b} ${p}`;
      if (this.memo.diff !== dk) {
        this.memo.diff = dk;
        this.diffTitle.innerHTML = `<b>diff: ${gxEsc(d.passes[b][0])} → ${gxEsc(pass[0])}</b> `
          + "<span class='muted'>(what changed between the two passes compared)</span>";
        if (this.diffOff) this.diffOff();
        this.diffOff = fillDiff(this.diff, d.passes[b][0], pass[0], diff);
      }
    }
    this.drawSource(s, value);
  }

  // Every box of the CFG in sight, its text at its own size: a drawing wider than the tab's column takes the
  // explorer's whole width (the source goes under it, and stays there for the passes after, so that moving the
  // slider does not move the panes); wider still, the pane scrolls sideways and says so.
  fitCfg() {
    const pane = this.panes.CFG, el = pane.querySelector("svg.cfg");
    if (!el || pane.hidden || !pane.clientWidth) return false;
    const cs = getComputedStyle(pane);
    const room = () => pane.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const w = Number(el.getAttribute("width"));
    if (w > room() && !this.main.classList.contains("wide")) this.main.classList.add("wide");
    const over = w > room() + 1;
    this.cfgHint.hidden = !over;
    return over;
  }

  // the CFG drawing of state s (made once per state, and ahead of time while the browser is idle)
  cfgOf(s, p) {
    const d = this.data;
    const lines = cfgLines(d, s);
    const asked = this.m.state.cfg_values;
    const values = asked === true || asked === false ? asked : lines <= CFG_MAX_LINES;
    const key = `${s} ${values}`;
    let svg = this.svgs.get(key);
    if (!svg) {
      svg = cfgSvg(d, s, `${d.d.name} after ${d.passes[p][0]}`, values);
      this.svgs.set(key, svg);
    }
    return { svg, lines, values };
  }

  warmCfg() {
    if (this.warming) return;
    const idle = window.requestIdleCallback || ((f) => setTimeout(() => f({ timeRemaining: () => 8 }), 50));
    const todo = [];
    this.data.passes.forEach((ps, i) => { if (!todo.some(([st]) => st === ps[4])) todo.push([ps[4], i]); });
    this.warming = true;
    const step = (deadline) => {
      while (todo.length && deadline.timeRemaining() > 4) { const [st, i] = todo.shift(); this.cfgOf(st, i); }
      if (todo.length) idle(step); else this.warming = false;
    };
    idle(step);
  }

  drawCfg(p, s, value, changed) {
    const d = this.data;
    const pane = this.panes.CFG;
    const { svg, lines, values } = this.cfgOf(s, p);
    this.warmCfg();
    const key = `${s} ${values}`;
    if (this.cfgShown !== key || !pane.querySelector("svg")) {   // a new drawing; else only its marks change
      this.cfgShown = key;
      const opt = lines > CFG_MAX_LINES ? `<label class="cfgopt small"><input type="checkbox"${values ? " checked" : ""}> `
        + `values in the boxes (${lines} lines: slow to draw, so off for a function this big)</label>` : "";
      pane.innerHTML = opt + svg;
      const box = pane.querySelector(".cfgopt input");
      if (box) box.addEventListener("change", () => this.m.set({ cfg_values: box.checked }));
      this.cfgText = new Map();
      for (const t of pane.querySelectorAll("text[data-v]")) this.cfgText.set(Number(t.dataset.v), t);
      this.cfgMarks = { chg: [], picked: [], lit: [] };
    }
    const fresh = this.fitCfg() && this.cfgCentred !== key;
    const el = pane.querySelector("svg");
    if (fresh) {     // a drawing wider than its pane: its first block (the entry, at the top) in sight to begin with
      this.cfgCentred = key;
      let top = null;
      for (const r of el.querySelectorAll("g.blk rect")) if (!top || r.y.baseVal.value < top.y.baseVal.value) top = r;
      if (top) {
        const k = el.getBoundingClientRect().width / Number(el.getAttribute("width"));
        pane.scrollLeft = Math.max(0, (top.x.baseVal.value + top.width.baseVal.value / 2) * k - pane.clientWidth / 2);
      }
    }
    const title = el.querySelector("text.ttl");
    if (title) title.textContent = `${d.d.name} after ${d.passes[p][0]}`;
    const marks = this.cfgMarks;
    for (const t of marks.chg) t.classList.remove("chg");
    for (const t of marks.picked) t.classList.remove("gokit-picked");
    for (const g of marks.lit) g.classList.remove("lit");
    marks.chg = [];
    marks.picked = [];
    marks.lit = [];
    for (const id of changed) {
      const t = this.cfgText.get(id);
      if (t) { t.classList.add("chg"); marks.chg.push(t); }
    }
    if (value !== null) {
      const t = this.cfgText.get(value);
      if (t) {
        t.classList.add("gokit-picked");
        marks.picked.push(t);
        const g = t.closest("g.blk");
        if (g) { g.classList.add("lit"); marks.lit.push(g); }
        gxReveal(pane, `text[data-v="${value}"]`);
      } else {     // boxes drawn without their values: light the block that holds it
        const v = d.value(s, value);
        const g = v ? el.querySelector(`g.blk[data-b="${v[8]}"]`) : null;
        if (g) { g.classList.add("lit"); marks.lit.push(g); }
      }
    }
  }

  drawCompare(b, p, value, diff) {
    const d = this.data, pane = this.panes["side by side"];
    this.unobserve();
    if (b === null) {
      pane.innerHTML = "<i>the first pass: nothing before it to compare with</i>";
      return;
    }
    const head = (pi, cls) => `<div class="cmphead"><b>${gxEsc(`${pi}: ${d.passes[pi][0]}`)}</b> `
      + `<span class="muted">(${cls})</span></div>`;
    pane.innerHTML = `<div class="gokit-ssa-compare"><div class="cmpcol">${head(b, "before")}<div class="body"></div>`
      + `</div><div class="cmpcol">${head(p, "after")}<div class="body"></div></div></div><div class="small muted">`
      + `${gxEsc(diff.summary)}: red, gone by the right-hand pass; yellow, new or changed there.</div>`;
    const [left, right] = pane.querySelectorAll(".cmpcol .body");
    this.observers.push(fillListing(d, d.state(b), left, pane, { picked: value, removed: diff.removed }));
    this.observers.push(fillListing(d, d.state(p), right, pane, { picked: value, changed: diff.changed }));
  }

  unobserve() {
    for (const off of this.observers) off();
    this.observers = [];
  }

  // the picked value in every state of the function, one row per ssa.html column (passes that changed nothing
  // share the column of the next pass that did); below, folded, every column's listing side by side
  drawEvery(value, column, p) {
    const d = this.data, pane = this.panes["every pass"];
    const groups = new Map();
    d.passes.forEach((ps, i) => { if (!groups.has(ps[1])) groups.set(ps[1], []); groups.get(ps[1]).push(i); });
    const rows = [];
    let where = 0;
    const cols = [];
    for (const [c, idx] of groups) {
      const lastp = idx[idx.length - 1];
      const s = d.state(lastp);
      const names = idx.map((i) => gxEsc(d.passes[i][0])).join(" + ");
      const here = idx.includes(p);
      cols.push(`<div class="gokit-ssa-column${here ? " here" : ""}" data-column="${c}" data-state="${s}">`
        + `<div class="small"><b>${names}</b></div><div class="colbody"></div></div>`);
      if (value === null) continue;
      const v = d.value(s, value);
      const mark = here ? " class='here'" : "";
      if (!v) {
        rows.push(`<tr${mark}><td class="small">${names}</td><td></td><td class="dead">not in the function</td></tr>`);
        continue;
      }
      where++;
      const text = gxEsc(vLong(v).split(" = ").slice(1).join(" = ")) + (v[7] ? " DEAD" : "");
      rows.push(`<tr${mark}><td class="small">${names}</td><td>b${v[8]}</td><td class="gokit-v gokit-picked mono`
        + `${v[7] ? " dead" : ""}" data-v="${v[0]}">v${v[0]} <span class="pos">${vPos(v)}</span> = ${text}</td></tr>`);
    }
    const head = value === null ? "Pick a value above: this tab then shows it in every pass, highlighted."
      : `v${value} is in ${where} of ${groups.size} columns of ssa.html; one row per column (passes that changed `
        + "nothing share the column of the next pass that did); the blue frame is the pass shown above.";
    const table = value === null ? "" : "<table class='gokit-ssa-every-table'><tr><th>passes</th><th>block</th>"
      + `<th>the value</th></tr>${rows.join("")}</table>`;
    pane.innerHTML = `<div class="small">${gxEsc(head)}</div>${table}<details class="allcols"><summary>every `
      + `column's whole listing, side by side as in ssa.html</summary><div class="gokit-ssa-every">${cols.join("")}`
      + "</div></details>";
    this.everyValue = value;
    const strip = pane.querySelector(".gokit-ssa-every");
    strip.addEventListener("scroll", () => this.fillColumns(), { passive: true });
    this.fillColumns();
  }

  // fill the columns of the folded strip that are in view (a big function has thousands of values per column)
  fillColumns() {
    const pane = this.panes["every pass"];
    const det = pane.querySelector("details.allcols");
    if (!det || !det.open) return;
    const strip = det.querySelector(".gokit-ssa-every");
    const box = strip.getBoundingClientRect();
    for (const c of strip.querySelectorAll(".gokit-ssa-column")) {
      const body = c.querySelector(".colbody");
      if (body.dataset.filled) continue;
      const r = c.getBoundingClientRect();
      if (r.right < box.left - 400 || r.left > box.right + 400) continue;
      body.innerHTML = listingHtml(this.data, Number(c.dataset.state), { picked: this.everyValue });
      body.dataset.filled = "1";
    }
  }

  drawSource(s, value) {
    const d = this.data;
    let line = null, note = "";
    if (value !== null) {
      const v = d.value(s, value) || d.anyValue(value);
      line = v ? v[5] : null;
      note = line !== null ? `v${value} comes from line ${line}` : `v${value} has no source position (?)`;
    }
    const key = `${line} ${note}`;
    if (this.memo.source === key) return;
    this.memo.source = key;
    const out = [];
    if (note) out.push(`<div class="srcnote">${gxEsc(note)}</div>`);
    let file = null;
    for (const [f, n, text] of d.d.sources) {
      if (f !== file) { file = f; out.push(`<div class="file"><b>${gxEsc(f)}</b></div>`); }
      out.push(`<div class="sl${n === line ? " lit" : ""}" data-line="${n}"><span class="ln">${n}</span>`
        + `${gxEsc(text.replace(/\t/g, "    "))}</div>`);
    }
    this.source.innerHTML = out.join("");
    if (line !== null) gxReveal(this.source, ".sl.lit");
  }
}

function render({ model, el }) { return gxRender(SSAView, CSS, model, el); }

export default { render };
