import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Layer rules (DECISIONS.md D19), enforced with ESLint's own no-restricted-imports: each folder
// group below gets the complete list of imports it may not make.
const PRODUCTION = [
  'index.ts',
  'oclc/**',
  'simulator/**',
  'client/**',
  'scenarios/**',
  'cli/**',
  'docker/**',
  'testing/**',
];
const TESTS = ['**/*.test.ts', 'test/**', 'bench/**'];

const rule = (regex, message) => ({ regex, message });
const noTestCode = rule(
  '(^|/)(test|bench)/|\\.test(\\.ts)?$',
  'production code never imports test or benchmark code.',
);
const onlyThrough = (part, how = `${part}/index.ts`, faces = 'index') =>
  rule(
    `(^|/)${part}/(?!(${faces})\\.ts$)`,
    `import ${part}/ only through ${how}; its other files are internal.`,
  );
// simulator/start.ts is a second, narrow face: only what starting a simulator needs (DECISIONS D28).
const throughSimulator = () =>
  onlyThrough('simulator', 'simulator/index.ts (or simulator/start.ts to start one)', 'index|start');
const never = (parts, who) =>
  rule(`(^|/)(${parts.join('|')})/`, `${who} must not import ${parts.map((p) => `${p}/`).join(', ')}.`);
const library = (name, where) => ({ name, message: `${name} is used only in ${where}.` });
const LIBRARIES = {
  ssh2: library('ssh2', 'simulator/sftp/ and client/transport/'),
  express: library('express', 'simulator/admin/'),
  commander: library('commander', 'cli/'),
};
const restrict = (patterns, allowedLibraries = []) => [
  'error',
  {
    paths: Object.entries(LIBRARIES)
      .filter(([name]) => !allowedLibraries.includes(name))
      .map(([, path]) => path),
    patterns: [noTestCode, ...patterns],
  },
];
const layer = (files, patterns, allowedLibraries) => ({
  files,
  ignores: TESTS,
  rules: { 'no-restricted-imports': restrict(patterns, allowedLibraries) },
});

const OUTSIDE = ['client', 'scenarios', 'cli', 'docker', 'testing'];

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
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  layer(PRODUCTION, []),
  // oclc/ is pure: OCLC's rules and formats, MARC readers and writers; no I/O, no other part.
  layer(
    ['oclc/**'],
    [
      never(['simulator', 'client', 'scenarios', 'cli', 'docker', 'testing'], 'oclc/'),
      rule(
        '^node:(?!buffer$|string_decoder$)',
        "oclc/ is pure: Node's buffer and string helpers only, no I/O.",
      ),
      rule('^(?!node:|\\.|marcjs$|saxes$|yaml$|zod$)', 'oclc/ uses only marcjs, saxes, yaml and zod.'),
    ],
  ),
  layer(['client/**'], [never(['simulator', 'scenarios', 'cli', 'docker', 'testing'], 'client/')]),
  layer(
    ['client/transport/**'],
    [never(['simulator', 'scenarios', 'cli', 'docker', 'testing'], 'client/')],
    ['ssh2'],
  ),
  layer(['simulator/**'], [never(OUTSIDE, 'simulator/')]),
  layer(['simulator/sftp/**'], [never(OUTSIDE, 'simulator/')], ['ssh2']),
  layer(['simulator/admin/**'], [never(OUTSIDE, 'simulator/')], ['express']),
  // Processing runs in the worker and knows nothing of the protocol edge.
  layer(['simulator/processing/**'], [never(OUTSIDE, 'simulator/'), never(['sftp', 'admin'], 'processing')]),
  layer(
    ['scenarios/**'],
    [throughSimulator(), onlyThrough('client'), never(['cli', 'docker', 'testing'], 'scenarios/')],
  ),
  layer(
    ['cli/**'],
    [
      throughSimulator(),
      onlyThrough('client'),
      onlyThrough('scenarios'),
      never(['docker', 'testing'], 'cli/'),
    ],
    ['commander'],
  ),
  layer(
    ['testing/**'],
    [throughSimulator(), onlyThrough('client'), never(['scenarios', 'cli', 'docker'], 'testing/')],
  ),
  // The testcontainers module is what a consumer imports: it uses only the package's public entry.
  layer(
    ['docker/**'],
    [never(['oclc', 'simulator', 'client', 'scenarios', 'cli', 'testing'], 'docker/ (use ../index.ts)')],
  ),
);
