// A real model: /api/model for a bundled config, an uploaded config.json or an uploaded GGUF file (read with
// llama.cpp's semantics), optionally against a second one (A/B); a GGUF beside a config.json is audited against it.
import { api, update, rebuildControls } from '../app.js';
import { t } from '../i18n.js';
import { el, svg, text, fmt, table, COLOURS } from '../draw.js';
import { select, line } from './common.js';

const BAND_COLOURS = { kept: '#16a34a', blended: '#d97706', interpolated: '#2563eb' };
const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46];   // "GGUF": how the server, like posenc inspect, recognises the file
const AUDIT_COLOUR = '#dc2626';
let bundled = [];
let limits = { max_upload_bytes: 1 << 20, max_gguf_upload_bytes: 64 << 20 };
let uploads = {};   // file name -> { bytes, gguf } of an uploaded file, or { error } (kept in this page only)

const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k]);
const uploaded = (name) => (name.startsWith('upload:') ? uploads[name.slice('upload:'.length)] : undefined);
const isGguf = (name) => !!(uploaded(name) && uploaded(name).gguf);

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * One slot's answer. A GGUF is sent with llama.cpp's context and, when the other slot holds a config.json, that
 * config to audit the conversion against: a bundled one by name, an uploaded one appended to the body.
 */
async function load(name, state, other) {
  if (!name.startsWith('upload:')) return api('model', { name, seq_len: state.seq_len });
  const file = name.slice('upload:'.length);
  const u = uploads[file];
  if (!u) throw new Error(file + ': load it again (uploads are not kept in the URL)');
  if (u.error) throw new Error(u.error);
  if (!u.gguf) return api('model', { name: file, seq_len: state.seq_len }, u.bytes);
  const params = { name: file, ctx: state.ctx };
  if (!other || isGguf(other)) return api('model', params, u.bytes);
  if (!other.startsWith('upload:')) return api('model', { ...params, against: other }, u.bytes);
  const config = uploaded(other);
  if (!config || config.error) return api('model', params, u.bytes);
  return api('model', { ...params, against: other.slice('upload:'.length), against_bytes: config.bytes.length },
    concat(u.bytes, config.bytes));
}

async function readUpload(file) {
  const head = new Uint8Array(await file.slice(0, GGUF_MAGIC.length).arrayBuffer());
  const gguf = GGUF_MAGIC.every((b, i) => head[i] === b);
  const max = gguf ? limits.max_gguf_upload_bytes : limits.max_upload_bytes;
  if (file.size > max) {
    return { error: 'posenc: ' + fill(t('model.tooLarge'), { file: file.name, size: file.size,
      max: limits.max_gguf_upload_bytes / 2 ** 20 }) };
  }
  return { bytes: new Uint8Array(await file.arrayBuffer()), gguf };
}

function uploadControl() {
  const label = document.createElement('label');
  const span = document.createElement('span');
  span.textContent = t('ctl.upload');
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'upload';
  input.accept = '.json,.gguf,application/json';
  input.title = fill(t('model.ggufNote'), { max: limits.max_gguf_upload_bytes / 2 ** 20 });
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    uploads[file.name] = await readUpload(file);
    update({ model: 'upload:' + file.name });
    rebuildControls();
  });
  label.append(span, input);
  return label;
}

