// Shared bits of the catalog screens: money, highlighted text, the category list.
import { api } from './api.js';
import { h } from './dom.js';
import { language } from './i18n.js';

/** "25.50 UAH", grouped for the current language; the amount stays exact (it is a decimal string). */
export function money(m) {
  if (!m) return '';
  const [whole, fraction] = m.amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  const separator = language() === 'en' ? '.' : ',';
  return `${grouped}${fraction ? separator + fraction : ''} ${m.currency}`;
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Nodes for a server highlight: `<mark>` becomes a mark element, all else is text (never parsed as HTML). */
export function marked(text) {
  const out = [];
  const parts = String(text || '').split(/(<mark>|<\/mark>)/);
  let inMark = false;
  for (const part of parts) {
    if (part === '<mark>') { inMark = true; continue; }
    if (part === '</mark>') { inMark = false; continue; }
    const plain = part.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
    if (plain) out.push(inMark ? h('mark', {}, plain) : plain);
  }
  return out;
}

/** The category tree as indented options, depth-first. */
export async function categoryOptions(selected, emptyLabel) {
  const { items } = await api.get('/categories');
  return [h('option', { value: '' }, emptyLabel),
    ...items.map((c) => h('option', { value: c.id, selected: c.id === selected }, `${'\u2003'.repeat(c.path.length - 1)}${c.name}`))];
}
