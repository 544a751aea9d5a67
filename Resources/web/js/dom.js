// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so data cannot inject markup.
import { t } from './i18n.js';

/** h('button', {class: 'primary', onclick: fn}, 'Save') */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let fieldCounter = 0;

/** A labelled form field; `input` is an element or props for an <input>. */
export function field(label, input, hint) {
  const id = `f${++fieldCounter}`;
  const control = input instanceof Node ? input : h('input', input);
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  control.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field', dataset: { name: control.name || '' } },
    h('label', { for: id }, label), control, hint ? h('p', { class: 'hint' }, hint) : null, error);
}

/** Shows a problem's field errors next to the fields of `form`, and its detail in `summary`. */
export function showErrors(form, error, summary) {
  for (const p of form.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const unmatched = [];
  for (const fe of error.fields || []) {
    const control = form.querySelector(`[name="${CSS.escape(fe.field)}"]`);
    if (!control) { unmatched.push(`${fe.field}: ${fe.message}`); continue; }
    control.setAttribute('aria-invalid', 'true');
    const p = form.querySelector(`#${control.id}-error`);
    if (p) { p.textContent = fe.message; p.hidden = false; }
  }
  if (summary) {
    summary.textContent = [error.message, ...unmatched].join(' ');
    summary.hidden = false;
  }
  form.querySelector('[aria-invalid]')?.focus();
}

export function clearErrors(form, summary) {
  showErrors(form, { fields: [] });
  if (summary) { summary.hidden = true; summary.textContent = ''; }
}

/** Form values as an object; empty strings are left out unless `keepEmpty`. */
export function formValues(form, keepEmpty = false) {
  const out = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (value === '' && !keepEmpty) continue;
    out[key] = value;
  }
  return out;
}

/**
 * Replaces a dialog's form with values shown once: `intro`, then `[label, value]` read-only fields
 * (the last one, the secret, selected and copyable), then Copy and Done.
 */
export function revealSecret(form, intro, fields, close) {
  const boxes = fields.map(([label, value]) => field(label, { class: 'secret', readonly: true, value }));
  const secret = fields[fields.length - 1][1];
  mount(form, h('p', {}, intro), boxes,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', onclick: async () => { await navigator.clipboard?.writeText(secret); toast(t('action.copied')); } }, t('action.copy')),
      h('button', { class: 'primary', type: 'button', onclick: () => close() }, t('action.done'))));
  boxes[boxes.length - 1].querySelector('input').select();
}

/** A modal <dialog>; resolves when it closes. `build(close)` returns its content. */
export function openDialog(title, build) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' });
    const close = (value) => { dialog.close(); dialog.remove(); resolve(value); };
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(undefined); });
    mount(dialog,
      h('header', {},
        h('h2', { id: 'dialog-title' }, title),
        h('button', { class: 'icon-button', type: 'button', 'aria-label': '×', onclick: () => close(undefined) }, '×')),
      build(close));
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('input, select, textarea, button.primary')?.focus();
  });
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast toast-${kind}` }, message);
  box.append(item);
  setTimeout(() => item.remove(), 5000);
}

/** A button that disables itself while `action` runs. */
export function busyButton(props, label, action) {
  const button = h('button', { type: 'button', ...props }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await action(); } catch (error) { toast(error.message, 'error'); } finally { button.disabled = false; }
  });
  return button;
}
