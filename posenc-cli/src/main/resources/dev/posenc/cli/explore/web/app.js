// The explorer's shell: views, state in the URL (#view?key=value...), language, exports, keyboard.
// The page computes nothing: every number is fetched from /api/ (posenc-core) and only drawn here.
import { t, setLanguage, language, applyStatic } from './i18n.js';
import { svgToPng, download, toCsv } from './draw.js';
import clock from './views/clock.js';
import decay from './views/decay.js';
import model from './views/model.js';
import shuffle from './views/shuffle.js';
import extension from './views/extension.js';
import bias from './views/bias.js';
import lab from './views/lab.js';

const VIEWS = [clock, decay, model, shuffle, extension, bias, lab];
const $ = (s) => document.querySelector(s);
let current = null;       // { view, state }
let output = null;        // the last render's { svg, data, rows, name }
let pending = 0;
let idleWaiters = [];
let generation = 0;

/** For tests and the curious: resolves once every started render has finished. */
window.explore = {
  whenIdle: () => pending === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r)),
  get data() { return output ? output.data : null; },
  get state() { return current ? { view: current.view.id, ...current.state } : null; },
};

/** Counts a request outside a render (a dragged clock hand) as work in progress for window.explore.whenIdle. */
export async function busy(promise) {
  pending++;
  try {
    return await promise;
  } finally {
    settle();
  }
}

export async function api(path, params, body) {
  const query = new URLSearchParams(params).toString();
  const res = await fetch('/api/' + path + (query ? '?' + query : ''),
    body === undefined ? {} : { method: 'POST', body });
  const json = await res.json();
  if (!res.ok) throw new Error('posenc: ' + json.error);
  return json;
}

function parseHash() {
  const [id, query] = decodeURIComponent(location.hash.slice(1)).split('?');
  const view = VIEWS.find((v) => v.id === id) || VIEWS[0];
  const given = Object.fromEntries(new URLSearchParams(query || ''));
  if (given.lang) setLanguage(given.lang);
  const state = { ...view.defaults };
  for (const k of Object.keys(view.defaults)) if (k in given) state[k] = given[k];
  return { view, state };
}

function writeHash() {
  const params = new URLSearchParams({ ...current.state, lang: language() });
  history.replaceState(null, '', '#' + current.view.id + '?' + params.toString());
}

/** Changes some of the current view's state, writes it into the URL and redraws. */
export function update(changes) {
  Object.assign(current.state, changes);
  writeHash();
  if ((current.view.rebuildOn || []).some((k) => k in changes)) rebuildControls();
  else syncControls();
  scheduleRender();
}

function buildNav() {
  const nav = $('#views');
  nav.replaceChildren();
  VIEWS.forEach((v, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.role = 'tab';
    b.id = 'tab-' + v.id;
    b.textContent = (i + 1) + ' ' + t(v.id + '.tab');
    b.setAttribute('aria-selected', String(current.view === v));
    b.tabIndex = current.view === v ? 0 : -1;
    b.addEventListener('click', () => switchView(v));
    nav.append(b);
  });
}

function switchView(v) {
  current = { view: v, state: { ...v.defaults } };
  writeHash();
  showView();
}

function control(c) {
  const label = document.createElement('label');
  const name = document.createElement('span');
  name.textContent = t(c.label);
  label.append(name);
  let input;
  if (c.type === 'select') {
    input = document.createElement('select');
    for (const o of c.options) {
      const opt = document.createElement('option');
      opt.value = o;
      opt.textContent = c.optionLabel ? c.optionLabel(o) : o;
      input.append(opt);
    }
  } else if (c.type === 'custom') {
    return c.element();
  } else if (c.type === 'button') {
    input = document.createElement('button');
    input.type = 'button';
    input.textContent = t(c.text);
    input.addEventListener('click', c.onClick);
    label.replaceChildren(input);
    input.id = 'ctl-' + c.key;
    return label;
  } else {
    input = document.createElement('input');
    input.type = c.type;
    for (const a of ['min', 'max', 'step']) if (c[a] !== undefined) input[a] = c[a];
  }
  input.id = 'ctl-' + c.key;
  input.name = c.key;
  const out = document.createElement('output');
  out.htmlFor = input.id;
  const event = c.type === 'range' ? 'input' : 'change';
  input.addEventListener(event, () => {
    const value = c.fromInput ? c.fromInput(input.value) : input.value;
    update(c.changes ? c.changes(value) : { [c.key]: value });
  });
  label.append(input);
  if (c.type === 'range') label.append(out);
  return label;
}