export default {
  id: 'model',
  defaults: { model: 'llama-3.1-8b.json', compare: '', seq_len: '0', ctx: '0' },
  definitions: ['band'],
  rebuildOn: ['model', 'compare'],
  controls: () => {
    const names = [...bundled, ...Object.keys(uploads).map((f) => 'upload:' + f)];
    const label = (n) => (n.startsWith('upload:') ? n.slice(7) + ' (' + t('model.uploaded') + ')' : n || t('none'));
    const { model, compare } = window.explore.state || {};
    const slots = [model, compare].filter((n) => n);
    const controls = [
      select('model', 'ctl.model', names.length ? names : [model], label),
      select('compare', 'ctl.compare', ['', ...names], label),
    ];
    if (slots.some((n) => !isGguf(n))) {
      controls.push({ key: 'seq_len', label: 'ctl.seqlen', type: 'range', min: 0, max: 262144, step: 1024 });
    }
    if (slots.some(isGguf)) {
      controls.push({ key: 'ctx', label: 'ctl.ctx', type: 'range', min: 0, max: 262144, step: 1024 });
    }
    controls.push({ key: 'upload', type: 'custom', element: uploadControl });
    return controls;
  },
  async prepare() {
    if (!bundled.length) {
      const answer = await api('models', {});
      bundled = answer.bundled;
      limits = answer;
    }
  },
  async render(state) {
    const models = [await load(state.model, state, state.compare)];
    if (state.compare) models.push(await load(state.compare, state, state.model));
    const audited = models.find((m) => m.inspect.audit);
    const differs = new Set(audited ? audited.inspect.audit.differences.filter((d) => d.pair !== null)
      .map((d) => d.pair) : []);
    const rope = models.filter((m) => m.pairs.length);
    const s = rope.length ? bands(rope, differs) : svg(10, 10);
    const summary = models.map((m) => {
      const i = m.inspect;
      const gguf = i.source === 'gguf'
        ? ` (${t('model.gguf')}, architecture ${i.architecture}, ${t('model.nctx')} ${m.n_ctx}`
          + (i.llama_cpp ? `, ${i.llama_cpp.op} mode ${i.llama_cpp.mode}, ${t('model.factors')} `
            + `${i.llama_cpp.freq_factors || t('none')}` : '') + ')'
        : '';
      return line(`${m.source}${gguf}: ${i.kind}, model_type ${i.model_type}` + (i.kind === 'rope'
        ? `, rope_type ${i.rope_type}, rope_theta ${fmt(i.rope_theta)}, head_dim ${i.head_dim}, rotary_dim ${i.rotary_dim},`
          + ` ${t('model.original')} ${m.original_context}, ${t('model.extended')} ${m.extended_context},`
          + ` attention_scaling ${m.attention_scaling}` : '') + (i.warnings.length ? ' — ' + i.warnings.join('; ') : ''),
      { class: 'model-summary', 'data-source': m.source });
    });
    const header = ['model', 'pair', 'inv_freq', 'unscaled inv_freq', 'wavelength', 'band'];
    const rows = models.flatMap((m) => m.pairs.map((p) => [m.source, p.pair, p.inv_freq, p.unscaled_inv_freq,
      p.wavelength === null ? 'inf' : p.wavelength.toFixed(1), p.band]));
    const other = models.filter((m) => !m.pairs.length)
      .map((m) => line(`${m.source}: ` + JSON.stringify(m.inspect), { class: 'inspect-json' }));
    return {
      svg: s, data: models.length === 1 ? models[0] : models, rows: [header, ...rows],
      summary: [...summary, ...other, ...(audited ? audit(audited) : []),
        line(fill(t('model.ggufNote'), { max: limits.max_gguf_upload_bytes / 2 ** 20 }), { class: 'gguf-note' })],
      table: table([header, ...rows], (i, j) => (j === 5 ? 'band-' + rows[i][5] : null)),
    };
  },
};

/** The conversion audit of a GGUF answer: its differing pairs as a table, then what the file cannot carry. */
function audit(m) {
  const a = m.inspect.audit;
  const out = [line(fill(t('model.audit'), { gguf: m.source, nctx: m.n_ctx, hf: a.against }),
    { class: 'audit-title' })];
  if (a.differences.length) {
    const rows = [['pair', 'kind', 'hf_seq_len', 'llama.cpp vs Hugging Face'],
      ...a.differences.map((d) => [d.pair, d.kind, d.hf_seq_len, d.message])];
    const tbl = table(rows, (i, j) => (j === 3 ? 'audit-message' : null));
    tbl.id = 'audit';
    out.push(tbl);
  } else {
    out.push(line(t('model.auditAgree'), { id: 'audit-agree' }));
  }
  for (const l of a.not_carried) out.push(line(t('model.notCarried') + ': ' + l, { class: 'audit-not-carried' }));
  for (const n of a.notes) out.push(line(t('model.note') + ': ' + n, { class: 'audit-note' }));
  return out;
}

