// Search settings: the tenant's synonyms and stop words, which shape every product and business
// search. Tenant admins only (catalog.settings).
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { vocabularyPanel } from '../components/search-vocabulary.js';

export async function render(main) {
  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.searchSettings'))),
    h('p', { class: 'muted' }, t('searchSettings.hint')),
    await vocabularyPanel());
}
