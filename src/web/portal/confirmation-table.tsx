import type { FC } from 'hono/jsx';
import { findPrefecture } from '../../domain/input/prefectures.js';
import type { FieldName } from '../../domain/input/registration.js';
import type { Lang } from '../env.js';
import { formText } from './form-text.js';
import { fieldLabels } from './input-messages.js';

/** One label–value row of a read-back list (<dl class="readback">). */
export const Item: FC<{ label: string; value: string | undefined; valueClass?: string }> = ({ label, value, valueClass }) => (
  <div class="row">
    <dt class="label">{label}</dt>
    <dd class={valueClass === undefined ? 'control' : `control ${valueClass}`}>{value === undefined || value === '' ? '—' : value}</dd>
  </div>
);

/** Every value as entered, read back on the confirmation screen (SPEC 1.1 step 5). */
export const ConfirmationTable: FC<{ lang: Lang; values: Record<string, string> }> = ({ lang, values }) => {
  const ft = formText[lang];
  const v = (name: FieldName) => values[name];
  const label = (name: FieldName) => fieldLabels[name][lang];
  const pair = (a: FieldName, b: FieldName) => [v(a), v(b)].filter(Boolean).join(' ');
  const prefecture = v('prefecture');
  const prefectureText = lang === 'en' && prefecture ? (findPrefecture(prefecture)?.nameEn ?? prefecture) : prefecture;
  return (
    <>
      <section class="form-section" aria-labelledby="c-org">
        <h2 id="c-org">{ft.organisationSection}</h2>
        <dl class="readback">
          <Item label={label('tdbCode')} value={v('tdbCode')} />
          <Item label={label('orgNameJa')} value={v('orgNameJa')} />
          <Item label={label('orgNameKana')} value={v('orgNameKana')} />
          <Item label={label('orgNameEn')} value={v('orgNameEn')} />
          <Item label={label('hqAddress')} value={v('hqAddress')} />
          <Item label={label('hqPhone')} value={v('hqPhone')} />
          <Item label={ft.representativeName} value={pair('representativeLastName', 'representativeFirstName')} />
        </dl>
      </section>
      <section class="form-section" aria-labelledby="c-person">
        <h2 id="c-person">{ft.personSection}</h2>
        <dl class="readback">
          <Item label={ft.nameJa} value={pair('lastNameJa', 'firstNameJa')} />
          <Item label={ft.nameKana} value={pair('lastNameKana', 'firstNameKana')} />
          <Item label={ft.nameEn} value={pair('firstNameEn', 'lastNameEn')} />
          <Item label={label('email')} value={v('email')} />
          <Item label={label('titleJa')} value={v('titleJa')} />
          <Item label={label('departmentJa')} value={v('departmentJa')} />
          <Item label={label('titleRomaji')} value={v('titleRomaji')} />
          <Item label={label('postalCode')} value={v('postalCode')} />
          <Item label={label('prefecture')} value={prefectureText} />
          <Item label={label('city')} value={v('city')} />
          <Item label={label('street')} value={v('street')} />
          <Item label={label('building')} value={v('building')} />
          <Item label={label('phone')} value={v('phone')} />
          <Item label={ft.coupon} value={`${v('couponPart1') ?? ''} - ${v('couponPart2') ?? ''}`} />
        </dl>
      </section>
      <section class="form-section" aria-labelledby="c-proxy">
        <h2 id="c-proxy">{ft.proxySection}</h2>
        {v('proxyMode') === 'none' ? (
          <p>{ft.proxyNone}</p>
        ) : (
          <dl class="readback">
            <Item label={ft.proxyNameJa} value={pair('proxyLastNameJa', 'proxyFirstNameJa')} />
            <Item label={ft.proxyNameKana} value={pair('proxyLastNameKana', 'proxyFirstNameKana')} />
            <Item label={label('proxyDepartment')} value={v('proxyDepartment')} />
            <Item label={label('proxyPhone')} value={v('proxyPhone')} />
          </dl>
        )}
      </section>
    </>
  );
};
