import { api } from '../api.js';
import { clearErrors, field, formValues, h, mount, showErrors } from '../dom.js';
import { language, languages, setLanguage, t } from '../i18n.js';
import { navigate } from '../router.js';
import { session } from '../session.js';

const TENANT_KEY = 'tp.tenant';

export function render(app, ctx) {
  const platform = h('input', { type: 'checkbox', name: 'platform', id: 'login-platform' });
  const tenantField = field(t('login.tenant'), {
    name: 'tenant', autocomplete: 'organization', value: localStorage.getItem(TENANT_KEY) || '', required: true,
    autocapitalize: 'none', spellcheck: false,
  }, t('login.tenantHint'));
  const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { class: 'primary wide', type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'login-form', novalidate: true },
    tenantField,
    field(t('field.email'), { name: 'email', type: 'email', autocomplete: 'username', required: true, autocapitalize: 'none' }),
    field(t('field.password'), { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    h('label', { class: 'checkbox', for: 'login-platform' }, platform, t('login.platform')),
    summary,
    submit);
  const toggleTenant = () => {
    tenantField.hidden = platform.checked;
    tenantField.querySelector('input').required = !platform.checked;
  };
  platform.addEventListener('change', toggleTenant);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    const values = formValues(form);
    const body = { email: values.email || '', password: values.password || '', mode: 'cookie' };
    if (!platform.checked) body.tenant = values.tenant || '';
    if (!platform.checked && !body.tenant) {
      return showErrors(form, { message: t('login.needTenant'), fields: [{ field: 'tenant', message: t('field.required') }] }, summary);
    }
    submit.disabled = true;
    try {
      const result = await api.post('/auth/login', body);
      if (body.tenant) localStorage.setItem(TENANT_KEY, body.tenant);
      session.set({ ...result.me, csrf_token: result.csrf_token });
      if (result.me.locale && !localStorage.getItem('tp.lang')) await setLanguage(result.me.locale);
      const next = ctx.query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (error) {
      const message = error.code === 'rate_limited' ? t('login.rateLimited', { seconds: error.retryAfter ?? 60 })
        : error.code === 'unauthenticated' ? t('login.failed')
        : error.code === 'tenant_suspended' ? t('login.suspended')
        : error.code === 'network' ? t('error.network') : error.message;
      showErrors(form, { message, fields: error.code === 'invalid' ? error.fields : [] }, summary);
    } finally {
      submit.disabled = false;
    }
  });

  const langSelect = h('select', {
    'aria-label': t('nav.language'), class: 'lang-select',
    onchange: async (e) => { await setLanguage(e.target.value, true); render(app, ctx); },
  }, languages.map((l) => h('option', { value: l.code, selected: l.code === language() }, l.name)));

  mount(app, h('main', { id: 'main', class: 'login-page' },
    h('section', { class: 'login-card', 'aria-labelledby': 'login-title' },
      h('div', { class: 'login-brand' }, h('img', { src: document.querySelector('link[rel=icon]').href, alt: '', width: 40, height: 40 }), 'Tradepost'),
      h('h1', { id: 'login-title', tabindex: -1 }, t('login.title')),
      h('p', { class: 'muted' }, t('login.subtitle')),
      form,
      h('div', { class: 'login-footer' }, langSelect))));
  toggleTenant();
  (tenantField.querySelector('input').value ? form.querySelector('[name=email]') : tenantField.querySelector('input')).focus();
}
