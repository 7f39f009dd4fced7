// The chart of a selu-bench run: one panel per op, elements/s (log) against N (log), a polyline per
// variant (backend, variant, dtype), and the op's roofline (the same-size memory pass's bytes/s over
// the op's bytes per element) as a dashed line. Standalone SVG, or HTML with the SVG and the text report.
'use strict';
const { formatN } = require('./harness');

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#393b79', '#637939'];
const ROOF_COLOR = '#555';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const num = (x) => (Math.round(x * 10) / 10).toString();
/** 1e7 → "10M", 1e9 → "1G", 1e-1 → "0.1". */
const tickLabel = (v) => {
  const e = Math.round(Math.log10(v));
  if (e < 0 || e >= 15) return `1e${e}`;
  const units = ['', 'k', 'M', 'G', 'T'];
  return `${10 ** (e % 3)}${units[Math.floor(e / 3)]}`;
};

/** Series key and label of a row: what one polyline connects across N. */
function seriesOf(row, multiDtype) {
  const label = `${row.backend}${row.variant ? ` (${row.variant})` : ''}${multiDtype ? ` ${row.dtype}` : ''}`;
  return { key: `${row.backend}|${row.variant}|${multiDtype ? row.dtype : ''}`, label };
}

function layout(result) {
  const rows = result.rows.filter((r) => r.backend !== 'roofline');
  const roofs = result.rows.filter((r) => r.backend === 'roofline');
  const ops = [...new Set(rows.map((r) => r.op))];
  const multiDtype = new Set(rows.map((r) => r.dtype)).size > 1;

  const colors = new Map();
  const legend = [];
  for (const r of rows) {
    const s = seriesOf(r, multiDtype);
    if (!colors.has(s.key)) {
      colors.set(s.key, PALETTE[colors.size % PALETTE.length]);
      legend.push({ key: s.key, label: s.label, color: colors.get(s.key), dash: colors.size > PALETTE.length ? '2 2' : null });
    }
  }

  const panels = ops.map((op) => {
    const opRows = rows.filter((r) => r.op === op);
    const series = new Map();
    for (const r of opRows) {
      const s = seriesOf(r, multiDtype);
      if (!series.has(s.key)) series.set(s.key, { ...s, points: [] });
      series.get(s.key).points.push([r.n, r.elementsPerSecond]);
    }
    const kind = opRows[0].roofline;
    const rooflines = [];
    for (const dtype of [...new Set(opRows.map((r) => r.dtype))]) {
      const bpe = opRows.find((r) => r.dtype === dtype).bytesPerElement;
      const pts = roofs.filter((r) => r.op === kind && r.dtype === dtype)
        .map((r) => [r.n, (r.gbPerSecond * 1e9) / bpe])
        .sort((a, b) => a[0] - b[0]);
      if (pts.length) rooflines.push({ dtype, kind, bytesPerElement: bpe, points: pts });
    }
    for (const s of series.values()) s.points.sort((a, b) => a[0] - b[0]);
    const first = opRows[0];
    return { op, kind, bytesPerElement: first.bytesPerElement, dtype: first.dtype, series: [...series.values()], rooflines };
  });

  const xs = rows.map((r) => r.n);
  const ys = [...rows.map((r) => r.elementsPerSecond), ...panels.flatMap((p) => p.rooflines.flatMap((l) => l.points.map((q) => q[1])))];
  let x0 = Math.floor(Math.log10(Math.min(...xs)));
  let x1 = Math.ceil(Math.log10(Math.max(...xs)));
  if (x1 <= x0) { x0 -= 1; x1 += 1; }
  let y0 = Math.floor(Math.log10(Math.min(...ys)));
  let y1 = Math.ceil(Math.log10(Math.max(...ys)));
  if (y1 <= y0) { y0 -= 1; y1 += 1; }
  return { panels, legend, colors, multiDtype, x: [x0, x1], y: [y0, y1] };
}

