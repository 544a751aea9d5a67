// The same app opened as a Telegram Mini App. Telegram passes its launch parameters in the URL's
// fragment (tgWebAppData: the signed init data; tgWebAppThemeParams: the user's colours), so no
// script of Telegram's is loaded: we read them, sign in with the init data, take Telegram's theme
// and tell the client we are ready and want the whole height (its postEvent bridge).
import { api } from './api.js';
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import { session } from './session.js';

/** The launch parameters, or null outside Telegram. Kept for the visit: routing replaces the fragment. */
export function launch() {
  const stored = sessionStorage.getItem('tp.tg');
  const hash = new URLSearchParams(location.hash.slice(1));
  const data = hash.get('tgWebAppData');
  if (!data && !stored) return null;
  const params = data ? {
    initData: data,
    theme: safeJSON(hash.get('tgWebAppThemeParams')),
    tenant: new URLSearchParams(location.search).get('tenant') || new URLSearchParams(data).get('start_param') || '',
  } : JSON.parse(stored);
  sessionStorage.setItem('tp.tg', JSON.stringify(params));
  return params;
}

function safeJSON(text) { try { return JSON.parse(text || '{}'); } catch { return {}; } }

/** Telegram's colours become ours; the client hears we are ready and may fill the screen. */
export function adopt(params) {
  const theme = params.theme || {};
  const root = document.documentElement.style;
  const map = { bg_color: '--bg', secondary_bg_color: '--surface', text_color: '--text', hint_color: '--muted', button_color: '--primary',
    button_text_color: '--primary-text', link_color: '--focus', destructive_text_color: '--danger' };
  for (const [key, variable] of Object.entries(map)) {
    if (/^#[0-9a-fA-F]{3,8}$/.test(theme[key] || '')) root.setProperty(variable, theme[key]);
  }
  document.documentElement.classList.add('telegram');
  post('web_app_ready');
  post('web_app_expand');
}

function post(eventType, eventData = {}) {
  const data = JSON.stringify(eventData);
  if (window.TelegramWebviewProxy?.postEvent) window.TelegramWebviewProxy.postEvent(eventType, data);
  else if (window.external?.notify) window.external.notify(JSON.stringify({ eventType, eventData }));
  else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType, eventData }), '*');
}

/** Signs in from the init data; true when signed in, false when the page shows why not. */
export async function signIn(params, app) {
  try {
    const result = await api.post('/auth/telegram', { tenant: params.tenant, init_data: params.initData, mode: 'cookie' });
    session.set({ ...result.me, csrf_token: result.csrf_token });
    return true;
  } catch (error) {
    const linked = error.status !== 403;
    mount(app, h('main', { id: 'main', class: 'login-page' }, h('section', { class: 'login-card' },
      h('h1', {}, linked ? t('tg.failed') : t('tg.notLinked')),
      h('p', {}, linked ? t('tg.failedHint') : t('tg.notLinkedHint')),
      h('p', { class: 'muted' }, error.message))));
    return false;
  }
}
