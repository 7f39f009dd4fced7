// The chart of a selu-bench run: one panel per op, elements/s (log) against N (log, every decade),
// at most six lines per panel, each labelled at its right end (no shared legend to decode):
//   - selu-kernels at its best native configuration for each N (the fastest thread count / level),
//   - selu-kernels on one thread (omitted where it is the best everywhere, or to stay within six lines),
//   - the plain JS loop,
//   - each peer library at its best configuration for each N (tfjs's backends count as one peer),
//   - the memory roofline for the best configuration's thread count (dashed): the fastest same-size
//     native memory pass, converted to elements/s with the op's bytes per element.
// Standalone SVG, or HTML with the SVG and the text report.
'use strict';
const { formatN } = require('./harness');
const { rooflineFor } = require('./roofline');

const MAX_SERIES = 6;
const COLORS = { best: '#1f5fb4', one: '#7fa7dc', js: '#8c564b', roof: '#555555' };
// One colour per peer library, the same in every panel.
const PEER_COLORS = { PyTorch: '#d62728', onnxruntime: '#2ca02c', 'TensorFlow.js': '#ff7f0e' };
const PEER_NAMES = { pytorch: 'PyTorch', 'onnxruntime-node': 'onnxruntime', 'tfjs-cpu': 'TensorFlow.js', 'tfjs-wasm': 'TensorFlow.js' };

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const num = (x) => (Math.round(x * 10) / 10).toString();
/** 1e7 → "10M", 1e9 → "1G", 1e-1 → "0.1". */
const tickLabel = (v) => {
  const e = Math.round(Math.log10(v));
  if (e < 0 || e >= 15) return `1e${e}`;
  const units = ['', 'k', 'M', 'G', 'T'];
  return `${10 ** (e % 3)}${units[Math.floor(e / 3)]}`;
};

/** For each N, the row with the most elements/s among `rows`: [[n, elements/s, row]…] by N. */
function bestPerN(rows) {
  const best = new Map();
  for (const r of rows) if (!best.has(r.n) || r.elementsPerSecond > best.get(r.n).elementsPerSecond) best.set(r.n, r);
  return [...best.values()].sort((a, b) => a.n - b.n).map((r) => [r.n, r.elementsPerSecond, r]);
}

/** The lines of one op's panel (one dtype: the run's first), at most MAX_SERIES. */
function panelSeries(opRows, roofRows) {
  const native = opRows.filter((r) => r.backend === 'native' && r.mode === 'sync' && !/new output/.test(r.variant));
  const series = [];
  const best = bestPerN(native);
  if (best.length) {
    series.push({ label: 'selu-kernels (best)', color: COLORS.best, width: 2.4, points: best });
  }
  const one = bestPerN(native.filter((r) => r.threads === 1));
  if (one.length && one.some((p, i) => !best[i] || best[i][2] !== p[2])) {
    series.push({ label: 'selu-kernels, 1 thread', color: COLORS.one, width: 1.6, points: one });
  }
  const js = bestPerN(opRows.filter((r) => r.backend === 'js'));
  if (js.length) series.push({ label: 'plain JS loop', color: COLORS.js, width: 1.6, points: js });
  const peers = new Map();
  for (const r of opRows) {
    const name = PEER_NAMES[r.backend];
    if (!name) continue;
    if (!peers.has(name)) peers.set(name, []);
    peers.get(name).push(r);
  }
  for (const [name, rows] of peers) {
    series.push({ label: `${name}, best`, color: PEER_COLORS[name] || '#9467bd', width: 1.6, points: bestPerN(rows) });
  }
  // The roofline of the best configuration at each N, in elements/s of this op.
  const roof = best.map(([n, , r]) => {
    const pass = rooflineFor(r, roofRows);
    return pass ? [n, (pass.gbPerSecond * 1e9) / r.bytesPerElement] : null;
  }).filter(Boolean);
  // Over the limit (three peers): the one-thread line goes first, then the last peers.
  const room = MAX_SERIES - (roof.length ? 1 : 0);
  const oneThread = series.findIndex((x) => x.label === 'selu-kernels, 1 thread');
  if (series.length > room && oneThread >= 0) series.splice(oneThread, 1);
  const lines = series.slice(0, room);
  if (roof.length) lines.push({ label: 'memory roofline', color: COLORS.roof, width: 1.4, dash: '6 4', points: roof });
  return lines;
}

