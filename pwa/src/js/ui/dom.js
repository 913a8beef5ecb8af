/** A tiny DOM builder: h('button', {class: 'x', onclick}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = Boolean(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Multi-line text as text nodes and <br>s (never innerHTML: the content is user input). */
export function lines(text) {
  const parts = String(text ?? '').split('\n');
  const out = [];
  parts.forEach((p, i) => {
    if (i) out.push(h('br'));
    out.push(p);
  });
  return out;
}

let fieldCounter = 0;
export function uid(prefix = 'f') {
  fieldCounter += 1;
  return `${prefix}-${fieldCounter}`;
}

/** A labelled form control. */
export function field(label, control, hint) {
  const id = control.id || uid();
  control.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control);
}

export function announce(message) {
  const region = document.getElementById('toast');
  if (!region) return;
  region.textContent = '';
  // A fresh text node so screen readers announce a repeated message too.
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}
