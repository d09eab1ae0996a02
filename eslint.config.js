import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Which part may import what is checked by dependency-cruiser (.dependency-cruiser.mjs, DECISIONS
// D40), not here: it sees type-only imports, dynamic import() and cycles between folders.
export default tseslint.config(
  { ignores: ['node_modules/', '.datasync-sim/', 'dist/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          // dependency-cruiser sees require('x') but not createRequire(...)('x').
          selector: "CallExpression[callee.type='CallExpression'][callee.callee.name='createRequire']",
          message:
            'Name the require (const require = createRequire(import.meta.url); require(...)) so the layer check sees what it loads.',
        },
      ],
    },
  },
  // Type-aware, on production code only: tests keep waitFor promises to await later (D35).
  {
    files: ['index.ts', '{oclc,simulator,client,scenarios,cli,docker,testing}/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    // A promise nobody handles ends the host process when it rejects (issue 21).
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
