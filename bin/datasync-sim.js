#!/usr/bin/env node
// Runs the compiled CLI (dist/, written by `npm run build`, which `npm ci` and `npm install` run).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/cli-entry.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'datasync-sim: the compiled CLI is missing (dist/cli/cli-entry.js). Run `npm run build` in the package folder.\n',
  );
  process.exit(2);
}
await import(entry.href);
