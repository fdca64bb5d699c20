import type { FC } from 'hono/jsx';
import { findPrefecture } from '../../domain/input/prefectures.js';
import { registrationSections, registrationFields, type FieldName, type RegistrationRow } from '../../domain/input/registration.js';
import type { Lang } from '../env.js';
import { formText } from './form-text.js';
import { fieldLabels } from './input-messages.js';
import { sectionTitle } from './registration-form.js';

/** One label–value row of a read-back list (<dl class="readback">). */
export const Item: FC<{ label: string; value: string | undefined; valueClass?: string }> = ({ label, value, valueClass }) => (
  <div class="row">
    <dt class="label">{label}</dt>
    <dd class={valueClass === undefined ? 'control' : `control ${valueClass}`}>{value === undefined || value === '' ? '—' : value}</dd>
  </div>
);

/** A row's label, as the form shows it. */
export function rowLabel(row: RegistrationRow, lang: Lang): string {
  return row.kind === 'field' ? fieldLabels[row.field][lang] : formText[lang][row.label];
}

/** A row's value as read back: a pair joined as written (the coupon as 8 - 8), a prefecture in the page language. */
export function rowValue(row: RegistrationRow, values: Readonly<Record<string, string>>, lang: Lang): string {
  if (row.kind === 'pair') {
    const [a, b] = row.fields.map((f) => values[f] ?? '');
    if (row.label === 'coupon') return `${a} - ${b}`;
    return [a, b].filter((v) => v !== '').join(' ');
  }
  const value = values[row.field] ?? '';
  if (row.field === 'prefecture' && lang === 'en' && value !== '') return findPrefecture(value)?.nameEn ?? value;
  if (row.field === 'proxyMode') return value === 'none' ? formText[lang].proxyNone : formText[lang].proxyEntered;
  return value;
}

const isProxyRow = (row: RegistrationRow): boolean => (row.kind === 'field' ? [row.field] : row.fields).every((f: FieldName) => registrationFields[f].isProxyOnly === true);

/** Every value as entered, read back on the confirmation screen (SPEC 1.1 step 5), from the one field description. */
export const ConfirmationTable: FC<{ lang: Lang; values: Record<string, string> }> = ({ lang, values }) => (
  <>
    {registrationSections.map(({ section, rows }) => {
      const isProxyNone = section === 'proxy' && values['proxyMode'] === 'none';
      return (
        <section class="form-section" aria-labelledby={`c-${section}`}>
          <h2 id={`c-${section}`}>{sectionTitle(section, lang)}</h2>
          {isProxyNone ? (
            <p>{formText[lang].proxyNone}</p>
          ) : (
            <dl class="readback">
              {rows
                .filter((row) => !(row.kind === 'field' && row.field === 'proxyMode'))
                .filter((row) => section !== 'proxy' || isProxyRow(row))
                .map((row) => (
                  <Item label={rowLabel(row, lang)} value={rowValue(row, values, lang)} />
                ))}
            </dl>
          )}
        </section>
      );
    })}
  </>
);
