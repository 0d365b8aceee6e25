// Controls shared by several views.
import { fmt } from '../draw.js';

/** A log-scale slider from 10^lo to 10^hi whose values are rounded to 2 significant digits (500000, 8000000). */
export function logSlider(key, label, lo, hi) {
  return {
    key, label, type: 'range', min: lo, max: hi, step: 0.001,
    toInput: (v) => Math.log10(Number(v)),
    fromInput: (x) => String(Number((10 ** Number(x)).toPrecision(2))),
    format: (v) => fmt(Number(v)),
  };
}

export function range(key, label, min, max, step = 1) {
  return { key, label, type: 'range', min, max, step };
}

export function select(key, label, options, optionLabel) {
  return { key, label, type: 'select', options, optionLabel };
}

export function field(key, label) {
  return { key, label, type: 'text' };
}

export function line(text, attrs = {}) {
  const p = document.createElement('p');
  p.className = 'figure-line';
  p.textContent = text;
  for (const [k, v] of Object.entries(attrs)) p.setAttribute(k, v);
  return p;
}
