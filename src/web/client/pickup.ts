// Certificate pickup, the page script (SPEC 1.4): makes the key pair in this browser, sends
// only the CSR, and saves key + certificate + chain as password-protected PKCS#12 files.
// The server renders every element and every text (data-messages); this script toggles,
// fills and reacts. Without WebCrypto, or without the section, it does nothing, and the
// CSR upload form (no JavaScript needed) stays as it is. Bundled by web/client-bundle.ts.
import {
  certificateHoldsKey,
  checkTypedPassword,
  createCsr,
  downloadNames,
  generatePickupKeys,
  isKeyRefusal,
  isPickupKeyType,
  packagePickup,
  parseMessages,
  prefersCompatibleFormat,
  requestCertificate,
  type IssuedCertificate,
  type MessageKey,
  type PickupKeyType,
} from './pickup-logic.js';
import { generateFilePassword, type Pkcs12Format } from './pkcs12.js';

/** The element with this id, if it is of the expected kind. */
function element<T extends HTMLElement>(id: string, kind: new () => T): T | undefined {
  const found = document.getElementById(id);
  return found instanceof kind ? found : undefined;
}

function setUp(): void {
  const section = element('pickup-browser', HTMLElement);
  if (section === undefined) return;
  // WebCrypto exists only in secure contexts (and modern browsers): otherwise the upload form it is.
  if (typeof window.crypto === 'undefined' || typeof window.crypto.subtle === 'undefined') return;
  const messages = parseMessages(section.dataset['messages']);
  const endpoint = section.dataset['endpoint'];
  const csrf = section.dataset['csrf'];
  const friendlyName = section.dataset['friendlyName'] ?? '';
  const ui = {
    generated: element('pickup-generated', HTMLElement),
    generatedPassword: element('pickup-generated-password', HTMLOutputElement),
    copy: element('pickup-copy', HTMLButtonElement),
    regenerate: element('pickup-regenerate', HTMLButtonElement),
    typed: element('pickup-typed', HTMLElement),
    password: element('pickup-password', HTMLInputElement),
    confirmation: element('pickup-password-confirm', HTMLInputElement),
    start: element('pickup-start', HTMLButtonElement),
    status: element('pickup-status', HTMLElement),
    error: element('pickup-error', HTMLElement),
    result: element('pickup-result', HTMLElement),
    downloadStandard: element('pickup-download-standard', HTMLAnchorElement),
    downloadCompatible: element('pickup-download-compatible', HTMLAnchorElement),
    downloadPem: element('pickup-download-pem', HTMLAnchorElement),
    resultPassword: element('pickup-result-password', HTMLElement),
  };
  if (messages === undefined || endpoint === undefined || endpoint === '' || csrf === undefined) return;
  const {
    generated,
    generatedPassword,
    copy,
    regenerate,
    typed,
    password,
    confirmation,
    start,
    status,
    error,
    result,
    downloadStandard,
    downloadCompatible,
    downloadPem,
    resultPassword,
  } = ui;
  if (
    generated === undefined ||
    generatedPassword === undefined ||
    copy === undefined ||
    regenerate === undefined ||
    typed === undefined ||
    password === undefined ||
    confirmation === undefined ||
    start === undefined ||
    status === undefined ||
    error === undefined ||
    result === undefined ||
    downloadStandard === undefined ||
    downloadCompatible === undefined ||
    downloadPem === undefined ||
    resultPassword === undefined
  ) {
    return;
  }

  const radios = (name: string): HTMLInputElement[] =>
    Array.from(section.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${name}"]`));
  const checkedValue = (name: string): string | undefined => radios(name).find((radio) => radio.checked)?.value;

  const say = (key: MessageKey): void => {
    status.textContent = messages[key];
  };
  const showError = (text: string): void => {
    error.textContent = text;
    error.hidden = false;
  };
  const hideError = (): void => {
    error.hidden = true;
    error.textContent = '';
  };

  // Step 1: show the browser section, fold the upload form away, preselect the format.
  section.hidden = false;
  const uploadDetails = document.getElementById('pickup-upload-details');
  if (uploadDetails instanceof HTMLDetailsElement) uploadDetails.open = false;
  if (prefersCompatibleFormat(navigator.userAgent, navigator.maxTouchPoints)) {
    const compatibleRadio = radios('format').find((radio) => radio.value === 'compatible');
    if (compatibleRadio !== undefined) compatibleRadio.checked = true;
  }

  // Step 2: the file password, generated (shown, copyable) or typed twice.
  let filePassword = generateFilePassword();
  generatedPassword.textContent = filePassword;
  const showPasswordMode = (): void => {
    const isTyped = checkedValue('passwordMode') === 'typed';
    generated.hidden = isTyped;
    typed.hidden = !isTyped;
  };
  showPasswordMode();
  for (const radio of radios('passwordMode')) radio.addEventListener('change', showPasswordMode);
  regenerate.addEventListener('click', () => {
    filePassword = generateFilePassword();
    generatedPassword.textContent = filePassword;
    status.textContent = '';
  });
  copy.addEventListener('click', () => {
    // No clipboard outside secure contexts, or when the browser refuses: the password stays on screen.
    if (typeof navigator.clipboard === 'undefined') {
      say('copyFailed');
      return;
    }
    navigator.clipboard.writeText(filePassword).then(
      () => say('copied'),
      () => say('copyFailed'),
    );
  });

  /** The password for the files, or undefined after saying what is wrong with the typed one. */
  const chosenPassword = (): string | undefined => {
    if (checkedValue('passwordMode') !== 'typed') return filePassword;
    const check = checkTypedPassword(password.value, confirmation.value);
    if (check.ok) return password.value;
    showError(messages[check.problem]);
    (check.field === 'password' ? password : confirmation).focus();
    return undefined;
  };

  // Leaving before a .p12 file was saved loses the key: the browser asks first.
  let isLeaveWarningOn = false;
  window.addEventListener('beforeunload', (event) => {
    if (!isLeaveWarningOn) return;
    event.preventDefault();
    // Browsers show their own text; older ones want returnValue set.
    event.returnValue = messages.leaveWarning;
  });
  for (const link of [downloadStandard, downloadCompatible]) {
    link.addEventListener('click', () => {
      isLeaveWarningOn = false;
    });
  }

  const controls = (): (HTMLInputElement | HTMLButtonElement)[] => [...radios('keyType'), ...radios('format'), ...radios('passwordMode'), regenerate, password, confirmation, start];
  const setBusy = (isBusy: boolean): void => {
    for (const control of controls()) control.disabled = isBusy;
    section.setAttribute('aria-busy', String(isBusy));
  };

  // The key pair and CSR sent, kept until the server answers with a certificate or refuses
  // the key: after a lost answer the retry sends the same CSR, which the server answers
  // with the certificate it may already have issued for it.
  let sentKeys: { keys: CryptoKeyPair; csrPem: string } | undefined;
  // The key and certificate of a pickup the server answered: a retry after a failed
  // packaging packages these again, since the server issues only once.
  let issuedPickup: { keys: CryptoKeyPair; issued: IssuedCertificate } | undefined;

  const run = async (): Promise<void> => {
    hideError();
    const chosen = chosenPassword();
    if (chosen === undefined) return;
    const checkedKeyType = checkedValue('keyType');
    const keyType: PickupKeyType = isPickupKeyType(checkedKeyType) ? checkedKeyType : 'P-256';
    setBusy(true);
    // From the request on, leaving may lose an issued certificate's only key.
    isLeaveWarningOn = true;
    let isDone = false;
    try {
      if (issuedPickup === undefined) {
        // Step 3: the key pair, here and only here; the CSR carries its public half.
        if (sentKeys === undefined) {
          say('generating');
          const keys = await generatePickupKeys(keyType);
          sentKeys = { keys, csrPem: await createCsr(keys) };
        }

        // Step 4: the server issues for the CSR's key.
        say('requesting');
        const { keys, csrPem } = sentKeys;
        const outcome = await requestCertificate({ endpoint, csrf, csrPem });
        if (!outcome.ok) {
          status.textContent = '';
          showError(outcome.kind === 'refused' ? outcome.message : messages[outcome.kind === 'network' ? 'errorNetwork' : 'errorServer']);
          // A refused key is dropped; otherwise the answer may have been lost, and the key with it if the page closes.
          if (isKeyRefusal(outcome)) sentKeys = undefined;
          isLeaveWarningOn = outcome.kind !== 'refused';
          return;
        }
        // Step 4b: package only a certificate for this key.
        if (!(await certificateHoldsKey(outcome.issued.certificateDer, keys.publicKey))) {
          status.textContent = '';
          showError(messages.errorKeyMismatch);
          isLeaveWarningOn = false;
          return;
        }
        issuedPickup = { keys, issued: outcome.issued };
      }

      // Step 5: both PKCS#12 files and the PEM, then the save links.
      say('packaging');
      const { keys, issued } = issuedPickup;
      const files = await packagePickup({
        privateKeyPkcs8: await crypto.subtle.exportKey('pkcs8', keys.privateKey),
        certificateDer: issued.certificateDer,
        chainDer: [...issued.chainDer],
        password: chosen,
        friendlyName,
      });
      const names = downloadNames(issued.fileName);
      offer(downloadStandard, files.standard, 'application/x-pkcs12', names.standard);
      offer(downloadCompatible, files.compatible, 'application/x-pkcs12', names.compatible);
      offer(downloadPem, files.pem, 'application/x-pem-file', names.pem);
      // A typed password is the subscriber's own: not echoed on screen.
      resultPassword.textContent = checkedValue('passwordMode') === 'typed' ? messages.typedPasswordShown : chosen;
      result.hidden = false;
      say('done');
      isDone = true;
    } catch {
      // Key generation or packaging failed in this browser: trying again here keeps an issued key.
      status.textContent = '';
      showError(messages.errorLocal);
      isLeaveWarningOn = issuedPickup !== undefined;
    } finally {
      if (isDone) {
        // Issued and packaged: the controls stay off (a second start would ask for a second certificate); copy stays.
        start.disabled = true;
        section.setAttribute('aria-busy', 'false');
      } else {
        setBusy(false);
        // Once sent, the key is made: a retry uses it again, whatever key type is ticked.
        if (issuedPickup !== undefined || sentKeys !== undefined) for (const radio of radios('keyType')) radio.disabled = true;
        if (!error.hidden) start.focus();
      }
    }
    if (!isDone) return;

    // Step 6: save the chosen format once; the links stay for the other files.
    const format: Pkcs12Format = checkedValue('format') === 'compatible' ? 'compatible' : 'standard';
    const link = format === 'compatible' ? downloadCompatible : downloadStandard;
    link.focus();
    link.click();
  };

  start.addEventListener('click', () => {
    void run();
  });
  // The files hold the private key: their blob URLs go when the page does.
  window.addEventListener('pagehide', () => {
    for (const link of [downloadStandard, downloadCompatible, downloadPem]) {
      if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
      link.removeAttribute('href');
    }
    // Back from the browser's cache, the button makes the files again from the key still in memory.
    result.hidden = true;
    setBusy(false);
    if (issuedPickup !== undefined || sentKeys !== undefined) for (const radio of radios('keyType')) radio.disabled = true;
  });
}

/** Points a save link at the bytes, under the given file name. */
function offer(link: HTMLAnchorElement, content: Uint8Array | string, type: string, fileName: string): void {
  const previous = link.href;
  if (previous.startsWith('blob:')) URL.revokeObjectURL(previous);
  const part: BlobPart = typeof content === 'string' ? content : new Uint8Array(content);
  link.href = URL.createObjectURL(new Blob([part], { type }));
  link.download = fileName;
}

setUp();
