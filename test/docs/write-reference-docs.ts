// `npm run docs`: rewrites every generated part of docs/ (configuration keys, CLI help, admin API
// routes, scenario language) and scenarios/scenario.schema.json from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../../scenarios/scenario-json-schema.ts';
import { GENERATED_REGIONS, withRegion } from './reference-docs.ts';

const root = new URL('../../', import.meta.url);
for (const region of GENERATED_REGIONS) {
  const page = new URL(region.page, root);
  writeFileSync(page, withRegion(readFileSync(page, 'utf8'), region.name, region.generate()));
  process.stdout.write(`wrote ${region.page} (${region.name})\n`);
}
writeFileSync(
  new URL('scenarios/scenario.schema.json', root),
  `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
);
process.stdout.write('wrote scenarios/scenario.schema.json\n');
