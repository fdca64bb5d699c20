// House rules (STYLE §8): type-aware checks for promises and exhaustive switches, the
// import direction between layers, and no hidden clock or environment.
import tseslint from 'typescript-eslint';

const layer = (name) => [`**/${name}/**`, `../${name}/*`, `../../${name}/*`, `../../../${name}/*`];

const noHiddenClock = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Read the time from the injected Clock (STYLE §5).' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Read the time from the injected Clock (STYLE §5).' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'test-results/**', '.tmp/**', 'src/web/static/**', 'bin/**', 'eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      eqeqeq: 'error',
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/domain/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noHiddenClock] },
  },
  {
    // Only the composition root reads the environment (STYLE §6).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/cli/main.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Configuration comes from loadConfig, read once (STYLE §6).' }] },
  },
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: [...layer('store'), ...layer('ra'), ...layer('web'), ...layer('ca'), ...layer('mail'), ...layer('jobs'), ...layer('cli')], message: 'domain imports only domain (STYLE §2).' }] },
      ],
    },
  },
  {
    files: ['src/store/**', 'src/ca/**', 'src/mail/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...layer('ra'), ...layer('web'), ...layer('jobs'), ...layer('cli')], message: 'Imports point one way: web, cli, jobs → ra → domain, ca, store, mail (STYLE §2).' }] }],
    },
  },
  {
    files: ['src/ra/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...layer('web'), ...layer('jobs'), ...layer('cli')], message: 'ra never imports its callers (STYLE §2).' }] }],
    },
  },
);
