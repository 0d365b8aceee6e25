// Relative biases: /api/bias matrices over query × key as heatmaps, ALiBi's slopes per head.
import { api } from '../app.js';
import { t } from '../i18n.js';
import { heatmap, fmt, el, text } from '../draw.js';
import { select, range, line } from './common.js';

export default {
  id: 'bias',
  defaults: { kind: 'alibi', size: '32', heads: '8', style: 'paper', head: '0', buckets: '32', max_distance: '128',
    causal: 'false', max_relative_positions: '512', clip: '4', kernel: 'log', r1: '1', r2: '1' },
  rebuildOn: ['kind', 'heads'],
  definitions: ['bucket'],
  controls: () => {
    const kind = window.explore.state.kind;
    const common = [select('kind', 'ctl.kind', ['alibi', 't5', 'deberta', 'shaw', 'kerple']),
      range('size', 'ctl.size', 4, 96)];
    if (kind === 'alibi') {
      return [...common, range('heads', 'ctl.heads', 1, 64), select('style', 'ctl.style', ['paper', 'bloom', 'falcon', 'mpt']),
        range('head', 'ctl.head', 0, Number(window.explore.state.heads) - 1)];
    }
    if (kind === 't5') {
      return [...common, range('buckets', 'ctl.buckets', 2, 64), range('max_distance', 'ctl.maxdist', 4, 256),
        select('causal', 'ctl.causal', ['false', 'true'])];
    }
    if (kind === 'shaw') return [...common, range('clip', 'ctl.clip', 1, 32)];
    if (kind === 'kerple') {
      return [...common, select('kernel', 'ctl.kernel', ['log', 'power']), range('r1', 'r1', 0.1, 4, 0.1),
        range('r2', 'r2', 0.1, 2, 0.05)];
    }
    return [...common, range('buckets', 'ctl.buckets', 0, 512, 2), range('max_relative_positions', 'ctl.maxrel', 8, 1024)];
  },
  async render(state) {
    const params = { kind: state.kind, size: state.size };
    const keys = { alibi: ['heads', 'style', 'head'], t5: ['buckets', 'max_distance', 'causal'],
      deberta: ['buckets', 'max_relative_positions'], shaw: ['clip'], kerple: ['kernel', 'r1', 'r2'] }[state.kind];
    for (const k of keys) params[k] = state[k];
    if (state.kind === 'alibi' && Number(params.head) >= Number(params.heads)) params.head = String(params.heads - 1);
    const r = await api('bias', params);
    const title = r.kind === 'alibi' ? `ALiBi (${r.style}), head ${r.head}: −m_h (i − j), m_h = ${fmt(r.slopes[r.head])}`
      : r.kind === 't5' ? `T5 buckets of j − i (${r.buckets} buckets, max_distance ${r.max_distance},`
        + ` ${r.bidirectional ? 'bidirectional' : 'causal'})`
        : r.kind === 'deberta'
          ? `DeBERTa buckets of i − j (position_buckets ${r.buckets}, max_relative_positions ${r.max_relative_positions})`
          : r.kind === 'shaw' ? `Shaw: clip(j − i, −${r.clip}, ${r.clip}), the relative vector each pair reads`
            : `KERPLE (${r.kernel}): ` + (r.kernel === 'log' ? `−${r.r1} ln(1 + ${r.r2} |i − j|)`
              : `−${r.r1} |i − j|^${r.r2}`);
    const s = heatmap({ matrix: r.matrix, title, rowLabel: t('bias.query'), colLabel: t('bias.key'),
      diverging: r.kind === 'shaw', width: 620, cellAttrs: (i, j, v) => ({ 'data-i': i, 'data-j': j, 'data-v': v }) });
    if (r.kind === 'alibi') {
      const x0 = Number(s.getAttribute('width')) + 10;
      const w = 260;
      s.setAttribute('width', x0 + w);
      s.setAttribute('viewBox', `0 0 ${x0 + w} ${s.getAttribute('height')}`);
      s.append(text(x0, 18, t('bias.slopes'), { 'font-size': 13, 'font-weight': 600 }));
      const max = Math.max(...r.slopes);
      const bh = Math.min(16, 300 / r.slopes.length);
      r.slopes.forEach((m, h) => {
        s.append(el('rect', { x: x0 + 28, y: 30 + h * bh, width: (w - 90) * m / max, height: bh - 2,
          fill: h === r.head ? '#dc2626' : '#2563eb', class: 'slope', 'data-head': h, 'data-slope': m }));
        if (bh >= 10) s.append(text(x0 + 24, 30 + h * bh + bh - 4, h, { 'text-anchor': 'end', 'font-size': 10 }));
        if (bh >= 10) s.append(text(x0 + 32 + (w - 90) * m / max, 30 + h * bh + bh - 4, fmt(m, 4), { 'font-size': 10 }));
      });
    }
    const rows = [['query \\ key', ...r.matrix[0].map((_, j) => j)], ...r.matrix.map((row, i) => [i, ...row])];
    return {
      svg: s, data: r, rows,
      summary: r.kind === 'alibi' ? [line(`slopes: ${r.slopes.map((m) => fmt(m, 6)).join(', ')}`)] : [],
    };
  },
};
