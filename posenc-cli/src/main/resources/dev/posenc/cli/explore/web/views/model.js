// A real model: /api/model for a bundled config or an uploaded config.json, optionally against a second one (A/B).
import { api, update, rebuildControls } from '../app.js';
import { t } from '../i18n.js';
import { el, svg, text, fmt, table, COLOURS } from '../draw.js';
import { select, line } from './common.js';

const BAND_COLOURS = { kept: '#16a34a', blended: '#d97706', interpolated: '#2563eb' };
let bundled = [];
let uploads = {};   // file name -> bytes of an uploaded config (kept in this page only)

async function load(name, seqLen) {
  if (name.startsWith('upload:')) {
    const file = name.slice('upload:'.length);
    if (!uploads[file]) throw new Error(file + ': load it again (uploads are not kept in the URL)');
    return api('model', { name: file, seq_len: seqLen }, uploads[file]);
  }
  return api('model', { name, seq_len: seqLen });
}

function uploadControl() {
  const label = document.createElement('label');
  const span = document.createElement('span');
  span.textContent = t('ctl.upload');
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'upload';
  input.accept = '.json,application/json';
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    uploads[file.name] = new Uint8Array(await file.arrayBuffer());
    update({ model: 'upload:' + file.name });
    rebuildControls();
  });
  label.append(span, input);
  return label;
}

export default {
  id: 'model',
  defaults: { model: 'llama-3.1-8b.json', compare: '', seq_len: '0' },
  definitions: ['band'],
  controls: () => {
    const names = [...bundled, ...Object.keys(uploads).map((f) => 'upload:' + f)];
    const label = (n) => (n.startsWith('upload:') ? n.slice(7) + ' (' + t('model.uploaded') + ')' : n || t('none'));
    return [
      select('model', 'ctl.model', names.length ? names : [window.explore.state.model], label),
      select('compare', 'ctl.compare', ['', ...names], label),
      { key: 'seq_len', label: 'ctl.seqlen', type: 'range', min: 0, max: 262144, step: 1024 },
      { key: 'upload', type: 'custom', element: uploadControl },
    ];
  },
  async prepare() {
    if (!bundled.length) bundled = (await api('models', {})).bundled;
  },
  async render(state) {
    const models = [await load(state.model, state.seq_len)];
    if (state.compare) models.push(await load(state.compare, state.seq_len));
    const rope = models.filter((m) => m.pairs.length);
    const s = rope.length ? bands(rope) : svg(10, 10);
    const summary = models.map((m) => {
      const i = m.inspect;
      return line(`${m.source}: ${i.kind}, model_type ${i.model_type}` + (i.kind === 'rope'
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
      summary: [...summary, ...other],
      table: table([header, ...rows], (i, j) => (j === 5 ? 'band-' + rows[i][5] : null)),
    };
  },
};

/** Wavelength per pair on a log axis, coloured by band, with the original and extended contexts as lines. */
function bands(models) {
  const width = 960;
  const height = 360;
  const m = { left: 76, right: 20, top: 30, bottom: 44 };
  const s = svg(width, height);
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const waves = models.flatMap((x) => x.pairs.map((p) => p.wavelength).filter((w) => w !== null));
  const contexts = models.flatMap((x) => [x.original_context, x.extended_context]);
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
  s.append(el('rect', { x: m.left, y: m.top, width: pw, height: ph, fill: 'none', stroke: '#8b95a5' }));
  models.forEach((x, k) => {
    const dash = k === 0 ? undefined : '6 4';
    for (const [ctx, name] of [[x.original_context, t('model.original')], [x.extended_context, t('model.extended')]]) {
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
  let lx = m.left + pw - 330;
  for (const [band, c] of Object.entries(BAND_COLOURS)) {
    s.append(el('circle', { cx: lx, cy: m.top + 14, r: 5, fill: c }));
    s.append(text(lx + 9, m.top + 18, t('band.' + band), { 'font-size': 12 }));
    lx += 100;
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
