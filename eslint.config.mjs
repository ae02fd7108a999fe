import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      '.vscode-test*/**',
      'server/src/schema/generated/**',
      'examples/**',
      'test/fixtures/**',
      'client/python/**',
      'bench/*.bundle.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // The language server must run in any editor: nothing from VS Code's API.
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The server is editor-neutral.' }] },
      ],
    },
  },
  {
    // The client and the webview run only shared code and speak to the server through the protocol.
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**'], message: 'The client imports only common/ (and the protocol there).' },
          ],
        },
      ],
    },
  },
  {
    // Shared by the server, the CLI and the client: it depends on neither side.
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'common/ is editor-neutral.' }],
          patterns: [
            {
              group: ['**/server/**', '**/client/**'],
              message: 'common/ imports nothing from server/ or client/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
