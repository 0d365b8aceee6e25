// Shuffle demo: tokens to drag or shuffle; /api/shuffle runs posenc's attention with no encoding and with one.
import { api, update } from '../app.js';
import { t } from '../i18n.js';
import { el, svg, text, colour, fmt } from '../draw.js';
import { select, field, line } from './common.js';

const ENCODINGS = ['rope', 'sinusoidal', 'learned', 'alibi', 't5', 'none'];
const ENCODING_NAMES = { rope: 'RoPE', sinusoidal: 'sinusoidal (Vaswani et al.)', learned: 'learned absolute',
  alibi: 'ALiBi', t5: 'T5 buckets', none: 'none' };

/** The distance in float32 ulps, shown while it is a rounding-sized one. */
function ulps(b) {
  return b.max_ulps < 1000 ? ` (${b.max_ulps} ulp)` : '';
}

function order() {
  const s = window.explore.state;
  const n = s.tokens.split(',').length;
  const o = s.order ? s.order.split(',').map(Number) : [];
  return o.length === n ? o : [...Array(n).keys()];
}

function move(from, to) {
  const o = order();
  const [x] = o.splice(from, 1);
  o.splice(to, 0, x);
  update({ order: o.join(',') });
}

function shuffled() {
  const o = order();
  // Deterministic next permutation (the page computes no numbers, and tests need repeatable moves).
  let i = o.length - 2;
  while (i >= 0 && o[i] >= o[i + 1]) i--;
  if (i < 0) return o.reverse();
  let j = o.length - 1;
  while (o[j] <= o[i]) j--;
  [o[i], o[j]] = [o[j], o[i]];
  return [...o.slice(0, i + 1), ...o.slice(i + 1).reverse()];
}

function tokensControl() {
  const box = document.createElement('div');
  box.className = 'tokens';
  box.setAttribute('role', 'list');
  const words = window.explore.state.tokens.split(',');
  order().forEach((tok, pos) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'token';
    b.textContent = words[tok];
    b.dataset.position = pos;
    b.setAttribute('role', 'listitem');
    b.setAttribute('aria-label', `${words[tok]}, position ${pos}`);
    b.addEventListener('keydown', (e) => {
      const to = e.key === 'ArrowLeft' ? pos - 1 : e.key === 'ArrowRight' ? pos + 1 : -1;
      if (to >= 0 && to < words.length) {
        move(pos, to);
        e.preventDefault();
        e.stopPropagation();
        refreshTokens(to);
      }
    });
    b.addEventListener('pointerdown', (e) => {
      b.classList.add('dragging');
      b.setPointerCapture(e.pointerId);
    });
    b.addEventListener('pointerup', (e) => {
      b.classList.remove('dragging');
      const target = [...box.children].findIndex((c) => {
        const r = c.getBoundingClientRect();
        return e.clientX >= r.left && e.clientX <= r.right;
      });
      if (target >= 0 && target !== pos) {
        move(pos, target);
        refreshTokens(target);
      }
    });
    box.append(b);
  });
  return box;
}

function refreshTokens(focus) {
  const old = document.querySelector('.tokens');
  const fresh = tokensControl();
  old.replaceWith(fresh);
  if (focus !== undefined) fresh.children[focus].focus();
}

export default {
  id: 'shuffle',
  defaults: { tokens: '我,爱,你', order: '0,1,2', encoding: 'rope' },
  rebuildOn: ['tokens'],
  definitions: ['equivariance'],
  controls: () => [
    field('tokens', 'ctl.tokens'),
    select('encoding', 'ctl.encoding', ENCODINGS, (e) => ENCODING_NAMES[e]),
    { key: 'shuffle', type: 'button', text: 'ctl.shuffle', onClick: () => {
      update({ order: shuffled().join(',') });
      refreshTokens();
    } },
    { key: 'reset', type: 'button', text: 'ctl.reset', onClick: () => {
      update({ order: [...order().keys()].join(',') });
      refreshTokens();
    } },
    { key: 'tokens-box', type: 'custom', element: tokensControl },
  ],
  key(e) {
    if (e.key === 's') document.getElementById('ctl-shuffle').click();
    if (e.key === 'r') document.getElementById('ctl-reset').click();
  },
  async render(state) {
    const r = await api('shuffle', { tokens: state.tokens, order: order().join(','), encoding: state.encoding });
    const blocks = [[t('shuffle.none'), r.none], [`${t('shuffle.with')} ${ENCODING_NAMES[r.encoded.encoding]}`, r.encoded]];
    const cell = 22;
    const n = r.shuffled.length;
    const dim = r.none.outputs[0].length;
    const blockW = 90 + dim * cell;
    const s = svg(2 * blockW + 60, 70 + 2 * n * (cell + 4) + 40);
    const abs = Math.max(...[r.none, r.encoded].flatMap((b) => [...b.outputs, ...b.unshuffled].flat().map(Math.abs)));
    blocks.forEach(([title, b], k) => {
      const x0 = 20 + k * (blockW + 30);
      s.append(text(x0, 20, title, { 'font-size': 14, 'font-weight': 600 }));
      s.append(text(x0, 38, `${t('equivariance.term')}: ${fmt(b.max_abs_difference, 3)}${ulps(b)}`,
        { 'font-size': 12, class: 'difference', 'data-encoding': b.encoding, 'data-value': b.max_abs_difference,
          'data-ulps': b.max_ulps, fill: b.max_ulps <= 4 ? '#166534' : '#b42318' }));
      const rows = [['outputs', b.outputs, r.shuffled], ['unshuffled', b.unshuffled, r.tokens]];
      rows.forEach(([kind, matrix, words], part) => {
        const y0 = 56 + part * (n * (cell + 4) + 24);
        s.append(text(x0, y0 - 4, t(kind === 'outputs' ? 'shuffle.shuffledOrder' : 'shuffle.originalOrder'),
          { 'font-size': 11, fill: '#5b6574' }));
        matrix.forEach((row, i) => {
          s.append(text(x0 + 60, y0 + i * (cell + 4) + cell * 0.7, words[i], { 'text-anchor': 'end', 'font-size': 14 }));
          const g = el('g', { class: 'output-row', 'data-kind': kind, 'data-encoding': b.encoding, 'data-position': i,
            'data-token': words[i], 'data-values': row.join(' ') });
          row.forEach((v, c) => g.append(el('rect', { x: x0 + 70 + c * cell, y: y0 + i * (cell + 4), width: cell - 2,
            height: cell, fill: colour(0.5 + v / (2 * abs), true) })));
          s.append(g);
        });
      });
    });
    const csv = [['encoding', 'order', 'position', 'token', ...Array.from({ length: dim }, (_, c) => 'c' + c)],
      ...blocks.flatMap(([, b]) => [
        ...b.outputs.map((row, i) => [b.encoding, 'shuffled', i, r.shuffled[i], ...row]),
        ...b.unshuffled.map((row, i) => [b.encoding, 'original', i, r.tokens[i], ...row])])];
    return {
      svg: s, data: r, rows: csv,
      summary: [line(`${r.shuffled.join(' ')} — ${t('shuffle.diff')}: ${t('shuffle.none')} ${fmt(r.none.max_abs_difference, 3)}`
        + `${ulps(r.none)}, ${r.encoded.encoding} ${fmt(r.encoded.max_abs_difference, 3)}${ulps(r.encoded)}`)],
    };
  },
};
