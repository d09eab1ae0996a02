import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A program embedding the simulator as a library user would, whose own listeners and predicate
 * throw. Run in its own process: an exception that escaped would end that process (uncaught
 * exception, unhandled rejection), which a test runner in the same process might swallow.
 */
const HOST = `
import { startTestSimulator, uploadFile, waitForOutcome } from '${join(ROOT, 'testing/index.ts')}';
const sim = await startTestSimulator();
const errors = [];
sim.events.on('listener:error', (e) => errors.push(e));
sim.events.on('listener:error', () => { throw new Error('a listener of listener:error throws too'); });
sim.events.on('upload:received', () => { throw new Error('sync listener boom'); });
sim.events.on('file:queued', async () => { throw new Error('async listener boom'); });
sim.events.onAny((event) => { if (event === 'file:processed') throw new Error('catch-all boom'); });
// Never awaited: its rejection must not end the process either.
sim.waitFor('file:processing', () => { throw new Error('predicate boom'); });
const started = sim.waitFor('upload:started', () => { throw new Error('awaited predicate boom'); });
const name = '1012676.pul.host-safety.mrc';
await uploadFile(sim, { user: 'fx_pul', password: 'pul-secret', data: Buffer.from('not MARC'), name });
const awaited = await started.then(() => 'resolved', (error) => error.message);
const file = await waitForOutcome(sim, name);
// Wait for the async listener's rejection and the catch-all to be reported.
while (errors.length < 5) await new Promise((resolve) => setImmediate(resolve));
const journalled = sim.journal.list({ type: 'listener:error' }).length;
await sim.stop();
console.log(JSON.stringify({ state: file.state, awaited, errors, journalled }));
`;

describe('a host process embedding the simulator', () => {
  it('survives listeners and waitFor predicates that throw; each is reported as listener:error', async () => {
    using dir = tempDir('datasync-host-');
    const host = join(dir.path, 'host.mts');
    writeFileSync(host, HOST);
    // From the package root, so `--import tsx` finds the package's own tsx.
    const result = await runProcess(process.execPath, ['--import', 'tsx', host], { cwd: ROOT });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout) as {
      state: string;
      awaited: string;
      errors: { event: string; source: string; message: string }[];
      journalled: number;
    };
    expect(outcome.state).toBe('processed');
    expect(outcome.awaited).toBe('The waitFor predicate for upload:started threw: awaited predicate boom');
    expect(outcome.errors).toEqual(
      expect.arrayContaining([
        { event: 'upload:started', source: 'waitFor', message: 'awaited predicate boom' },
        { event: 'upload:received', source: 'listener', message: 'sync listener boom' },
        { event: 'file:queued', source: 'listener', message: 'async listener boom' },
        { event: 'file:processing', source: 'waitFor', message: 'predicate boom' },
        { event: 'file:processed', source: 'listener', message: 'catch-all boom' },
      ]),
    );
    expect(outcome.errors).toHaveLength(5);
    expect(outcome.journalled).toBe(5);
  });
});
