// Context extension: /api/extension's methods (PI, NTK-aware, dynamic NTK, YaRN, Llama 3, and LongRoPE with a
// bundled model's searched factors) at one factor.
import { api } from '../app.js';
import { t } from '../i18n.js';
import { lineChart, fmt, el, COLOURS } from '../draw.js';
import { logSlider, select, line } from './common.js';

let longropeConfigs = [];

/** t(key) with {name} placeholders filled in. */
function filled(key, values) {
  return t(key).replace(/\{(\w+)\}/g, (_, k) => values[k]);
}

export default {
  id: 'extension',
  defaults: { d: '96', base: '10000', context: '4096', factor: '4', longrope: 'phi-3.5-mini-instruct.json',
    show: 'score' },
  definitions: ['ratio', 'fitted'],
  controls: () => [
    select('d', 'ctl.d', ['32', '64', '96', '128']),
    logSlider('base', 'ctl.base', 2, 8),
    select('context', 'ctl.context', ['1024', '2048', '4096', '8192']),
    { key: 'factor', label: 'ctl.factor', type: 'range', min: 1, max: 32, step: 0.5 },
    select('longrope', 'ctl.longrope', [...longropeConfigs, 'none'], (c) => (c === 'none' ? t('none') : c)),
    select('show', 'ctl.show', ['score', 'ratio'], (s) => t(s === 'score' ? 'extension.score' : 'extension.ratio')),
  ],
  async prepare() {
    if (!longropeConfigs.length) longropeConfigs = (await api('models', {})).longrope;
  },
  async render(state) {
    const { show, ...params } = state;
    const r = await api('extension', params);
    const series = r.methods.map((m, i) => ({
      label: m.label, colour: i === 0 ? '#111827' : COLOURS[(i - 1) % COLOURS.length], dash: i === 0 ? '5 3' : undefined,
      x: show === 'score' ? r.distances : m.ratio.map((_, j) => j), y: show === 'score' ? m.score : m.ratio,
      attrs: { class: 'method', 'data-label': m.label, 'data-values': (show === 'score' ? m.score : m.ratio).join(' ') },
    }));
    const s = lineChart(show === 'score' ? {
      title: `${t('extension.score')} — d = ${r.d}, base ${fmt(r.base)}, ${t('ctl.factor')} ${r.factor}`,
      x: { label: t('decay.distance') }, y: { label: t('extension.score') }, series, zeroLine: true, legend: 'below',
      markers: [{ x: r.context, colour: '#475569', label: `${t('ctl.context')} ${r.context}`, attrs: { class: 'train' } }],
    } : {
      title: `${t('extension.ratio')} — d = ${r.d}, ${t('ctl.factor')} ${r.factor}`,
      x: { label: t('model.pair') }, y: { label: t('extension.ratio'), min: 0, max: 1.05 }, series, legend: 'below',
    });
    s.append(el('desc', {}, 'posenc explore: context extension'));
    const rows = show === 'score'
      ? [['distance', ...r.methods.map((m) => m.label)], ...r.distances.map((d, j) => [d, ...r.methods.map((m) => m.score[j])])]
      : [['pair', ...r.methods.map((m) => m.label)], ...r.methods[0].ratio.map((_, j) => [j, ...r.methods.map((m) => m.ratio[j])])];
    const lr = r.longrope;
    const note = lr.config === 'none' ? []
      : [line(`${t('extension.longrope')} (${lr.config}): ` + (lr.added ? filled('extension.searched', {
        h: lr.head_dim, b: fmt(lr.rope_theta), o: lr.original_context, e: lr.extended_context, f: fmt(lr.factor),
        n: r.seq_len, u: lr.factors_used }) : `${t('extension.notAdded')} ${lr.reason}`), { class: 'longrope-note' })];
    return {
      svg: s, data: r, rows,
      summary: [...r.methods.map((m) => line(`${m.label}: attention_scaling ${m.attention_scaling}`)), ...note],
    };
  },
};