function syncControls() {
  for (const c of current.view.controls()) {
    const input = document.getElementById('ctl-' + c.key);
    if (!input || c.type === 'button' || c.type === 'custom') continue;
    const v = current.state[c.key];
    const shown = c.toInput ? c.toInput(v) : v;
    if (document.activeElement !== input || c.type !== 'range') input.value = shown;
    const out = input.parentElement.querySelector('output');
    if (out) out.textContent = c.format ? c.format(v) : v;
  }
}

/** Rebuilds the current view's controls (after their options changed, e.g. an upload). */
export function rebuildControls() {
  $('#controls').replaceChildren(...current.view.controls().map(control));
  syncControls();
}

async function showView() {
  pending++;
  buildNav();
  applyStatic();
  $('#view-title').textContent = t(current.view.id + '.title');
  $('#view-intro').textContent = t(current.view.id + '.intro');
  $('#error').hidden = true;
  try {
    if (current.view.prepare) await current.view.prepare();
  } catch (e) {
    $('#error').textContent = e.message;
    $('#error').hidden = false;
  }
  rebuildControls();
  const defs = $('#definitions');
  defs.replaceChildren();
  for (const key of current.view.definitions || []) {
    const dt = document.createElement('dt');
    dt.textContent = t(key + '.term');
    const dd = document.createElement('dd');
    dd.textContent = t(key + '.def');
    defs.append(dt, dd);
  }
  $('#figure').replaceChildren();
  scheduleRender();
  settle();
}

function settle() {
  if (--pending === 0) {
    const w = idleWaiters;
    idleWaiters = [];
    w.forEach((r) => r());
  }
}

let timer = null;
function scheduleRender() {
  if (timer === null) pending++;
  clearTimeout(timer);
  timer = setTimeout(() => { timer = null; render(); }, 60);
}

async function render() {
  const mine = ++generation;
  const { view, state } = current;
  try {
    const result = await view.render({ ...state });
    if (mine !== generation) return;
    $('#error').hidden = true;
    output = { ...result, name: view.id };
    $('#figure').replaceChildren(result.svg);
    $('#summary').replaceChildren(...(result.summary || []));
    $('#table').replaceChildren(...(result.table ? [result.table] : []));
  } catch (e) {
    if (mine !== generation) return;
    $('#error').textContent = e.message;
    $('#error').hidden = false;
  } finally {
    settle();
  }
}

function exportAs(kind) {
  if (!output) return;
  const name = 'posenc-' + output.name;
  if (kind === 'svg') download(new Blob([new XMLSerializer().serializeToString(output.svg)],
    { type: 'image/svg+xml' }), name + '.svg');
  if (kind === 'png') svgToPng(output.svg).then((b) => download(b, name + '.png'));
  if (kind === 'json') download(new Blob([JSON.stringify(output.data, null, 1)], { type: 'application/json' }),
    name + '.json');
  if (kind === 'csv') download(new Blob([toCsv(output.rows)], { type: 'text/csv' }), name + '.csv');
}

function keyboard(e) {
  const typing = e.target.matches('input[type="text"], input[type="number"], select');
  if (e.target.closest('#views') && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
    const i = VIEWS.indexOf(current.view) + (e.key === 'ArrowRight' ? 1 : -1);
    switchView(VIEWS[(i + VIEWS.length) % VIEWS.length]);
    document.getElementById('tab-' + current.view.id).focus();
    e.preventDefault();
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key >= '1' && e.key <= String(VIEWS.length) && !e.target.matches('input[type="range"]')) {
    switchView(VIEWS[Number(e.key) - 1]);
  } else if (current.view.key) {
    current.view.key(e);
  }
}

addEventListener('hashchange', () => { current = parseHash(); showView(); });
addEventListener('keydown', keyboard);
document.querySelectorAll('[data-lang]').forEach((b) => b.addEventListener('click', () => {
  setLanguage(b.dataset.lang);
  writeHash();
  showView();
}));
document.querySelectorAll('[data-export]').forEach((b) => b.addEventListener('click', () => exportAs(b.dataset.export)));
current = parseHash();
writeHash();
showView();
