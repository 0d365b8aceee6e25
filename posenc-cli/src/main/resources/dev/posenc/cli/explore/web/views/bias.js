// Relative biases: /api/bias matrices over query × key as heatmaps, ALiBi's slopes per head; FIRE's MLP input and
// bias, Transformer-XL's two position terms side by side.
import { api } from '../app.js';
import { t } from '../i18n.js';
import { heatmap, sideBySide, fmt, el, text } from '../draw.js';
import { select, range, logSlider, line } from './common.js';

const KINDS = ['alibi', 't5', 'deberta', 'shaw', 'kerple', 'fire', 'transformer-xl'];
const NAMES = { alibi: 'ALiBi', t5: 'T5', deberta: 'DeBERTa', shaw: 'Shaw et al.', kerple: 'KERPLE', fire: 'FIRE',
  'transformer-xl': 'Transformer-XL' };
/** The parameters each kind sends to /api/bias besides kind and size. */
const PARAMS = { alibi: ['heads', 'style', 'head'], t5: ['buckets', 'max_distance', 'causal'],
  deberta: ['buckets', 'max_relative_positions'], shaw: ['clip'], kerple: ['kernel', 'r1', 'r2'],
  fire: ['heads', 'head', 'c', 'threshold'], 'transformer-xl': ['d_model', 'head_dim'] };

const cells = (panel) => (i, j, v) => ({ 'data-panel': panel, 'data-i': i, 'data-j': j, 'data-v': v });

export default {
  id: 'bias',
  defaults: { kind: 'alibi', size: '32', heads: '8', style: 'paper', head: '0', buckets: '32', max_distance: '128',
    causal: 'false', max_relative_positions: '512', clip: '4', kernel: 'log', r1: '1', r2: '1', c: '0.1',
    threshold: '512', d_model: '64', head_dim: '16' },
  rebuildOn: ['kind', 'heads'],
  definitions: ['bucket'],
  controls: () => {
    const kind = window.explore.state.kind;
    const common = [select('kind', 'ctl.kind', KINDS, (k) => NAMES[k]), range('size', 'ctl.size', 4, 96)];
    const head = range('head', 'ctl.head', 0, Number(window.explore.state.heads) - 1);
    if (kind === 'alibi') {
      return [...common, range('heads', 'ctl.heads', 1, 64),
        select('style', 'ctl.style', ['paper', 'bloom', 'falcon', 'mpt']), head];
    }
    if (kind === 't5') {
      return [...common, range('buckets', 'ctl.buckets', 2, 64), range('max_distance', 'ctl.maxdist', 4, 256),
        select('causal', 'ctl.causal', ['false', 'true'], (c) => t(c === 'true' ? 'yes' : 'no'))];
    }
    if (kind === 'shaw') return [...common, range('clip', 'ctl.clip', 1, 32)];
    if (kind === 'kerple') {
      return [...common, select('kernel', 'ctl.kernel', ['log', 'power']), range('r1', 'r1', 0.1, 4, 0.1),
        range('r2', 'r2', 0.1, 2, 0.05)];
    }
    if (kind === 'fire') {
      return [...common, range('heads', 'ctl.heads', 1, 16), head, logSlider('c', 'ctl.fire.c', -2, 1),
        range('threshold', 'ctl.fire.L', 0, 1024, 8)];
    }
    if (kind === 'transformer-xl') {
      return [...common, select('d_model', 'ctl.xl.dmodel', ['16', '32', '64', '128']),
        select('head_dim', 'ctl.xl.headdim', ['4', '8', '16', '32', '64'])];
    }
    return [...common, range('buckets', 'ctl.buckets', 0, 512, 2),
      range('max_relative_positions', 'ctl.maxrel', 8, 1024)];
  },
  async render(state) {
    const params = { kind: state.kind, size: state.size };
    for (const k of PARAMS[state.kind]) params[k] = state[k];
    if ('head' in params && Number(params.head) >= Number(params.heads)) params.head = String(params.heads - 1);
    const r = await api('bias', params);
    const axes = { rowLabel: t('bias.query'), colLabel: t('bias.key') };
    if (r.kind === 'fire') return fire(r, axes);
    if (r.kind === 'transformer-xl') return transformerXl(r, axes);
    const title = r.kind === 'alibi' ? `ALiBi (${r.style}), ${t('ctl.head')} ${r.head}: −m_h (i − j),`
      + ` m_h = ${fmt(r.slopes[r.head])}`
      : r.kind === 't5' ? `T5: ${t('bias.bucketOf')} j − i (${r.buckets} ${t('ctl.buckets')}, max_distance`
        + ` ${r.max_distance}, ${t(r.bidirectional ? 'bias.bidirectional' : 'bias.causal')})`
        : r.kind === 'deberta'
          ? `DeBERTa: ${t('bias.bucketOf')} i − j (position_buckets ${r.buckets}, max_relative_positions`
            + ` ${r.max_relative_positions})`
          : r.kind === 'shaw' ? `Shaw: clip(j − i, −${r.clip}, ${r.clip}) — ${t('bias.shawRead')}`
            : `KERPLE (${r.kernel}): ` + (r.kernel === 'log' ? `−${r.r1} ln(1 + ${r.r2} |i − j|)`
              : `−${r.r1} |i − j|^${r.r2}`);
    const s = heatmap({ matrix: r.matrix, title, ...axes, diverging: r.kind === 'shaw', width: 620,
      cellAttrs: cells('matrix') });
    if (r.kind === 'alibi') slopes(s, r);
    return {
      svg: s, data: r, rows: matrixRows(r.matrix),
      summary: r.kind === 'alibi' ? [line(`${t('bias.slopes')}: ${r.slopes.map((m) => fmt(m, 6)).join(', ')}`)] : [],
    };
  },
};

