// jgrad playground page: draws what the server's session publishes and sends the user's changes.
// The server owns all state; this file keeps only what it needs to draw (last frame, points).
"use strict";

// kept for the browser test, which fails on any uncaught script error
window.jgradErrors = [];
window.addEventListener("error", (e) => window.jgradErrors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => window.jgradErrors.push(String(e.reason)));

const FEATURES = [
  ["x1", "X\u2081"], ["x2", "X\u2082"], ["x1sq", "X\u2081\u00b2"], ["x2sq", "X\u2082\u00b2"],
  ["x1x2", "X\u2081X\u2082"], ["sinx1", "sin(X\u2081)"], ["sinx2", "sin(X\u2082)"],
];
const DATASETS = {
  classification: [["circle", "Circle"], ["xor", "Exclusive or"], ["gaussian", "Gaussian"], ["spiral", "Spiral"]],
  regression: [["plane", "Plane"], ["multigaussian", "Multi Gaussian"]],
};
const MAX_LAYERS = 6, MAX_NEURONS = 8, DOMAIN = 6;

const $ = (id) => document.getElementById(id);

// A random id per tab; crypto.getRandomValues works outside secure contexts, unlike randomUUID.
const sessionId = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
const api = `/api/sessions/${sessionId}`;
// The server puts its API token into the page; every API call sends it back (no other page can read it).
const token = document.querySelector('meta[name="playground-token"]').content;
const TOKEN_HEADER = "X-Playground-Token";

let config = null;      // the server's view of this session's settings
let frame = null;       // last state frame
let points = { train: [], test: [] };
let structureKey = "";
let datasetKey = "";
let events = null;

// ---- colours --------------------------------------------------------------------------------

const ORANGE = [245, 147, 34], MID = [232, 234, 235], BLUE = [8, 119, 189];

