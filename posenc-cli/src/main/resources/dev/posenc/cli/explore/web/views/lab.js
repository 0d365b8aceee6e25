// The lab's results (posenc lab's lab.json and plots), from /api/lab: the ranking and the extrapolation drawn
// from its numbers, then the lab's own plots.
import { api } from '../app.js';
import { t } from '../i18n.js';
import { el, svg, text, fmt, lineChart, COLOURS } from '../draw.js';
import { line } from './common.js';

function ranking(r) {
  const results = [...r.results].sort((a, b) => a.mean - b.mean);
  const width = 960;
  const rowH = 22;
  const m = { left: 190, right: 120, top: 34 };
  const s = svg(width, m.top + results.length * rowH + 30);
  s.append(text(16, 20, `${t('lab.ranking')} (train_len ${r.train_len}, ${r.seeds} ${t('lab.runs')})`,
    { 'font-size': 14, 'font-weight': 600 }));
  const max = Math.max(...results.map((x) => x.mean + x.std));
  const X = (v) => m.left + v / max * (width - m.left - m.right);
  results.forEach((x, i) => {
    const y = m.top + i * rowH;
    s.append(text(m.left - 8, y + 15, x.encoding, { 'text-anchor': 'end' }));
    s.append(el('rect', { x: m.left, y: y + 3, width: X(x.mean) - m.left, height: rowH - 6, fill: COLOURS[0],
      class: 'rank', 'data-encoding': x.encoding, 'data-mean': x.mean }));
    s.append(el('line', { x1: X(x.mean - x.std), x2: X(x.mean + x.std), y1: y + rowH / 2, y2: y + rowH / 2,
      stroke: '#1d2430', 'stroke-width': 1.5 }));
    s.append(text(X(x.mean + x.std) + 6, y + 15, `${fmt(x.mean, 4)} ± ${fmt(x.std, 2)}`, { 'font-size': 11 }));
  });
  return s;
}

export default {
  id: 'lab',
  defaults: {},
  definitions: ['lab'],
  controls: () => [],
  async render() {
    const r = await api('lab', {});
    if (!r.available) {
      const s = svg(960, 60);
      s.append(text(16, 34, `${t('lab.none')} (${r.dir})`, { 'font-size': 14 }));
      return { svg: s, data: r, rows: [['available'], [false]], summary: [] };
    }
    const e = r.experiments;
    const s = svg(960, 10);
    const parts = [];
    if (e.ranking) parts.push(ranking(e.ranking));
    if (e.extrapolation) {
      const x = e.extrapolation;
      parts.push(lineChart({
        title: `${t('lab.extrapolation')} (train_len ${x.train_len})`, width: 960, height: 320,
        x: { label: t('lab.evallen'), log: true }, y: { label: t('lab.ppl') },
        series: x.results.map((res, i) => ({ label: res.encoding, x: x.eval_lens, y: res.ppl,
          colour: COLOURS[i % COLOURS.length], attrs: { class: 'extrapolation', 'data-encoding': res.encoding } })),
        markers: [{ x: x.train_len, colour: '#475569', label: `train_len ${x.train_len}`, top: true,
          attrs: { class: 'train' } }], legend: 'below',
      }));
    }
    let y = 0;
    for (const p of parts) {
      const h = Number(p.getAttribute('height'));
      p.setAttribute('y', y);
      s.append(p);
      y += h + 10;
    }
    s.setAttribute('height', y);
    s.setAttribute('viewBox', `0 0 960 ${y}`);
    const images = document.createElement('div');
    for (const plot of r.plots) {
      const figure = document.createElement('figure');
      figure.className = 'lab-figure';
      const img = document.createElement('img');
      img.src = plot.png;
      img.alt = plot.name;
      img.className = 'lab-plot';
      const caption = document.createElement('figcaption');
      caption.textContent = `${t('lab.plot')} plots/${plot.name}`;
      figure.append(img, caption);
      images.append(figure);
    }
    const rows = [['experiment', 'encoding', 'value'],
      ...(e.ranking ? e.ranking.results.map((x) => ['ranking val_ppl mean', x.encoding, x.mean]) : []),
      ...(e.extrapolation ? e.extrapolation.results.flatMap((x) => x.ppl.map((v, i) =>
        [`extrapolation ppl at ${e.extrapolation.eval_lens[i]}`, x.encoding, v])) : [])];
    return {
      svg: s, data: r, rows,
      summary: [line(`${t('lab.dir')}: ${r.dir} — lab.json: ${Object.keys(e).join(', ')}. ${t('lab.drawn')}`)],
      table: images,
    };
  },
};
