// RoPE clock: one dial per pair, hands = the rotated query and key pairs from /api/rope/clock.
import { api, update, busy } from '../app.js';
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
      update({ m: String((Number(window.explore.state.m) + 1) % (MAX_POSITION + 1)) });
    }, PLAY_MS);
  }
  const button = document.getElementById('ctl-play');
  if (button) button.textContent = t(playing ? 'ctl.pause' : 'ctl.play');
}

let dragSerial = 0;

/**
 * Dragging a hand's knob: every pointer move asks /api/rope/nearest for the position at which that pair of the
 * rotated query (m) or key (n) points nearest to the pointer, and sets it (stale answers are dropped).
 */
function startDrag(e, pair, hand, dial) {
  e.preventDefault();
  const box = dial.getBoundingClientRect();
  const cx = box.left + box.width / 2;
  const cy = box.top + box.height / 2;
  const move = (ev) => {
    const mine = ++dragSerial;
    const { d, base } = window.explore.state;
    busy(api('rope/nearest', { d, base, pair, hand, x: ev.clientX - cx, y: cy - ev.clientY, max: MAX_POSITION })
      .then((r) => { if (mine === dragSerial) update({ [hand === 'q' ? 'm' : 'n']: String(r.position) }); }))
      .catch((err) => {
        const shown = document.getElementById('error');
        shown.textContent = err.message;
        shown.hidden = false;
      });
  };
  const up = (ev) => {
    move(ev);
    removeEventListener('pointermove', move);
    removeEventListener('pointerup', up);
  };
  addEventListener('pointermove', move);
  addEventListener('pointerup', up);
}

/** The m and n sliders' range, and the positions a dragged hand can reach. */
const MAX_POSITION = 1000;

export default {
  id: 'clock',
  defaults: { d: '8', base: '10000', m: '3', n: '0' },
  definitions: ['score'],
  controls: () => [
    select('d', 'ctl.d', ['2', '4', '8', '16', '32', '64', '128']),
    logSlider('base', 'ctl.base', 2, 8),
    range('m', 'ctl.m', 0, MAX_POSITION),
    range('n', 'ctl.n', 0, MAX_POSITION),
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
    const cell = pairs.length > 16 ? 92 : pairs.length > 4 ? 132 : 200;
    const rad = cell * 0.36;
    const rows = Math.ceil(pairs.length / cols);
    const top = 28;
    const s = svg(Math.max(cols * cell + 20, 520), top + rows * (cell + 30) + 10);
    [[COLOURS[0], `Rₘq: ${t('clock.query')}, m = ${r.m}`], [COLOURS[1], `Rₙk: ${t('clock.key')}, n = ${r.n}`]]
      .forEach(([colour, label], i) => {
        const x = 14 + i * 250;
        s.append(el('line', { x1: x, x2: x + 22, y1: 15, y2: 15, stroke: colour, 'stroke-width': 3 }));
        s.append(text(x + 28, 19, label, { 'font-size': 12.5 }));
      });
    const scale = Math.max(...pairs.flatMap((p) => [Math.hypot(...p.q_rotated), Math.hypot(...p.k_rotated)]));
    pairs.forEach((p, i) => {
      const cx = 10 + (i % cols) * cell + cell / 2;
      const cy = top + Math.floor(i / cols) * (cell + 30) + cell / 2;
      const g = el('g', { class: 'dial', 'data-pair': p.pair, 'data-angle-diff': p.angle_diff,
        'data-score-part': p.score_part });
      const face = el('circle', { cx, cy, r: rad, fill: '#f8fafc', stroke: '#94a3b8', class: 'face' });
      g.append(face);
      g.append(el('line', { x1: cx - rad, x2: cx + rad, y1: cy, y2: cy, stroke: '#e2e8f0' }));
      const hand = (v, colour, cls) => el('line', { class: cls, x1: cx, y1: cy,
        x2: cx + v[0] / scale * rad, y2: cy - v[1] / scale * rad, stroke: colour, 'stroke-width': 3,
        'stroke-linecap': 'round', 'data-x': v[0], 'data-y': v[1] });
      g.append(hand(p.k_rotated, COLOURS[1], 'hand-k'), hand(p.q_rotated, COLOURS[0], 'hand-q'));
      g.append(el('circle', { cx, cy, r: 2.5, fill: '#1d2430' }));
      for (const [v, colour, which] of [[p.k_rotated, COLOURS[1], 'k'], [p.q_rotated, COLOURS[0], 'q']]) {
        const knob = el('circle', { class: 'knob knob-' + which, 'data-pair': p.pair, cx: cx + v[0] / scale * rad,
          cy: cy - v[1] / scale * rad, r: cell > 100 ? 6 : 5, fill: '#ffffff', stroke: colour, 'stroke-width': 2.5 });
        knob.append(el('title', {}, t(which === 'q' ? 'clock.dragQ' : 'clock.dragK')));
        knob.addEventListener('pointerdown', (e) => startDrag(e, p.pair, which, face));
        g.append(knob);
      }
      const small = cell > 150 ? 12 : 10.5;
      g.append(text(cx, cy + rad + 16, `${t('clock.dial')} ${p.pair}: θ = ${fmt(p.theta, 4)}`,
        { 'text-anchor': 'middle', 'font-size': small }));
      g.append(text(cx, cy + rad + 30, `(m−n)θ = ${fmt(p.angle_diff, 4)} rad`, { 'text-anchor': 'middle',
        'font-size': small, fill: '#5b6574' }));
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