/** The chart as a standalone SVG document. */
function svg(result) {
  if (!result.rows.some((r) => r.backend !== 'roofline')) throw new Error('nothing to chart: the run has no rows');
  const L = layout(result);
  const n = L.panels.length;
  const cols = n <= 3 ? n : n <= 4 ? 2 : n <= 6 ? 3 : 4;
  const gridRows = Math.ceil(n / cols);
  const pw = 330;
  const ph = 250;
  const m = { l: 52, r: 14, t: 30, b: 42 };
  const iw = pw - m.l - m.r;
  const ih = ph - m.t - m.b;
  const headerH = 46;
  const legendCols = Math.min(3, Math.max(1, Math.floor((cols * pw) / 360)));
  const legendRowH = 18;
  const legendH = 16 + Math.ceil((L.legend.length + 1) / legendCols) * legendRowH;
  const W = cols * pw + 10;
  const H = headerH + gridRows * ph + legendH + 8;

  const sx = (v) => m.l + ((Math.log10(v) - L.x[0]) / (L.x[1] - L.x[0])) * iw;
  const sy = (v) => m.t + ih - ((Math.log10(v) - L.y[0]) / (L.y[1] - L.y[0])) * ih;
  const pts = (points) => points.map(([a, b]) => `${num(sx(a))},${num(sy(b))}`).join(' ');

  const mc = result.machine || {};
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<title>selu-bench: elements/s against N</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="10" y="20" font-size="15" font-weight="bold">selu-kernels throughput: elements/s against N (log–log), dashed: memory roofline</text>`);
  // The measuring options only: where the JSON and the chart went is not part of what was measured.
  const command = (result.command || '').replace(/ --(json|chart|from) (?:'[^']*'|\S+)/g, '').replace(/ --no-progress/g, '');
  out.push(`<text class="subtitle" x="10" y="37" font-size="11" fill="#444">${esc(`${mc.cpu || ''}, ${mc.cores || '?'} cores, Node ${mc.node || ''} · ${(mc.date || '').slice(0, 10)} · ${command}`)}</text>`);

  L.panels.forEach((p, i) => {
    const ox = 5 + (i % cols) * pw;
    const oy = headerH + Math.floor(i / cols) * ph;
    out.push(`<g class="panel" data-op="${esc(p.op)}" transform="translate(${ox},${oy})">`);
    out.push(`<text class="panel-title" x="${m.l}" y="18" font-size="12.5" font-weight="bold">${esc(p.op)} <tspan font-weight="normal" fill="#555">(${p.bytesPerElement} B/element${L.multiDtype ? ` ${esc(p.dtype)}` : ''}, ${esc(p.kind)} roofline)</tspan></text>`);
    out.push(`<rect x="${m.l}" y="${m.t}" width="${iw}" height="${ih}" fill="#fafafa" stroke="none"/>`);
    // Grid and axes.
    out.push('<g class="axis x-axis">');
    for (let e = L.x[0]; e <= L.x[1]; e++) {
      const x = num(sx(10 ** e));
      out.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ih}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${x}" y="${m.t + ih + 14}" text-anchor="middle">${esc(formatN(10 ** e))}</text>`);
    }
    out.push(`<line x1="${m.l}" y1="${m.t + ih}" x2="${m.l + iw}" y2="${m.t + ih}" stroke="#333"/>`);
    out.push(`<text x="${m.l + iw / 2}" y="${m.t + ih + 32}" text-anchor="middle" fill="#333">N (elements)</text>`);
    out.push('</g>');
    out.push('<g class="axis y-axis">');
    for (let e = L.y[0]; e <= L.y[1]; e++) {
      const y = num(sy(10 ** e));
      out.push(`<line x1="${m.l}" y1="${y}" x2="${m.l + iw}" y2="${y}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${m.l - 5}" y="${y}" dy="0.32em" text-anchor="end">${tickLabel(10 ** e)}</text>`);
    }
    out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + ih}" stroke="#333"/>`);
    out.push(`<text transform="translate(12,${m.t + ih / 2}) rotate(-90)" text-anchor="middle" fill="#333">elements/s</text>`);
    out.push('</g>');
    for (const r of p.rooflines) {
      out.push(`<polyline class="roofline" data-roofline="${esc(r.kind)}" data-dtype="${esc(r.dtype)}" points="${pts(r.points)}" fill="none" stroke="${ROOF_COLOR}" stroke-width="1.6" stroke-dasharray="6 4"/>`);
    }
    for (const s of p.series) {
      const leg = L.legend.find((l) => l.key === s.key);
      out.push(`<polyline class="series" data-variant="${esc(s.label)}" points="${pts(s.points)}" fill="none" stroke="${leg.color}" stroke-width="1.8"${leg.dash ? ` stroke-dasharray="${leg.dash}"` : ''}/>`);
      for (const [a, b] of s.points) out.push(`<circle cx="${num(sx(a))}" cy="${num(sy(b))}" r="2.6" fill="${leg.color}"/>`);
    }
    out.push('</g>');
  });

  const ly = headerH + gridRows * ph + 10;
  const colW = (W - 20) / legendCols;
  out.push(`<g class="legend" transform="translate(10,${ly})">`);
  const entries = [{ label: 'memory roofline (same-size copy or read pass)', color: ROOF_COLOR, dash: '6 4', roof: true }, ...L.legend];
  entries.forEach((e, i) => {
    const x = (i % legendCols) * colW;
    const y = Math.floor(i / legendCols) * legendRowH;
    out.push(`<line x1="${num(x)}" y1="${y + 6}" x2="${num(x + 22)}" y2="${y + 6}" stroke="${e.color}" stroke-width="${e.roof ? 1.6 : 1.8}"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`);
    out.push(`<text x="${num(x + 28)}" y="${y + 10}">${esc(e.label)}</text>`);
  });
  out.push('</g>');
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
