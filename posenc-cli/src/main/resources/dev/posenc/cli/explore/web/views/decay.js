// Long-range decay: curves from /api/rope/decay, one per base, for the chosen metric; first zeros marked.
import { api } from '../app.js';
import { t } from '../i18n.js';
import { lineChart, fmt, COLOURS } from '../draw.js';
import { logSlider, select, field, line } from './common.js';

const METRICS = ['bound', 'random', 'fitted'];

export default {
  id: 'decay',
  defaults: { d: '128', bases: '500000,8000000', max: '131072', scale: 'log', metric: 'fitted', train: '8192' },
  definitions: ['bound', 'random', 'fitted', 'firstzero'],
  controls: () => [
    select('d', 'ctl.d', ['16', '32', '64', '128', '256']),
    field('bases', 'ctl.bases'),
    { ...logSlider('last', 'ctl.addbase', 2, 8), toInput: () => Math.log10(lastBase()),
      format: () => fmt(lastBase()), changes: (v) => ({ bases: withLastBase(v) }) },
    select('max', 'ctl.max', ['1024', '4096', '16384', '32768', '65536', '131072']),
    select('scale', 'ctl.scale', ['log', 'linear']),
    select('metric', 'ctl.metric', METRICS, (m) => t('metric.' + m)),
    select('train', 'ctl.train', ['1024', '2048', '4096', '8192', '16384']),
  ],
  async render(state) {
    const { metric, ...params } = state;
    const r = await api('rope/decay', params);
    const series = r.curves.map((c, i) => ({
      label: `base ${fmt(c.base)}` + (metric === 'fitted' && i === 0 ? ` (fitted, ${r.train})` : ''),
      x: r.distances, y: c[metric], colour: COLOURS[i], attrs: { 'data-base': c.base, class: 'curve' },
    }));
    const markers = r.curves.map((c, i) => ({
      x: c.first_zero[metric], colour: COLOURS[i], row: i,
      label: c.first_zero[metric] === null ? null : `${t('decay.firstzero')} ${c.first_zero[metric]}`,
      attrs: { class: 'first-zero', 'data-base': c.base, 'data-first-zero': c.first_zero[metric] },
    }));
    if (metric === 'fitted') {
      markers.push({ x: r.train, colour: '#475569', row: r.curves.length, label: `${t('ctl.context')} ${r.train}`,
        attrs: { class: 'train' } });
    }
    const svg = lineChart({
      title: `${t('metric.' + metric)} — d = ${r.d}`,
      x: { label: t('decay.distance') + (r.scale === 'log' ? ' (log)' : ''), log: r.scale === 'log' },
      y: { label: t('metric.' + metric) },
      series, markers, zeroLine: true,
    });
    const rows = [['distance', ...r.curves.flatMap((c) => METRICS.map((m) => `${m} base ${c.base}`))],
      ...r.distances.map((d, j) => [d, ...r.curves.flatMap((c) => METRICS.map((m) => c[m][j]))])];
    return {
      svg, data: r, rows,
      summary: r.curves.map((c) => line(`base ${fmt(c.base)}: ` + METRICS.map((m) => `${t('metric.' + m)} `
        + `${t('decay.firstzero')} ${c.first_zero[m] ?? '—'}`).join(' · '))),
    };
  },
};

function bases() {
  return window.explore.state.bases.split(',');
}

function lastBase() {
  const b = bases();
  return Number(b[b.length - 1]) || 1e4;
}

function withLastBase(v) {
  const b = bases();
  b[b.length - 1] = v;
  return b.join(',');
}
