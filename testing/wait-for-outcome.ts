import type { StartedSimulator, UploadRecord } from '../simulator/index.ts';

const FINAL_STATES = new Set([
  'processed',
  'failed',
  'superseded',
  'halted',
  'refused',
  'incomplete',
  'removed',
]);

/**
 * Waits until the latest upload named `name` reaches a final state (processed, failed, halted…)
 * and returns its record. Resolves at once if it already has; listens to events, never sleeps.
 */
export function waitForOutcome(
  sim: StartedSimulator,
  name: string,
  options: { timeoutMs?: number } = {},
): Promise<UploadRecord> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const finish = (record: UploadRecord): void => {
      stop();
      clearTimeout(timer);
      resolve(record);
    };
    const stop = sim.events.onAny((_event, payload) => {
      const record = payload as Partial<UploadRecord>;
      if (record.name === name && record.state && FINAL_STATES.has(record.state))
        finish(record as UploadRecord);
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for "${name}" to be processed`));
    }, timeoutMs);
    const latest = sim.files
      .list()
      .filter((f) => f.name === name)
      .at(-1);
    if (latest && FINAL_STATES.has(latest.state)) finish(latest);
  });
}
