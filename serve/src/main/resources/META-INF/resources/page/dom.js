// Building the page's elements. Every text goes in as a text node (textContent), never as markup:
// what the log holds (errors, image names, command lines) is shown exactly as it was recorded.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function apply(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      node.textContent = String(value);
    } else {
      node.setAttribute(key, String(value));
    }
  }
  return node;
}

/** An HTML element: el('td', {class: 'num'}, 'text', child...). */
export function el(tag, attrs, ...children) {
  return append(apply(document.createElement(tag), attrs), children);
}

/** An SVG element, the same way. */
export function svg(tag, attrs, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** Replaces a node's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export function table(headers, rows, attrs) {
  const head = el('tr', null, headers.map(h => typeof h === 'string' ? el('th', null, h) : el('th', h.attrs, h.label)));
  return el('div', {class: 'table-wrap'}, el('table', attrs, el('thead', null, head), el('tbody', null, rows)));
}

export function badge(text, kind) {
  return el('span', {class: 'badge ' + String(kind || text || '').toLowerCase().replace(/[^a-z0-9-]/g, '')}, text ?? '—');
}

export function empty(text) {
  return el('p', {class: 'empty'}, text);
}

// ---- formatting

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  let value = Number(n);
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 1 : 0)) + ' ' + UNITS[unit];
}

/** An instant as UTC, the way the command line prints it: 2026-12-07 14:02:03. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return Math.round(ms) + ' ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60);
  return m + ' min ' + Math.round(s - m * 60) + ' s';
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '—';
}

/** The first of several field names an object has (fields other versions of the API may add). */
export function field(object, ...names) {
  if (!object) return undefined;
  for (const name of names) {
    const value = object[name];
    if (value !== null && value !== undefined && value !== '') return value;
  }
  return undefined;
}
