// Postal code → address suggestion (SPEC 3): fills only the address fields that are
// still empty, and says so; the subscriber can overwrite everything. Without
// JavaScript the form works the same, just without the suggestion.
(() => {
  const postal = document.getElementById('postalCode');
  const status = document.getElementById('postalCode-suggestion');
  if (!postal || !status) return;
  const lang = document.documentElement.lang === 'en' ? 'en' : 'ja';
  let last = '';

  const digits = (value) =>
    value
      .normalize('NFKC')
      .replace(/[^0-9]/g, '');

  const fill = (id, value) => {
    const field = document.getElementById(id);
    if (!field || !value || field.value.trim() !== '') return false;
    field.value = value;
    field.dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  };

  const lookup = async () => {
    const code = digits(postal.value);
    if (code.length !== 7 || code === last) return;
    last = code;
    try {
      const response = await fetch(`/api/postal-code/${code}`, { headers: { accept: 'application/json' } });
      if (!response.ok) {
        status.textContent = '';
        return;
      }
      const address = await response.json();
      const filled = [fill('prefecture', address.prefecture), fill('city', address.city), fill('street', address.town)].some(Boolean);
      const text = `${address.prefecture}${address.city}${address.town}`;
      status.textContent = filled
        ? lang === 'ja'
          ? `郵便番号から住所を入力しました: ${text}(必要に応じて修正してください)`
          : `Address filled in from the postal code: ${text} (correct it if needed)`
        : lang === 'ja'
          ? `郵便番号の住所: ${text}`
          : `Address of this postal code: ${text}`;
    } catch {
      // Offline or the server is busy: the suggestion is a convenience, nothing more.
      status.textContent = '';
    }
  };

  postal.addEventListener('change', lookup);
  postal.addEventListener('input', () => {
    if (digits(postal.value).length === 7) void lookup();
  });
})();