function layout(result) {
  const rows = result.rows.filter((r) => r.backend !== 'roofline' && r.backend !== 'cuda');
  const roofRows = result.rows.filter((r) => r.backend === 'roofline');
  const dtype = rows.some((r) => r.dtype === 'float32') ? 'float32' : rows[0].dtype;
  const ops = [...new Set(rows.map((r) => r.op))];
  return ops.map((op) => {
    const opRows = rows.filter((r) => r.op === op && (r.dtype === dtype || r.dtype === 'uint8'));
    const first = opRows[0];
    return { op, dtype: first.dtype, kind: first.roofline, bytesPerElement: first.bytesPerElement, series: panelSeries(opRows, roofRows) };
  }).filter((p) => p.series.length);
}

/** Label positions at the right end of each line, pushed apart so none overlap. */
function labelYs(ends, minGap, top, bottom) {
  const order = ends.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  for (let k = 1; k < order.length; k++) order[k].y = Math.max(order[k].y, order[k - 1].y + minGap);
  const over = order.length ? order[order.length - 1].y - bottom : 0;
  if (over > 0) for (const o of order) o.y -= over;
  for (let k = 0; k < order.length; k++) order[k].y = Math.max(order[k].y, top + k * minGap);
  const ys = [];
  for (const o of order) ys[o.i] = o.y;
  return ys;
}

