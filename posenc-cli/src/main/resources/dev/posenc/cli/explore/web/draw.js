// Drawing only: SVG line charts, heatmaps and shapes from numbers the API computed. One SVG is both what the page
// shows and what is exported (SVG as is, PNG rasterised from it).
const NS = 'http://www.w3.org/2000/svg';
export const COLOURS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d'];
const FONT = 'system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif';
/** Series with at most this many points also get a dot per point (a lone point has no line). */
const DOTTED_POINTS = 40;

export function el(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

export function text(x, y, s, attrs = {}) {
  return el('text', { x, y, 'font-family': FONT, 'font-size': 12, fill: '#1d2430', ...attrs }, String(s));
}

export function svg(width, height) {
  const s = el('svg', { xmlns: NS, width, height, viewBox: `0 0 ${width} ${height}` });
  s.append(el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  return s;
}

/** Shortest round-trip text of a number, or in exponent form when very large or small. */
export function fmt(v, digits = 6) {
  if (v === null || v === undefined) return '∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e12) return String(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(Math.min(digits, 4)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

function niceTicks(min, max, count) {
  const span = max - min || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0);
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** About how wide a label is drawn at font size px (CJK characters are about twice as wide as Latin ones). */
export function textWidth(label, px) {
  return [...String(label)].reduce((w, c) => w + (c.codePointAt(0) > 0x2e80 ? px : px * 0.58), 0);
}

/** Legend rows below the plot: two columns of this many pixels each. */
const LEGEND_COLUMN = 470;

/**
 * A line chart. spec: { width, height (of the plot area and its axes), title, x: {label, log, min, max},
 * y: {label, min, max}, series: [{label, x: [], y: [], colour, dash, attrs}], markers: [{x, label, colour, attrs,
 * row, top}], zeroLine, legend: 'left' | 'right' (default, inside the plot) | 'below' (two columns under it) }.
 * On a log axis points at x <= 0 are not drawn.
 */
export function lineChart(spec) {
  const { width = 960, height: plotHeight = 380 } = spec;
  const below = spec.legend === 'below' ? Math.ceil(spec.series.length / 2) * 17 + 8 : 0;
  const height = plotHeight + below;
  const m = { left: 68, right: 16, top: spec.title ? 28 : 12, bottom: 44 + below };
  const s = svg(width, height);
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const xs = spec.series.flatMap((c) => c.x).filter((v) => !spec.x.log || v > 0);
  const ys = spec.series.flatMap((c) => c.y).filter((v) => v !== null);
  const xmin = spec.x.min ?? Math.min(...xs);
  const xmax = spec.x.max ?? Math.max(...xs);
  let ymin = spec.y.min ?? Math.min(...ys, spec.zeroLine ? 0 : Infinity);
  let ymax = spec.y.max ?? Math.max(...ys);
  if (ymin === ymax) { ymin -= 1; ymax += 1; }
  const pad = (ymax - ymin) * 0.04;
  if (spec.y.min === undefined) ymin -= pad;
  if (spec.y.max === undefined) ymax += pad;
  const lx = (v) => Math.log10(v);
  const X = spec.x.log ? (v) => m.left + (lx(v) - lx(xmin)) / (lx(xmax) - lx(xmin)) * pw
    : (v) => m.left + (v - xmin) / (xmax - xmin) * pw;
  const Y = (v) => m.top + (ymax - v) / (ymax - ymin) * ph;
  if (spec.title) s.append(text(m.left, 18, spec.title, { 'font-size': 14, 'font-weight': 600 }));
  const grid = el('g', { stroke: '#e5e8ee', 'stroke-width': 1 });
  const labels = el('g', { 'font-size': 11 });
  const xticks = spec.x.log ? [] : niceTicks(xmin, xmax, 8);
  const few = spec.x.log && lx(xmax) - lx(xmin) < 2;
  if (spec.x.log) {
    for (let e = Math.floor(lx(xmin)); e <= lx(xmax) + 1e-9; e++) {
      for (const f of few ? [1, 2, 5] : [1]) if (f * 10 ** e >= xmin && f * 10 ** e <= xmax) xticks.push(f * 10 ** e);
    }
  }
  for (const v of xticks) {
    grid.append(el('line', { x1: X(v), x2: X(v), y1: m.top, y2: m.top + ph }));
    labels.append(text(X(v), m.top + ph + 16, spec.x.log && !few ? '10' + sup(Math.round(lx(v))) : fmt(v),
      { 'text-anchor': 'middle', 'font-size': 11 }));
  }
  for (const v of niceTicks(ymin, ymax, 6)) {
    grid.append(el('line', { x1: m.left, x2: m.left + pw, y1: Y(v), y2: Y(v) }));
    labels.append(text(m.left - 6, Y(v) + 4, fmt(v, 4), { 'text-anchor': 'end', 'font-size': 11 }));
  }
  s.append(grid, labels);
  if (spec.zeroLine && ymin < 0 && ymax > 0) {
    s.append(el('line', { x1: m.left, x2: m.left + pw, y1: Y(0), y2: Y(0), stroke: '#8b95a5' }));
  }
  s.append(el('rect', { x: m.left, y: m.top, width: pw, height: ph, fill: 'none', stroke: '#8b95a5' }));
  s.append(text(m.left + pw / 2, m.top + ph + 36, spec.x.label, { 'text-anchor': 'middle' }));
  s.append(text(14, m.top + ph / 2, spec.y.label,
    { 'text-anchor': 'middle', transform: `rotate(-90 14 ${m.top + ph / 2})` }));
  const clip = 'clip' + Math.random().toString(36).slice(2);
  s.append(el('clipPath', { id: clip }, el('rect', { x: m.left, y: m.top, width: pw, height: ph })));
  spec.series.forEach((c, i) => {
    const pts = [];
    c.x.forEach((x, j) => {
      if ((spec.x.log && x <= 0) || c.y[j] === null) return;
      pts.push(X(x).toFixed(2) + ',' + Y(c.y[j]).toFixed(2));
    });
    const stroke = c.colour || COLOURS[i % COLOURS.length];
    s.append(el('polyline', { points: pts.join(' '), fill: 'none', stroke,
      'stroke-width': c.width || 1.6, 'stroke-dasharray': c.dash, 'clip-path': `url(#${clip})`, ...c.attrs }));
    if (c.x.length <= DOTTED_POINTS) {
      for (const p of pts) {
        const [px, py] = p.split(',');
        s.append(el('circle', { cx: px, cy: py, r: 3, fill: stroke }));
      }
    }
  });
  for (const mk of spec.markers || []) {
    if (mk.x === null || mk.x < xmin || mk.x > xmax || (spec.x.log && mk.x <= 0)) continue;
    const g = el('g', { ...mk.attrs });
    g.append(el('line', { x1: X(mk.x), x2: X(mk.x), y1: m.top, y2: m.top + ph, stroke: mk.colour,
      'stroke-dasharray': '4 3' }));
    const right = X(mk.x) > m.left + pw * 0.8;
    const y = mk.top ? m.top + 14 + (mk.row || 0) * 14 : m.top + ph - 8 - (mk.row || 0) * 14;
    if (mk.label) g.append(text(X(mk.x) + (right ? -4 : 4), y, mk.label,
      { fill: mk.colour, 'font-size': 11, 'text-anchor': right ? 'end' : 'start' }));
    s.append(g);
  }
  const legend = el('g', {});
  const legendWidth = 40 + Math.max(0, ...spec.series.map((c) => textWidth(c.label, 11.5)));
  const legendX = spec.legend === 'left' ? m.left + 10 : m.left + pw - legendWidth;
  spec.series.forEach((c, i) => {
    const x = below ? m.left + (i % 2) * LEGEND_COLUMN : legendX;
    const y = below ? m.top + ph + 58 + Math.floor(i / 2) * 17 : m.top + 16 + i * 16;
    legend.append(el('line', { x1: x, x2: x + 22, y1: y - 4, y2: y - 4, stroke: c.colour || COLOURS[i % COLOURS.length],
      'stroke-width': 2.5, 'stroke-dasharray': c.dash }));
    legend.append(text(x + 28, y, c.label, { 'font-size': 11.5 }));
  });
  if (spec.series.length) {
    if (!below) {
      s.append(el('rect', { x: legendX - 6, y: m.top + 4, width: legendWidth, height: spec.series.length * 16 + 6,
        fill: '#ffffff', 'fill-opacity': 0.85 }));
    }
    s.append(legend);
  }
  return s;
}

function sup(n) {
  const d = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return String(n).split('').map((c) => (c === '-' ? '⁻' : d[Number(c)])).join('');
}

/** Sequential (white → blue) or diverging (red ← white → blue) colour of t in [0, 1]. */
export function colour(t, diverging) {
  const c = Math.max(0, Math.min(1, t));
  const mix = (a, b, f) => a.map((v, i) => Math.round(v + (b[i] - v) * f));
  const white = [255, 255, 255];
  const blue = [30, 64, 175];
  const red = [185, 28, 28];
  const rgb = diverging ? (c < 0.5 ? mix(red, white, c * 2) : mix(white, blue, (c - 0.5) * 2)) : mix(white, blue, c);
  return `rgb(${rgb.join(',')})`;
}

/**
 * A heatmap of matrix[row][col] (null: masked, drawn grey). spec: { matrix, width, minWidth (default 640 with a
 * title), title, rowLabel, colLabel, diverging, cellAttrs(i, j, v) }.
 */
export function heatmap(spec) {
  const rows = spec.matrix.length;
  const cols = spec.matrix[0].length;
  const size = Math.max(3, Math.min(18, Math.floor((spec.width || 560) / cols)));
  const m = { left: 52, top: spec.title ? 30 : 12, right: 90, bottom: 40 };
  const w = Math.max(m.left + cols * size + m.right, spec.title ? spec.minWidth ?? 640 : 0);
  const h = m.top + rows * size + m.bottom;
  const s = svg(w, h);
  const vals = spec.matrix.flat().filter((v) => v !== null);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const abs = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const scale = (v) => (spec.diverging ? 0.5 + v / (2 * abs) : (hi === lo ? 0.5 : (v - lo) / (hi - lo)));
  if (spec.title) s.append(text(m.left, 18, spec.title, { 'font-size': 14, 'font-weight': 600 }));
  const g = el('g', {});
  spec.matrix.forEach((row, i) => row.forEach((v, j) => {
    g.append(el('rect', { x: m.left + j * size, y: m.top + i * size, width: size, height: size,
      fill: v === null ? '#e5e7eb' : colour(scale(v), spec.diverging), ...(spec.cellAttrs ? spec.cellAttrs(i, j, v) : {}) }));
  }));
  s.append(g);
  const step = Math.max(1, Math.ceil(cols / 8));
  for (let j = 0; j < cols; j += step) s.append(text(m.left + j * size + size / 2, m.top + rows * size + 14, j,
    { 'text-anchor': 'middle', 'font-size': 10 }));
  for (let i = 0; i < rows; i += step) s.append(text(m.left - 4, m.top + i * size + size / 2 + 3, i,
    { 'text-anchor': 'end', 'font-size': 10 }));
  s.append(text(m.left + cols * size / 2, h - 8, spec.colLabel, { 'text-anchor': 'middle' }));
  s.append(text(14, m.top + rows * size / 2, spec.rowLabel,
    { 'text-anchor': 'middle', transform: `rotate(-90 14 ${m.top + rows * size / 2})` }));
  const lx = m.left + cols * size + 16;
  const lh = Math.min(160, rows * size);
  for (let k = 0; k < 32; k++) {
    s.append(el('rect', { x: lx, y: m.top + lh - (k + 1) * lh / 32, width: 14, height: lh / 32 + 0.5,
      fill: colour(k / 31, spec.diverging) }));
  }
  const top = spec.diverging ? abs : hi;
  const bottom = spec.diverging ? -abs : lo;
  s.append(text(lx + 18, m.top + 10, fmt(top, 4), { 'font-size': 10 }));
  s.append(text(lx + 18, m.top + lh, fmt(bottom, 4), { 'font-size': 10 }));
  return s;
}

/** Several SVG pictures in one row, as one SVG (so that the export holds all of them). */
export function sideBySide(parts, gap = 12) {
  const width = parts.reduce((w, p) => w + Number(p.getAttribute('width')), 0) + gap * (parts.length - 1);
  const height = Math.max(...parts.map((p) => Number(p.getAttribute('height'))));
  const s = svg(width, height);
  let x = 0;
  for (const p of parts) {
    p.setAttribute('x', x);
    p.setAttribute('y', 0);
    s.append(p);
    x += Number(p.getAttribute('width')) + gap;
  }
  return s;
}

export function svgToPng(node) {
  const data = new XMLSerializer().serializeToString(node);
  const url = URL.createObjectURL(new Blob([data], { type: 'image/svg+xml' }));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const scale = 2;
      const canvas = document.createElement('canvas');
      canvas.width = node.width.baseVal.value * scale;
      canvas.height = node.height.baseVal.value * scale;
      const ctx = canvas.getContext('2d');
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob(resolve, 'image/png');
    };
    img.onerror = reject;
    img.src = url;
  });
}

export function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** rows: an array of arrays, the first the header. */
export function toCsv(rows) {
  const cell = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v))
    ? '"' + String(v).replace(/"/g, '""') + '"' : String(v));
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** An HTML table from rows (first row: header); cellClass(i, j) may name a class. */
export function table(rows, cellClass) {
  const tbl = document.createElement('table');
  rows.forEach((r, i) => {
    const tr = document.createElement('tr');
    r.forEach((v, j) => {
      const c = document.createElement(i === 0 ? 'th' : 'td');
      c.textContent = v === null || v === undefined ? '' : String(v);
      const cls = i > 0 && cellClass ? cellClass(i - 1, j) : null;
      if (cls) c.className = cls;
      tr.append(c);
    });
    tbl.append(tr);
  });
  return tbl;
}
