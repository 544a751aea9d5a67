// What a person reads for a User-Agent string: "Chrome on Linux", "Safari on iPhone", "curl".
// Order matters: Edge and Opera also say Chrome, Chrome also says Safari, Android also says Linux.
import { t } from './i18n.js';

const BROWSERS = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'], [/\bOPR\//, 'Opera'], [/\bYaBrowser\//, 'Yandex Browser'], [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'], [/\bChrome\/|\bCriOS\//, 'Chrome'], [/\bVersion\/[\d.]+.*Safari\//, 'Safari'],
  [/\bTelegram/i, 'Telegram'], [/^curl\//, 'curl'], [/^python-requests\//, 'Python requests'], [/^Wget\//, 'Wget'],
];
const SYSTEMS = [
  [/\biPhone\b/, 'iPhone'], [/\biPad\b/, 'iPad'], [/\bAndroid\b/, 'Android'], [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'], [/\bMac OS X\b|\bMacintosh\b/, 'macOS'], [/\bLinux\b/, 'Linux'],
];

/** "Chrome on Linux", a program's name, or the first words of a string it does not know. */
export function describeUserAgent(ua) {
  if (!ua) return '';
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser && system) return t('ua.on', { browser, system });
  if (browser || system) return browser || system;
  return ua.length > 40 ? `${ua.slice(0, 40)}…` : ua;
}