function matrixRows(matrix, name) {
  return [[(name ? name + ': ' : '') + 'query \\ key', ...matrix[0].map((_, j) => j)],
    ...matrix.map((row, i) => [i, ...row])];
}

/** ALiBi's slopes as bars beside the matrix, the chosen head in red. */
function slopes(s, r) {
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

/** FIRE: the MLP's input (the progressively interpolated distance) and the bias it gives, causal. */
function fire(r, axes) {
  const s = sideBySide([
    heatmap({ matrix: r.normalized, title: `${t('fire.input')}: ψ(i − j) / ψ(max(i, L))`, ...axes, width: 400,
      minWidth: 520, cellAttrs: cells('normalized') }),
    heatmap({ matrix: r.matrix, title: `${t('fire.bias')} b(i, j), ${t('ctl.head')} ${r.head}`, ...axes,
      width: 400, minWidth: 520, diverging: true, cellAttrs: cells('matrix') }),
  ]);
  return {
    svg: s, data: r, rows: [...matrixRows(r.normalized, 'mlp_input'), ...matrixRows(r.matrix, 'bias')],
    summary: [line(`FIRE ${t('fire.params')}: c = ${fmt(r.c)} (init_c = ${fmt(r.init_c)}), L = ${fmt(r.threshold)}`
      + ` (|L_multiplier · init_L|; ${t('fire.atInit')} ${fmt(r.init_L)}),`
      + ` ψ(x) = ln(|c·x| + 1), ε = ${fmt(r.eps)}; MLP 1 → ${r.mlp_width} (ReLU) → ${r.heads} ${t('ctl.heads')},`
      + ` ${t('fire.init')}`, { class: 'fire-params' })],
  };
}

/** Transformer-XL: the terms (b) and (d) of Dai et al.'s decomposition, each on its own diverging scale. */
function transformerXl(r, axes) {
  const s = sideBySide([
    heatmap({ matrix: r.b, title: `(b) q_i · W_R R_(i−j) — ${t('xl.b')}`, ...axes, width: 400, minWidth: 520,
      diverging: true, cellAttrs: cells('b') }),
    heatmap({ matrix: r.d, title: `(d) v · W_R R_(i−j) — ${t('xl.d')}`, ...axes, width: 400, minWidth: 520,
      diverging: true, cellAttrs: cells('d') }),
  ]);
  return {
    svg: s, data: r, rows: [...matrixRows(r.b, 'b'), ...matrixRows(r.d, 'd')],
    summary: [line(`Transformer-XL ${t('fire.params')}: d_model = ${r.d_model} (${t('xl.sinusoid')}), head_dim =`
      + ` ${r.head_dim}; W_R (r_net) ${t('and')} v (r_r_bias) ~ N(0, ${fmt(r.init_std)}²) (${t('xl.init')});`
      + ` q_i ~ N(0, 1); ${t('xl.scale')}`, { class: 'xl-params' })],
  };
}
