import { fieldNames, type FieldName } from './input/registration.js';

/**
 * What a renewal changes against the previous registration, field by field (issue #7:
 * the reviewer sees every difference side by side). Missing and empty are the same.
 */
export function changedFields(previous: Readonly<Record<string, string | undefined>>, next: Readonly<Record<string, string | undefined>>): Set<FieldName> {
  const changed = new Set<FieldName>();
  for (const field of fieldNames) {
    if (field === 'couponPart1' || field === 'couponPart2') continue;
    if ((previous[field] ?? '') !== (next[field] ?? '')) changed.add(field);
  }
  return changed;
}
