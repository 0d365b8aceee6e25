// RoPE clock: one dial per pair, hands = the rotated query and key pairs from /api/rope/clock.
import { api, update } from '../app.js';
import { t } from '../i18n.js';
import { el, svg, text, fmt, table, COLOURS } from '../draw.js';
import { logSlider, range, select, line } from './common.js';

let playing = null;

/** Plays m forward (0 to 1000, then around), one step per PLAY_MS, until paused or another view is opened. */
const PLAY_MS = 250;

function togglePlay() {
  if (playing) {
    clearInterval(playing);
    playing = null;
  } else {
    playing = setInterval(() => {
      if (window.explore.state.view !== 'clock') {
        clearInterval(playing);
        playing = null;
        return;
      }
      update({ m: String((Number(window.explore.state.m) + 1) % 1001) });
    }, PLAY_MS);
  }
  const button = document.getElementById('ctl-play');
  if (button) button.textContent = t(playing ? 'ctl.pause' : 'ctl.play');
}

export default {
  id: 'clock',
  defaults: { d: '8', base: '10000', m: '3', n: '0' },
  definitions: ['score'],
  controls: () => [
    select('d', 'ctl.d', ['2', '4', '8', '16', '32', '64', '128']),
    logSlider('base', 'ctl.base', 2, 8),
    range('m', 'ctl.m', 0, 1000),
    range('n', 'ctl.n', 0, 1000),
    { key: 'play', type: 'button', text: playing ? 'ctl.pause' : 'ctl.play', onClick: togglePlay },
  ],
  key(e) {
    if (e.key === ' ' && !e.target.matches('button')) {
      togglePlay();
      e.preventDefault();
    }
  },
  async render(state) {
    const r = await api('rope/clock', state);
    const pairs = r.pairs;
    const cols = Math.min(8, pairs.length);
    const cell = pairs.length > 16 ? 92 : 132;
    const rad = cell * 0.36;
    const rows = Math.ceil(pairs.length / cols);
    const s = svg(cols * cell + 20, rows * (cell + 30) + 10);
    const scale = Math.max(...pairs.flatMap((p) => [Math.hypot(...p.q_rotated), Math.hypot(...p.k_rotated)]));
    pairs.forEach((p, i) => {
      const cx = 10 + (i % cols) * cell + cell / 2;
      const cy = 10 + Math.floor(i / cols) * (cell + 30) + cell / 2;
      const g = el('g', { class: 'dial', 'data-pair': p.pair, 'data-angle-diff': p.angle_diff,
        'data-score-part': p.score_part });
      g.append(el('circle', { cx, cy, r: rad, fill: '#f8fafc', stroke: '#94a3b8' }));
      g.append(el('line', { x1: cx - rad, x2: cx + rad, y1: cy, y2: cy, stroke: '#e2e8f0' }));
      const hand = (v, colour, cls) => el('line', { class: cls, x1: cx, y1: cy,
        x2: cx + v[0] / scale * rad, y2: cy - v[1] / scale * rad, stroke: colour, 'stroke-width': 3,
        'stroke-linecap': 'round', 'data-x': v[0], 'data-y': v[1] });
      g.append(hand(p.k_rotated, COLOURS[1], 'hand-k'), hand(p.q_rotated, COLOURS[0], 'hand-q'));
      g.append(el('circle', { cx, cy, r: 2.5, fill: '#1d2430' }));
      g.append(text(cx, cy + rad + 14, `${t('clock.dial')} ${p.pair}: θ=${fmt(p.theta, 4)}`,
        { 'text-anchor': 'middle', 'font-size': 10.5 }));
      g.append(text(cx, cy + rad + 27, `(m−n)θ=${fmt(p.angle_diff, 4)}`, { 'text-anchor': 'middle',
        'font-size': 10.5, fill: '#5b6574' }));
      s.append(g);
    });
    const header = [t('clock.dial'), 'θᵢ', 'q', 'mθᵢ', 'Rₘq', 'k', 'nθᵢ', 'Rₙk', '(m−n)θᵢ', t('clock.share')];
    const pair = (v) => `[${v[0].toFixed(3)}, ${v[1].toFixed(3)}]`;
    const rowsOut = pairs.map((p) => [p.pair, fmt(p.theta), pair(p.q), fmt(p.angle_m), pair(p.q_rotated), pair(p.k),
      fmt(p.angle_n), pair(p.k_rotated), fmt(p.angle_diff), p.score_part.toFixed(6)]);
    const csv = [['pair', 'theta', 'q0', 'q1', 'angle_m', 'q_rot0', 'q_rot1', 'k0', 'k1', 'angle_n', 'k_rot0', 'k_rot1',
      'angle_diff', 'score_part'], ...pairs.map((p) => [p.pair, p.theta, ...p.q, p.angle_m, ...p.q_rotated, ...p.k,
      p.angle_n, ...p.k_rotated, p.angle_diff, p.score_part])];
    return {
      svg: s, data: r, rows: csv,
      summary: [
        line(`${t('clock.score')} = ${r.score.toFixed(6)}`, { id: 'score', 'data-value': r.score }),
        line(`${t('clock.relative')} = ${r.score_relative.toFixed(6)}`, { 'data-value': r.score_relative }),
        line(`${t('clock.norm')} = ${r.norm_q.toFixed(8)} / ${r.norm_q_rotated.toFixed(8)}`),
      ],
      table: table([header, ...rowsOut]),
    };
  },
};
