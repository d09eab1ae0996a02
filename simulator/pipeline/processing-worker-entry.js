// Worker threads do not inherit the TypeScript loader, so the worker registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./processing-worker.ts');
