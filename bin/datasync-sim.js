#!/usr/bin/env node
// The sources are TypeScript; tsx compiles them on load so `npx datasync-sim` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv);
