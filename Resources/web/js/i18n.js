// Messages in English, Ukrainian and Russian, and locale-aware formatting of dates, numbers and money.
import en from './i18n/en.js';

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'uk', name: 'Українська' },
  { code: 'ru', name: 'Русский' },
];
const loaders = { en: async () => en, uk: async () => (await import('./i18n/uk.js')).default, ru: async () => (await import('./i18n/ru.js')).default };
const STORAGE_KEY = 'tp.lang';

let current = 'en';
let catalog = en;

/** The saved choice, else the user's profile, else the browser's languages, else English. */
export function detectLanguage(profileLocale) {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && loaders[saved]) return saved;
  if (profileLocale && loaders[profileLocale]) return profileLocale;
  for (const tag of navigator.languages || [navigator.language]) {
    const code = String(tag).toLowerCase().split('-')[0];
    if (loaders[code]) return code;
  }
  return 'en';
}

export async function setLanguage(code, remember = false) {
  if (!loaders[code]) code = 'en';
  catalog = await loaders[code]();
  current = code;
  document.documentElement.lang = code;
  if (remember) localStorage.setItem(STORAGE_KEY, code);
}

export function language() { return current; }

/** t('users.added', {email}) — falls back to English, then to the key itself. */
export function t(key, params = {}) {
  const text = catalog[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

/** Plural forms by CLDR category: keys `${key}.one`, `.few`, `.many`, `.other`. */
export function plural(key, count, params = {}) {
  const category = new Intl.PluralRules(current).select(count);
  const form = catalog[`${key}.${category}`] ? category : 'other';
  return t(`${key}.${form}`, { count: formatNumber(count), ...params });
}

export function formatDate(value) {
  if (!value) return '—';
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(new Date(value));
}

export function formatDateTime(value) {
  if (!value) return '—';
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

export function formatNumber(value) {
  return new Intl.NumberFormat(current).format(value);
}

/** "1,5 MiB": sizes in binary units, one decimal past bytes. */
export function formatBytes(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${formatNumber(unit ? Math.round(value * 10) / 10 : value)} ${units[unit]}`;
}

/** Money is exact: integer minor units and a currency code, formatted for the chosen locale. */
export function formatMoney(minorUnits, currency) {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  const major = Number(minorUnits) / 10 ** digits;
  return new Intl.NumberFormat(current, { style: 'currency', currency }).format(major);
}