/** The chart as a standalone SVG document. */
function svg(result) {
  if (!result.rows.some((r) => r.backend !== 'roofline')) throw new Error('nothing to chart: the run has no rows');
  const panels = layout(result);
  const cols = panels.length >= 2 ? 2 : 1;
  const gridRows = Math.ceil(panels.length / cols);
  const pw = 540;
  const ph = 300;
  const m = { l: 56, r: 170, t: 30, b: 44 };
  const iw = pw - m.l - m.r;
  const ih = ph - m.t - m.b;
  const headerH = 58;
  const W = cols * pw + 10;
  const H = headerH + gridRows * ph + 10;
  const allN = result.rows.filter((r) => r.backend !== 'roofline').map((r) => r.n);
  let x0 = Math.floor(Math.log10(Math.min(...allN)));
  let x1 = Math.ceil(Math.log10(Math.max(...allN)));
  if (x1 <= x0) { x0 -= 1; x1 += 1; }

  const mc = result.machine || {};
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push('<title>selu-bench: elements/s against N</title>');
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push('<text class="title" x="10" y="20" font-size="15" font-weight="bold">selu-kernels throughput: elements/s against N (log–log); dashed: the memory roofline</text>');
  // The measuring options only: where the JSON and the chart went is not part of what was measured.
  const command = (result.command || '').replace(/ --(json|chart|from) (?:'[^']*'|\S+)/g, '').replace(/ --no-progress/g, '');
  out.push(`<text class="subtitle" x="10" y="37" font-size="11" fill="#444">${esc(`${mc.cpu || ''}, ${mc.cores || '?'} cores, Node ${mc.node || ''} · ${(mc.date || '').slice(0, 10)}`)}</text>`);
  out.push(`<text class="subtitle" x="10" y="51" font-size="10" fill="#666">${esc(command)}</text>`);

  panels.forEach((p, i) => {
    const ox = 5 + (i % cols) * pw;
    const oy = headerH + Math.floor(i / cols) * ph;
    const ys = p.series.flatMap((s) => s.points.map((q) => q[1]));
    let y0 = Math.floor(Math.log10(Math.min(...ys)));
    let y1 = Math.ceil(Math.log10(Math.max(...ys)));
    if (y1 <= y0) { y0 -= 1; y1 += 1; }
    const sx = (v) => m.l + ((Math.log10(v) - x0) / (x1 - x0)) * iw;
    const sy = (v) => m.t + ih - ((Math.log10(v) - y0) / (y1 - y0)) * ih;
    out.push(`<g class="panel" data-op="${esc(p.op)}" transform="translate(${ox},${oy})">`);
    out.push(`<text class="panel-title" x="${m.l}" y="18" font-size="13" font-weight="bold">${esc(p.op)} <tspan font-weight="normal" fill="#555">${esc(`${p.dtype}, ${p.bytesPerElement} B/element, ${p.kind} roofline`)}</tspan></text>`);
    out.push(`<rect x="${m.l}" y="${m.t}" width="${iw}" height="${ih}" fill="#fafafa" stroke="none"/>`);
    out.push('<g class="axis x-axis">');
    for (let e = x0; e <= x1; e++) {
      const x = num(sx(10 ** e));
      out.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ih}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${x}" y="${m.t + ih + 14}" text-anchor="middle">${esc(formatN(10 ** e))}</text>`);
    }
    out.push(`<line x1="${m.l}" y1="${m.t + ih}" x2="${m.l + iw}" y2="${m.t + ih}" stroke="#333"/>`);
    out.push(`<text x="${m.l + iw / 2}" y="${m.t + ih + 32}" text-anchor="middle" fill="#333">N (elements)</text>`);
    out.push('</g>');
    out.push('<g class="axis y-axis">');
    for (let e = y0; e <= y1; e++) {
      const y = num(sy(10 ** e));
      out.push(`<line x1="${m.l}" y1="${y}" x2="${m.l + iw}" y2="${y}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${m.l - 5}" y="${y}" dy="0.32em" text-anchor="end">${tickLabel(10 ** e)}</text>`);
    }
    out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + ih}" stroke="#333"/>`);
    out.push(`<text transform="translate(12,${m.t + ih / 2}) rotate(-90)" text-anchor="middle" fill="#333">elements/s</text>`);
    out.push('</g>');
    const ends = p.series.map((s) => sy(s.points[s.points.length - 1][1]));
    const labelY = labelYs(ends, 13, m.t + 4, m.t + ih);
    p.series.forEach((s, k) => {
      const pts = s.points.map(([a, b]) => `${num(sx(a))},${num(sy(b))}`).join(' ');
      out.push(`<polyline class="${s.dash ? 'series roofline' : 'series'}" data-series="${esc(s.label)}" points="${pts}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
      if (!s.dash) for (const [a, b] of s.points) out.push(`<circle cx="${num(sx(a))}" cy="${num(sy(b))}" r="2.4" fill="${s.color}"/>`);
      const [lx, ly] = [sx(s.points[s.points.length - 1][0]), ends[k]];
      const ty = labelY[k];
      out.push(`<line x1="${num(lx + 3)}" y1="${num(ly)}" x2="${num(m.l + iw + 8)}" y2="${num(ty)}" stroke="${s.color}" stroke-width="0.8"/>`);
      out.push(`<text class="series-label" x="${num(m.l + iw + 11)}" y="${num(ty)}" dy="0.32em" fill="${s.color}" font-weight="${k === 0 ? 'bold' : 'normal'}">${esc(s.label)}</text>`);
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The chart in an HTML page, with the text report under it. */
function html(result, reportText) {
  const chart = svg(result).replace(/^<\?xml[^>]*>\n/, '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>selu-bench results</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 20px; color: #222; }
pre { font-size: 12px; line-height: 1.35; overflow-x: auto; }
svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>selu-bench results</h1>
${chart}
<pre>${esc(reportText || '')}</pre>
</body>
</html>
`;
}

module.exports = { svg, html };
