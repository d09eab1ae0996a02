import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const DIST = fileURLToPath(new URL('../../dist/testing/index.js', import.meta.url));

describe('a waitFor still pending when the simulator stops', () => {
  it('rejects at once with SIMULATOR_STOPPED, naming the event; later ones too', async () => {
    const sim = await startTestSimulator();
    const pending = sim.waitFor('file:processed', () => true, { timeoutMs: 60_000 });
    const started = Date.now();
    await sim.stop();
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataSyncError);
    expect((error as DataSyncError).code).toBe('SIMULATOR_STOPPED');
    expect((error as Error).message).toContain(
      'Failed to wait for file:processed: the simulator was stopped',
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    await expect(sim.waitFor('file:queued')).rejects.toThrow(/wait for file:queued/);
  });

  it('is no unhandled rejection in a process that never awaited it', async () => {
    // A test that gave up on an event (or asserted otherwise) must not crash its runner later.
    const script = `
      const { startTestSimulator } = await import(${JSON.stringify(DIST)});
      const sim = await startTestSimulator();
      sim.waitFor('file:processed', () => true, { timeoutMs: 200 });
      sim.waitFor('file:queued');
      await sim.stop();
      await new Promise((resolve) => setTimeout(resolve, 400));
      console.log('still running');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toBe('still running\n');
    expect(code).toBe(0);
  });
});
