// Tenant admins: the search's synonyms (one group of equivalent words per line) and stop words
// (words a query leaves out). Applied at query time, to products and the directory alike.
import { api } from '../api.js';
import { field, h, mount, showErrors, toast } from '../dom.js';
import { t } from '../i18n.js';

export async function vocabularyPanel() {
  const vocabulary = await api.get('/search/vocabulary');
  const form = h('form', { novalidate: true });
  const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
  const synonyms = h('textarea', { name: 'synonyms', rows: 5, placeholder: 'парацетамол, ацетамінофен, paracetamol' },
    vocabulary.synonyms.map((group) => group.join(', ')).join('\n'));
  const stopWords = h('textarea', { name: 'stop_words', rows: 2, placeholder: 'для, від, for' }, vocabulary.stop_words.join(', '));
  mount(form, summary,
    field(t('vocabulary.synonyms'), synonyms, t('vocabulary.synonymsHint')),
    field(t('vocabulary.stopWords'), stopWords, t('vocabulary.stopWordsHint')),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('action.save'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const words = (text) => text.split(',').map((w) => w.trim()).filter(Boolean);
    const body = {
      synonyms: synonyms.value.split('\n').map(words).filter((group) => group.length),
      stop_words: stopWords.value.split(/[,\n]/).map((w) => w.trim()).filter(Boolean),
    };
    try {
      const saved = await api.put('/search/vocabulary', body);
      synonyms.value = saved.synonyms.map((group) => group.join(', ')).join('\n');
      stopWords.value = saved.stop_words.join(', ');
      summary.hidden = true;
      toast(t('vocabulary.saved'), 'success');
    } catch (error) { showErrors(form, error, summary); }
  });
  return h('section', { class: 'panel' }, h('h2', {}, t('vocabulary.title')), h('p', { class: 'muted small' }, t('vocabulary.help')), form);
}
