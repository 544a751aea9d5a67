// How a product attribute reads to a person: "Prescription only: No", "Strength: 500 mg", not
// "rx: no" and "strength mg: 500". Known attributes have names in each language (attr.<name>);
// others are made readable from their snake_case name, with a unit suffix (_mg, _ml, …) shown
// beside the value.
import { t } from './i18n.js';

const UNITS = { mg: 'mg', mcg: 'mcg', g: 'g', kg: 'kg', ml: 'ml', l: 'l', iu: 'IU', pcs: 'pcs', cm: 'cm', mm: 'mm', m: 'm', pct: '%', percent: '%', months: 'months', days: 'days' };
const TRUE = new Set(['true', 'yes', 'y', '1', 'так', 'да']);
const FALSE = new Set(['false', 'no', 'n', '0', 'ні', 'нет']);

/** The unit a name ends in (strength_mg → mg), if any. */
function unitOf(name) {
  const last = name.split('_').pop();
  return name.includes('_') ? UNITS[last] : undefined;
}

/** The attribute's name for people: translated when known, else "Shelf life" from shelf_life_months. */
export function attributeLabel(name) {
  const key = `attr.${name}`;
  const known = t(key);
  if (known !== key) return known;
  const words = (unitOf(name) ? name.split('_').slice(0, -1) : name.split('_')).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value for people: yes/no in the reader's language, a number with its unit. */
export function attributeValue(name, value) {
  const text = String(value).trim();
  const lower = text.toLowerCase();
  if (typeof value === 'boolean' || TRUE.has(lower) || FALSE.has(lower)) {
    return t(value === true || TRUE.has(lower) ? 'common.yes' : 'common.no');
  }
  const unit = unitOf(name);
  if (!unit) return text;
  const unitText = t(`unit.${unit}`) === `unit.${unit}` ? unit : t(`unit.${unit}`);
  return unit === '%' ? `${text}%` : `${text} ${unitText}`;
}