/** The Playground's diverging scale: -1 orange, 0 light grey, +1 blue. */
function colour(v) {
  v = Math.max(-1, Math.min(1, v));
  const end = v < 0 ? ORANGE : BLUE, t = Math.abs(v);
  return [0, 1, 2].map((k) => Math.round(MID[k] + (end[k] - MID[k]) * t));
}
const css = (rgb) => `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;

function decode(b64) {
  const raw = atob(b64), out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const b = raw.charCodeAt(i);
    out[i] = (b > 127 ? b - 256 : b) / 127;
  }
  return out;
}

const scratch = document.createElement("canvas");

/** Paints an n×n grid of values (rows from the top) onto a canvas, scaled to fit. */
function paintGrid(canvas, values, { lighten = 0, discretize = false } = {}) {
  const n = Math.round(Math.sqrt(values.length));
  scratch.width = n; scratch.height = n;
  const sctx = scratch.getContext("2d"), img = sctx.createImageData(n, n);
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (discretize) v = v >= 0 ? 1 : -1;
    const c = colour(v);
    img.data[4 * i] = c[0] + (255 - c[0]) * lighten;
    img.data[4 * i + 1] = c[1] + (255 - c[1]) * lighten;
    img.data[4 * i + 2] = c[2] + (255 - c[2]) * lighten;
    img.data[4 * i + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = !discretize;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

// ---- server calls -----------------------------------------------------------------------------

async function call(method, path, body) {
  const res = await fetch(api + path, {
    method,
    headers: body === undefined ? { [TOKEN_HEADER]: token } : { [TOKEN_HEADER]: token, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (res.status === 404 && path !== "" && config) {
    // the session expired while the tab slept: start it again with the same settings
    await recreate();
    return call(method, path, body);
  }
  if (!res.ok) {
    showStatus(json.error || `HTTP ${res.status}`);
    throw new Error(json.error);
  }
  showStatus("");
  return json;
}

function showStatus(text) {
  $("status").textContent = text;
}

/** Sends changed settings; the answer (and the event stream) brings the new state. */
async function change(patch) {
  try {
    render(await call("POST", "", patch));
  } catch (e) { /* shown in the status line */ }
}

async function action(name) {
  try {
    render(await call("POST", "/" + name));
  } catch (e) { /* shown in the status line */ }
}

async function recreate() {
  const keep = config ? { ...config } : {};
  delete keep.problem; delete keep.trainSize;
  const res = await fetch(api, { method: "POST", headers: { [TOKEN_HEADER]: token, "Content-Type": "application/json" }, body: JSON.stringify(keep) });
  const json = await res.json();
  if (!res.ok) {
    showStatus(json.error || `HTTP ${res.status}`);
    throw new Error(json.error);
  }
  render(json);
  openEvents();
}

function openEvents() {
  if (events) events.close();
  events = new EventSource(api + "/events?token=" + encodeURIComponent(token)); // EventSource cannot send headers
  events.addEventListener("points", (e) => { points = JSON.parse(e.data); drawOutput(); });
  events.addEventListener("state", (e) => render(JSON.parse(e.data)));
  events.addEventListener("closed", () => { events.close(); setTimeout(() => recreate().catch(() => {}), 500); });
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) setTimeout(() => recreate().catch(() => {}), 1000);
  };
}

// ---- building the page --------------------------------------------------------------------------

function buildDatasets() {
  const box = $("datasets");
  box.replaceChildren();
  for (const [name, title] of DATASETS[config.problem]) {
    const c = document.createElement("canvas");
    c.width = 48; c.height = 48; c.title = title; c.dataset.dataset = name;
    c.classList.toggle("selected", name === config.dataset);
    c.addEventListener("click", () => change({ dataset: name }));
    drawThumbnail(c, name);
    box.append(c);
  }
}

/** A sketch of each data set's labels, from the same rules the server's generator uses. */
function drawThumbnail(canvas, name) {
  const n = 24, vals = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const x = -DOMAIN + (2 * DOMAIN * (c + 0.5)) / n, y = DOMAIN - (2 * DOMAIN * (r + 0.5)) / n;
      vals[r * n + c] = thumbnailValue(name, x, y);
    }
  }
  paintGrid(canvas, vals);
}

function thumbnailValue(name, x, y) {
  switch (name) {
    case "circle": return Math.hypot(x, y) < 2.5 ? 1 : -1;
    case "xor": return x * y >= 0 ? 1 : -1;
    case "gaussian": return Math.hypot(x - 2, y - 2) < Math.hypot(x + 2, y + 2) ? 1 : -1;
    case "spiral": {
      const r = Math.hypot(x, y), t = Math.atan2(x, y), arm = (1.75 * 2 * Math.PI * r) / 5;
      const d = (((t - arm) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      return d < Math.PI / 2 || d > (3 * Math.PI) / 2 ? 1 : -1;
    }
    case "plane": return (x + y) / 10;
    case "multigaussian": {
      const centres = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
      let best = 0;
      for (const [cx, cy, s] of centres) {
        const v = s * Math.max(0, 1 - Math.hypot(x - cx, y - cy) / 2);
        if (Math.abs(v) > Math.abs(best)) best = v;
      }
      return best;
    }
  }
  return 0;
}

function buildFeatures() {
  const list = $("feature-list");
  list.replaceChildren();
  for (const [name, label] of FEATURES) {
    const row = document.createElement("div");
    row.className = "feature";
    row.dataset.feature = name;
    row.title = "Click to toggle this input";
    const c = document.createElement("canvas");
    c.width = 38; c.height = 38; c.className = "node"; c.dataset.node = "f:" + name;
    const span = document.createElement("span");
    span.textContent = label;
    row.append(c, span);
    row.addEventListener("click", () => toggleFeature(name));
    list.append(row);
    paintGrid(c, featureGrid(name));
  }
}

/** A feature's values on a 25×25 grid, scaled by their largest magnitude. */
function featureGrid(name) {
  const n = 25, v = new Float32Array(n * n);
  let max = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const x = -DOMAIN + (2 * DOMAIN * (c + 0.5)) / n, y = DOMAIN - (2 * DOMAIN * (r + 0.5)) / n;
      const f = { x1: x, x2: y, x1sq: x * x, x2sq: y * y, x1x2: x * y, sinx1: Math.sin(x), sinx2: Math.sin(y) }[name];
      v[r * n + c] = f;
      max = Math.max(max, Math.abs(f));
    }
  }
  return v.map((f) => f / (max || 1));
}

function toggleFeature(name) {
  const on = new Set(config.features);
  if (on.has(name)) {
    if (on.size === 1) { showStatus("At least one feature is needed."); return; }
    on.delete(name);
  } else on.add(name);
  change({ features: FEATURES.map(([n]) => n).filter((n) => on.has(n)) });
}

function buildLayers() {
  const box = $("layers");
  box.replaceChildren();
  config.layers.forEach((count, li) => {
    const col = document.createElement("div");
    col.className = "layer";
    col.dataset.layer = li;
    const buttons = document.createElement("div");
    buttons.className = "buttons";
    const plus = roundButton("+", "Add a neuron", () => setNeurons(li, count + 1));
    plus.className += " add-neuron";
    const minus = roundButton("\u2212", "Remove a neuron", () => setNeurons(li, count - 1));
    minus.className += " remove-neuron";
    buttons.append(plus, minus);
    const label = document.createElement("div");
    label.className = "count";
    label.textContent = count === 1 ? "1 neuron" : `${count} neurons`;
    col.append(buttons, label);
    for (let j = 0; j < count; j++) {
      const c = document.createElement("canvas");
      c.width = 40; c.height = 40; c.className = "neuron node"; c.dataset.node = `h:${li}:${j}`;
      c.title = `Layer ${li + 1}, neuron ${j + 1}. Hover to see its output on the plot.`;
      c.addEventListener("mouseenter", () => { hovered = [li, j]; drawOutput(); });
      c.addEventListener("mouseleave", () => { hovered = null; drawOutput(); });
      col.append(c);
    }
    box.append(col);
  });
  $("layer-count").textContent = config.layers.length;
  $("layer-plural").textContent = config.layers.length === 1 ? "" : "s";
}
let hovered = null;

function roundButton(text, title, onClick) {
  const b = document.createElement("button");
  b.className = "round tiny";
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

function setNeurons(layer, count) {
  if (count < 1 || count > MAX_NEURONS) return;
  const layers = [...config.layers];
  layers[layer] = count;
  change({ layers });
}

// ---- drawing a frame ------------------------------------------------------------------------------

function render(state) {
  if (!state || !state.config) return;
  const prev = config;
  config = state.config;
  frame = state;
  const dataKey = JSON.stringify([config.problem, config.dataset]);
  if (dataKey !== datasetKey) {
    datasetKey = dataKey;
    buildDatasets();
  }
  const key = JSON.stringify([config.features, config.layers]);
  if (key !== structureKey) {
    structureKey = key;
    buildLayers();
    for (const row of document.querySelectorAll("#feature-list .feature"))
      row.classList.toggle("on", config.features.includes(row.dataset.feature));
    if (!prev || prev.ratio !== config.ratio || prev.dataset !== config.dataset || prev.seed !== config.seed)
      call("GET", "/points").then((p) => { points = p; drawOutput(); }).catch(() => {});
  }
  syncControls();
  $("epoch").textContent = String(state.epoch).padStart(6, "0").replace(/(\d{3})(\d{3})$/, "$1,$2");
  $("play").classList.toggle("running", state.running);
  $("test-loss").textContent = fmtLoss(state.testLoss);
  $("train-loss").textContent = fmtLoss(state.trainLoss);
  const hm = state.heatmaps;
  hm.neurons.forEach((layer, li) => layer.forEach((b64, j) => {
    const c = document.querySelector(`canvas[data-node="h:${li}:${j}"]`);
    if (c) paintGrid(c, decode(b64));
  }));
  drawLinks();
  drawLossCurve();
  drawOutput();
}

function fmtLoss(v) {
  return v === null || v === undefined ? "NaN" : v.toFixed(3);
}

function syncControls() {
  const set = (id, value) => { const el = $(id); if (document.activeElement !== el) el.value = String(value); };
  set("learningRate", config.learningRate);
  set("activation", config.activation);
  set("regularization", config.regularization);
  set("regularizationRate", config.regularizationRate);
  set("problem", config.problem);
  set("ratio", config.ratio);
  set("noise", config.noise);
  $("batchSize").max = Math.min(config.trainSize, 100);
  set("batchSize", config.batchSize);
  $("ratio-value").textContent = config.ratio + "%";
  $("noise-value").textContent = config.noise;
  $("batchSize-value").textContent = config.batchSize;
  $("add-layer").disabled = config.layers.length >= MAX_LAYERS;
  $("remove-layer").disabled = config.layers.length === 0;
}

/** The decision surface (or a hovered neuron's output) with the data points on top. */
function drawOutput() {
  if (!frame) return;
  const canvas = $("heatmap"), ctx = canvas.getContext("2d");
  const discretize = $("discretize").checked && config.problem === "classification";
  let values;
  if (hovered && frame.heatmaps.neurons[hovered[0]]) values = decode(frame.heatmaps.neurons[hovered[0]][hovered[1]]);
  else values = decode(frame.heatmaps.output);
  paintGrid(canvas, values, { lighten: 0.35, discretize: discretize && !hovered });
  const toPx = (v) => ((v + DOMAIN) / (2 * DOMAIN)) * canvas.width;
  const drawPoints = (list, stroke) => {
    for (const [x, y, label] of list) {
      ctx.beginPath();
      ctx.arc(toPx(x), canvas.height - toPx(y), 3, 0, 2 * Math.PI);
      ctx.fillStyle = css(colour(label));
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    }
  };
  drawPoints(points.train, "#fff");
  if ($("show-test").checked) drawPoints(points.test, "#000");
}

function drawLossCurve() {
  const canvas = $("loss-curve"), ctx = canvas.getContext("2d"), h = frame.history;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (h.length < 2) return;
  const maxEpoch = Math.max(1, h[h.length - 1][0]);
  let maxLoss = 0;
  for (const p of h) maxLoss = Math.max(maxLoss, p[1], p[2]);
  maxLoss = maxLoss || 1;
  const line = (k, colourText, width) => {
    ctx.beginPath();
    h.forEach((p, i) => {
      const x = (p[0] / maxEpoch) * (canvas.width - 4) + 2;
      const y = canvas.height - 3 - (Math.max(0, p[k]) / maxLoss) * (canvas.height - 8);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = colourText;
    ctx.lineWidth = width;
    ctx.stroke();
  };
  line(1, "#9a9a9a", 1.5); // training
  line(2, "#222", 1.5);    // test
}

/** Connections as curves from each node to the next layer's nodes, coloured and sized by weight. */
function drawLinks() {
  const svg = $("links"), host = $("network").getBoundingClientRect();
  const centre = (el, side) => {
    const r = el.getBoundingClientRect();
    return [(side === "right" ? r.right : r.left) - host.left, r.top + r.height / 2 - host.top];
  };
  const layers = [config.features.map((f) => document.querySelector(`canvas[data-node="f:${f}"]`))];
  config.layers.forEach((n, li) => {
    const nodes = [];
    for (let j = 0; j < n; j++) nodes.push(document.querySelector(`canvas[data-node="h:${li}:${j}"]`));
    layers.push(nodes);
  });
  layers.push([$("heatmap")]);
  const parts = [];
  frame.weights.forEach((w, li) => {
    const from = layers[li], to = layers[li + 1];
    w.forEach((row, o) => row.forEach((weight, i) => {
      if (!from[i] || !to[o]) return;
      const [x1, y1] = centre(from[i], "right"), [x2, y2] = centre(to[o], "left");
      const mx = (x1 + x2) / 2;
      // capped, or a few large weights would hide the rest
      const width = (0.5 + Math.min(Math.abs(weight), 2) * 1.5).toFixed(2);
      parts.push(`<path d="M${x1.toFixed(1)},${y1.toFixed(1)} C${mx.toFixed(1)},${y1.toFixed(1)} ${mx.toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}"`
        + ` stroke="${css(colour(weight))}" stroke-width="${width}" data-weight="${weight}"><title>Weight ${weight}</title></path>`);
    }));
  });
  svg.innerHTML = parts.join("");
}

// ---- wiring the controls ----------------------------------------------------------------------------

function wire() {
  buildFeatures();
  $("play").addEventListener("click", () => action(frame && frame.running ? "pause" : "play"));
  $("step").addEventListener("click", () => action("step"));
  $("reset").addEventListener("click", () => action("reset"));
  $("regenerate").addEventListener("click", () => action("regenerate"));
  $("learningRate").addEventListener("change", (e) => change({ learningRate: Number(e.target.value) }));
  $("activation").addEventListener("change", (e) => change({ activation: e.target.value }));
  $("regularization").addEventListener("change", (e) => change({ regularization: e.target.value }));
  $("regularizationRate").addEventListener("change", (e) => change({ regularizationRate: Number(e.target.value) }));
  $("problem").addEventListener("change", (e) => change({ problem: e.target.value }));
  for (const id of ["ratio", "noise", "batchSize"]) {
    const el = $(id);
    el.addEventListener("input", () => { $(id + "-value").textContent = el.value + (id === "ratio" ? "%" : ""); });
    el.addEventListener("change", () => {
      const patch = { [id]: Number(el.value) };
      // a smaller training set may no longer hold a whole batch
      if (id === "ratio") patch.batchSize = Math.min(config.batchSize, Math.round((500 * Number(el.value)) / 100));
      change(patch);
    });
  }
  $("add-layer").addEventListener("click", () => {
    if (config.layers.length < MAX_LAYERS) change({ layers: [...config.layers, 2] });
  });
  $("remove-layer").addEventListener("click", () => {
    if (config.layers.length > 0) change({ layers: config.layers.slice(0, -1) });
  });
  $("show-test").addEventListener("change", drawOutput);
  $("discretize").addEventListener("change", drawOutput);
  window.addEventListener("resize", () => frame && drawLinks());
  // frees the server's slot at once; otherwise the session would wait out its idle timeout
  window.addEventListener("pagehide", () => { fetch(api, { method: "DELETE", headers: { [TOKEN_HEADER]: token }, keepalive: true }).catch(() => {}); });
}

wire();
recreate().catch((e) => showStatus("Could not start a session: " + e.message));
