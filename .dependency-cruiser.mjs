// The architecture as rules. `npm run lint` fails on any import below that breaks one; type-only
// imports and dynamic import() count like any other. docs/architecture.md draws it; DECISIONS D40.

/** The top-level parts and the only other parts each may import (`entry` is the package's index.ts). */
const PARTS = {
  oclc: [],
  simulator: ['oclc'],
  client: ['oclc'],
  scenarios: ['oclc', 'simulator', 'client'],
  testing: ['oclc', 'simulator', 'client'],
  cli: ['oclc', 'simulator', 'client', 'scenarios'],
  docker: ['entry', 'oclc', 'scenarios'],
};

/**
 * Parts with a face: others import them only through index.ts; simulator/ also through start.ts
 * and contract.ts (the admin API's schemas alone), scenarios/ through admin-client.ts (the client
 * alone): the light faces let datasync-sim/testcontainers load no native module.
 */
const FACES =
  '^(simulator|client|scenarios|testing)/index[.]ts$|^simulator/(start|contract)[.]ts$|^scenarios/admin-client[.]ts$';

/** Inside simulator/, four layers; an import points down, or across without a cycle. */
const LAYERS = {
  base: ['config', 'logging', 'clock'],
  stores: ['storage', 'worldcat', 'journal', 'events', 'namespaces'],
  stages: ['intake', 'processing', 'reports', 'faults', 'check', 'output', 'notifications', 'metrics'],
  edges: ['sftp', 'admin', 'metadata-api'],
};
/** The StartedSimulator type: what start-simulator.ts builds and the edges serve. */
const STARTED = '^simulator/started-simulator[.]ts$';
/** The composition root (start-simulator.ts wires the layers) and the faces that re-export it. */
const ROOT = '^simulator/(?!started-simulator[.]ts$)[^/]+[.]ts$';

/** Libraries that stay at their edges, and the only folders that may import each. */
const LIBRARY_HOMES = {
  ssh2: ['simulator/sftp', 'client/transport'],
  express: ['simulator/admin', 'simulator/metadata-api'],
  commander: ['cli'],
  marcjs: ['oclc/marc'],
  'prom-client': ['simulator/metrics'],
};

const TESTS = ['[.]test[.]ts$', '^test/', '^bench/'];
const partPath = (part) => (part === 'entry' ? '^index[.]ts$' : `^${part}/`);
const layerPath = (...layers) => `^simulator/(${layers.flatMap((l) => LAYERS[l]).join('|')})/`;
const npm = (names) => `^node_modules/(${names.join('|')})/`;

/** One forbidden arrow: production code matching `from` must not import what matches `to`. */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { ...from, pathNot: [...TESTS, ...[from.pathNot ?? []].flat()] },
  to,
});

const ORDER = Object.keys(LAYERS);
const partRules = Object.entries(PARTS).map(([part, allowed]) =>
  forbid(
    `${part}-imports`,
    `${part}/ imports ${allowed.length ? `only ${allowed.join(', ')}` : 'nothing else of ours'}.`,
    { path: partPath(part) },
    {
      path: ['entry', ...Object.keys(PARTS)].filter((p) => p !== part && !allowed.includes(p)).map(partPath),
    },
  ),
);
const layerRules = ORDER.map((layer, i) => {
  const above = ORDER.slice(i + 1);
  return forbid(
    `simulator-${layer}`,
    `simulator/${layer} (${LAYERS[layer].join(', ')}) imports only the layers below it` +
      `${above.length ? `, not ${above.join(', ')}` : ''}, nor the composition root. ` +
      'Move what is shared down to the layer that owns it.',
    { path: layerPath(layer) },
    { path: [...(above.length ? [layerPath(...above)] : []), ...(layer === 'edges' ? [] : [STARTED]), ROOT] },
  );
});
const libraryRules = Object.entries(LIBRARY_HOMES).map(([library, homes]) =>
  forbid(
    `${library}-at-its-edge`,
    `${library} is used only in ${homes.map((h) => `${h}/`).join(' and ')}.`,
    { pathNot: `^(${homes.join('|')})/` },
    { path: npm([library]) },
  ),
);

export default {
  forbidden: [
    ...partRules,
    forbid(
      'through-faces',
      'Parts talk through their faces (index.ts; simulator/start.ts and contract.ts; scenarios/admin-client.ts); their other files are internal.',
      { path: '^([^/]+)/' },
      { path: '^(simulator|client|scenarios|testing)/', pathNot: ['^$1/', FACES] },
    ),
    forbid(
      'oclc-no-io',
      "oclc/ is pure: of Node's modules it uses buffer and string_decoder only.",
      { path: '^oclc/' },
      { dependencyTypes: ['core'], pathNot: '^(buffer|string_decoder)$' },
    ),
    forbid(
      'process-flags-at-the-entry',
      'V8 flags and an exposed gc are one per process: only the CLI sets them, as a process starts ' +
        '(cli/keep-young-generation-small.ts); code a user imports leaves the process as it found it.',
      { path: '^(simulator|client|scenarios|testing|docker|oclc)/|^index[.]ts$' },
      { dependencyTypes: ['core'], path: '^(v8|vm)$' },
    ),
    forbid(
      'oclc-libraries',
      'oclc/ uses only marcjs, saxes, yaml and zod.',
      { path: '^oclc/' },
      {
        dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-no-pkg'],
        pathNot: npm(['marcjs', 'saxes', 'yaml', 'zod']),
      },
    ),
    ...layerRules,
    forbid(
      'simulator-started-type',
      'started-simulator.ts is the type the edges serve: it names stores and stages, not edges.',
      { path: STARTED },
      { path: [layerPath('edges'), ROOT] },
    ),
    forbid(
      'simulator-folder-has-a-layer',
      'Every folder in simulator/ has a layer: add it to LAYERS in .dependency-cruiser.mjs.',
      { path: '^simulator/[^/]+/', pathNot: layerPath(...ORDER) },
      { path: '.' },
    ),
    ...libraryRules,
    forbid('no-test-code', 'Production code never imports test or benchmark code.', {}, { path: TESTS }),
    forbid(
      'no-cycle',
      'No module imports itself round a loop (type imports included).',
      {},
      { circular: true },
    ),
    {
      name: 'no-folder-cycle',
      comment: 'No two folders import each other, directly or round a loop (type imports included).',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: '^node_modules/' },
    // Tests wire whatever they test (each is a composition root of its own): the graph leaves them out.
    exclude: { path: '[.]test[.]ts$' },
  },
};
