// Writes scenarios/scenario.schema.json from the zod schema, for editor completion.
// Run: npm run scenario:schema (a test fails when the committed file is stale).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from './scenario-json-schema.ts';

writeFileSync(
  new URL('./scenario.schema.json', import.meta.url),
  `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
);
