// gokit explorers: what every explorer's module shares (Python prepends this file and `const CSS = ...` to each).
//
// One implementation serves two hosts. In a notebook, anywidget calls `render({model, el})` with the widget's
// model (its `data` and `state` traits). In an exported page or a pasted fragment there is no kernel and no
// widget manager: `gxMountAll` reads the explorer's JSON from the application/json script element next to it and
// calls the same `render` with a tiny stand-in model (get/set/on/off/save_changes/send) that lives in the page.
// Everything draws into a shadow root, so the host page's CSS cannot reach in and ours cannot leak out.

const GX_FORMAT = 1;

function gxEsc(s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// h("div", {class: "x", onclick: f}, child, "text", [more]) -> an element
function gxH(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else if (k === "html") el.innerHTML = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

// The explorer's root: a shadow root under `el` holding our stylesheet and one `.gx` element.
function gxShadow(el, css) {
  const host = document.createElement("div");
  host.className = "gokit-explorer-host";
  host.style.display = "block";
  host.style.maxWidth = "100%";
  el.appendChild(host);
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = css;
  shadow.appendChild(style);
  const root = gxH("div", { class: "gx", tabindex: "-1" });
  shadow.appendChild(root);
  return root;
}

// A model's state, read and changed the same way with a widget model and with the page's stand-in.
class GxModel {
  constructor(model) { this.model = model; }
  get data() { return this.model.get("data") || {}; }
  get state() { return this.model.get("state") || {}; }
  // merge a change into the state: every view of this model redraws (the kernel, when there is one, hears it)
  set(patch) {
    const next = { ...this.state, ...patch };
    this.model.set("state", next);
    this.model.save_changes();
  }
  // true when a kernel can compute what the embedded data lacks (another GOARCH, another line)
  get live() { return !this.model.gokitStatic; }
  ask(request) { this.model.send({ gokit: "compute", ...request }); }
}

// A view that can ask the kernel for what its data lacks (asm: another GOARCH; journey: another line): an error the
// kernel sends back ends the wait and is shown; new data forgets what was asked and memoised, and redraws. A
// subclass gives build() and apply().
class GxAskingView {
  constructor(root, model) {
    this.root = root;
    this.m = new GxModel(model);
    this.pending = null;
    this.onMsg = (msg) => {
      if (msg && msg.gokit === "error") { this.pending = null; this.error = msg.message; this.apply(); }
    };
    model.on("msg:custom", this.onMsg);
  }

  setData() {
    this.d = this.m.data;
    this.pending = null;
    this.memo = {};
    this.build();
    this.apply();
  }
}

// A share of the CPU profile's samples as a cell (asm and journey): white to red by share of the busiest, "<1%"
// for a few samples, nothing for none.
function gxHeat(share, most) {
  const t = most <= 0 ? 0 : Math.max(0, Math.min(1, share / most));
  const hex = (v) => Math.round(v).toString(16).padStart(2, "0");
  return `#ff${hex(255 - 150 * t)}${hex(255 - 215 * t)}`;
}

function gxPct(share, most) {
  if (!share) return "<span class='pct'></span>";
  const label = share >= 0.01 ? `${Math.round(share * 100)}%` : "&lt;1%";
  return `<span class="pct" style="background:${gxHeat(share, most)}" title="${(share * 100).toFixed(1)}% of the `
    + `CPU samples">${label}</span>`;
}

// Why a choice cannot be shown here, and what would show it.
function gxNeedsKernel(what) {
  return `${what} is not in this page: it needs a new compile, which only a running notebook can do. `
    + "Open the lesson in Jupyter (or re-export it after choosing this there) to see it.";
}

// Measure one update of a view, for `data-ms` (read by gokit's browser benchmark).
function gxTimed(root, fn) {
  const t0 = performance.now();
  fn();
  root.dataset.ms = (performance.now() - t0).toFixed(1);
}

// Arrow keys on a container step through its choices (its own keys, not those of the form controls in it).
function gxOwnKey(ev) {
  const t = ev.composedPath ? ev.composedPath()[0] : ev.target;
  const tag = (t && t.tagName) || "";
  return !(tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA" || tag === "BUTTON"
    || (t && t.getAttribute && t.getAttribute("role") === "tab"));
}

// A <select> from [label, value] pairs; `onChange(value)` on a choice.
function gxSelect(options, value, onChange, attrs) {
  const s = gxH("select", attrs || {});
  gxSetOptions(s, options, value);
  s.addEventListener("change", () => onChange(s.value));
  return s;
}

function gxSetOptions(select, options, value) {
  const html = options.map(([label, v, extra]) => `<option value="${gxEsc(v)}"${extra ? " " + extra : ""}>`
    + `${gxEsc(label)}</option>`).join("");
  if (select.dataset.opts !== html) {
    select.innerHTML = html;
    select.dataset.opts = html;
  }
  select.value = String(value);
}

// Tabs: buttons over panes; `onShow(name)` when one is chosen.
function gxTabs(names, current, onShow) {
  const bar = gxH("div", { class: "gx-tabs", role: "tablist" });
  for (const n of names) {
    bar.append(gxH("button", {
      type: "button", role: "tab", class: "gx-tab", "data-tab": n,
      onclick: () => onShow(n),
    }, n));
  }
  gxMarkTab(bar, current);
  return bar;
}

function gxMarkTab(bar, current) {
  for (const b of bar.querySelectorAll(".gx-tab")) {
    const on = b.dataset.tab === current;
    b.classList.toggle("on", on);
    b.setAttribute("aria-selected", on ? "true" : "false");
  }
}

// Keep the row `sel` of a scrolling pane in view.
function gxReveal(pane, sel) {
  const row = pane.querySelector(sel);
  if (!row) return;
  const p = pane.getBoundingClientRect();
  const r = row.getBoundingClientRect();
  if (r.top < p.top + 20 || r.bottom > p.bottom - 4) {
    pane.scrollTop += r.top - p.top - pane.clientHeight / 3;
  }
  if (pane.scrollWidth > pane.clientWidth && (r.left < p.left || r.left > p.left + pane.clientWidth - 40)) {
    pane.scrollLeft += r.left - p.left - 20;      // a pane that scrolls sideways (a wide CFG): the row's start
  }
}

// A byte column of a UTF-8 line -> a character index into the JavaScript string.
function gxCharAt(text, byteCol) {
  if (/^[\x00-\x7f]*$/.test(text)) return Math.max(0, Math.min(text.length, byteCol));
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteCol) {
    const cp = text.codePointAt(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

// The stand-in for a widget model in a page with no kernel.
function gxStaticModel(payload) {
  const values = { data: payload.data, state: payload.state };
  const listeners = {};
  return {
    gokitStatic: true,
    widget_manager: null,
    get: (k) => values[k],
    set(k, v) {
      values[k] = v;
      for (const f of (listeners["change:" + k] || []).slice()) f();
    },
    on(ev, f) { (listeners[ev] = listeners[ev] || []).push(f); },
    off(ev, f) { listeners[ev] = (listeners[ev] || []).filter((g) => g !== f); },
    save_changes() {},
    send() {},
  };
}

// What an explorer's anywidget render does: its view drawn in the element's shadow root, redrawn when the model's
// state or data change; the function it returns unhooks the view (and its custom messages, if it listens).
function gxRender(View, css, model, el) {
  const view = new View(gxShadow(el, css), model);
  const onState = () => view.apply();
  const onData = () => view.setData();
  model.on("change:state", onState);
  model.on("change:data", onData);
  return () => {
    model.off("change:state", onState);
    model.off("change:data", onData);
    if (view.onMsg) model.off("msg:custom", view.onMsg);
  };
}

// Mount every not-yet-mounted explorer of this kind on the page (a page may hold several, and several copies
// of this module when fragments are pasted side by side: each explorer is mounted once).
function gxMountAll(kind, render) {
  const sel = `script[type="application/json"][data-gokit-explorer="${kind}"]`;
  for (const script of document.querySelectorAll(sel)) {
    if (script.dataset.gokitMounted) continue;
    script.dataset.gokitMounted = "1";
    const box = script.closest(".gokit-explorer") || script.parentElement;
    let payload;
    try {
      payload = JSON.parse(script.textContent);
    } catch (e) {
      box.append(`gokit: this explorer's data is damaged (${e.message})`);
      continue;
    }
    for (const old of box.querySelectorAll(".gokit-explorer-fallback")) old.remove();
    const el = document.createElement("div");
    box.appendChild(el);
    render({ model: gxStaticModel(payload), el });
  }
}