/** Wavelength per pair on a log axis, coloured by band, with the original and extended contexts as lines. */
function bands(models, differs) {
  const width = 960;
  const height = 360;
  const m = { left: 76, right: 20, top: 30, bottom: 44 };
  const s = svg(width, height);
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const waves = models.flatMap((x) => x.pairs.map((p) => p.wavelength).filter((w) => w !== null));
  const contexts = models.flatMap((x) => [x.original_context, x.extended_context, x.n_ctx ?? x.original_context]);
  const lo = Math.floor(Math.log10(Math.min(...waves)));
  const hi = Math.ceil(Math.log10(Math.max(...waves, ...contexts)));
  const maxPairs = Math.max(...models.map((x) => x.pairs.length));
  const X = (i) => m.left + (i + 0.5) / maxPairs * pw;
  const Y = (w) => m.top + (hi - Math.log10(w)) / (hi - lo) * ph;
  s.append(text(m.left, 18, t('model.wavelength') + ' — ' + models.map((x, k) => x.source + (models.length > 1
    ? (k === 0 ? ' (●)' : ' (■)') : '')).join(' vs '),
    { 'font-size': 14, 'font-weight': 600 }));
  for (let e = lo; e <= hi; e++) {
    s.append(el('line', { x1: m.left, x2: m.left + pw, y1: Y(10 ** e), y2: Y(10 ** e), stroke: '#e5e8ee' }));
    s.append(text(m.left - 6, Y(10 ** e) + 4, '1e' + e, { 'text-anchor': 'end', 'font-size': 11 }));
  }
  const column = pw / maxPairs;
  for (const p of differs) {
    s.append(el('rect', { x: X(p) - column / 2, y: m.top, width: column, height: ph, fill: AUDIT_COLOUR,
      'fill-opacity': 0.12, class: 'audit-differs', 'data-pair': p }));
  }
  s.append(el('rect', { x: m.left, y: m.top, width: pw, height: ph, fill: 'none', stroke: '#8b95a5' }));
  models.forEach((x, k) => {
    const dash = k === 0 ? undefined : '6 4';
    const named = [[x.original_context, t('model.original')], [x.extended_context, t('model.extended')]];
    if (x.n_ctx !== undefined) named.push([x.n_ctx, t('model.nctx')]);
    const lines = new Map();   // one line per context length, naming every context of that length
    for (const [ctx, name] of named) lines.set(ctx, [...(lines.get(ctx) || []), name]);
    for (const [ctx, names] of lines) {
      const name = names.join(' = ');
      s.append(el('line', { x1: m.left, x2: m.left + pw, y1: Y(ctx), y2: Y(ctx), stroke: COLOURS[4 + k],
        'stroke-dasharray': dash || '3 3', class: 'context', 'data-context': ctx }));
      s.append(text(k === 0 ? m.left + 4 : m.left + pw - 4, Y(ctx) + (k === 0 ? -4 : 12),
        `${name} ${ctx}` + (models.length > 1 ? ` (${x.source})` : ''),
        { fill: COLOURS[4 + k], 'font-size': 11, 'text-anchor': k === 0 ? 'start' : 'end' }));
    }
    x.pairs.forEach((p) => {
      const w = p.wavelength === null ? 10 ** hi : p.wavelength;
      const attrs = { class: 'pair', 'data-model': x.source, 'data-pair': p.pair, 'data-band': p.band,
        'data-inv-freq': p.inv_freq, fill: BAND_COLOURS[p.band] };
      if (k === 0) s.append(el('circle', { cx: X(p.pair), cy: Y(w), r: 4, ...attrs }));
      else s.append(el('rect', { x: X(p.pair) - 4, y: Y(w) - 4, width: 8, height: 8, ...attrs, 'fill-opacity': 0.6 }));
    });
  });
  let lx = m.left + pw - 330 - (differs.size ? 190 : 0);
  for (const [band, c] of Object.entries(BAND_COLOURS)) {
    s.append(el('circle', { cx: lx, cy: m.top + 14, r: 5, fill: c }));
    s.append(text(lx + 9, m.top + 18, t('band.' + band), { 'font-size': 12 }));
    lx += 100;
  }
  if (differs.size) {
    s.append(el('rect', { x: lx - 5, y: m.top + 8, width: 12, height: 12, fill: AUDIT_COLOUR, 'fill-opacity': 0.25 }));
    s.append(text(lx + 11, m.top + 18, t('model.auditLegend'), { 'font-size': 12 }));
  }
  const step = maxPairs > 40 ? 8 : maxPairs > 16 ? 4 : 1;
  for (let i = 0; i < maxPairs; i += step) {
    s.append(el('line', { x1: X(i), x2: X(i), y1: m.top + ph, y2: m.top + ph + 4, stroke: '#8b95a5' }));
    s.append(text(X(i), m.top + ph + 16, i, { 'text-anchor': 'middle', 'font-size': 11 }));
  }
  s.append(text(m.left + pw / 2, height - 8, t('model.pair'), { 'text-anchor': 'middle' }));
  s.append(text(16, m.top + ph / 2, t('model.wavelengthAxis'),
    { 'text-anchor': 'middle', transform: `rotate(-90 16 ${m.top + ph / 2})` }));
  return s;
}
