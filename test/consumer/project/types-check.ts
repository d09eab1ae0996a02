// A consumer's TypeScript: every public entry point, type-checked with `tsc --noEmit --strict`.
import { AdminClient, startSimulator, type StartedSimulator } from 'datasync-sim';
import { startTestSimulator, uploadFile, waitForOutcome } from 'datasync-sim/testing';
import { SimulatorContainer } from 'datasync-sim/testcontainers';

export async function roundTrip(): Promise<string[]> {
  await using sim = await startTestSimulator();
  await uploadFile(sim, {
    user: 'fx_pul',
    password: 'pul-secret',
    data: Buffer.alloc(0),
    name: '1012676.pul.x.mrc',
  });
  const file = await waitForOutcome(sim, '1012676.pul.x.mrc');
  const running: StartedSimulator = sim;
  void running.adminUrl;
  void startSimulator;
  void file.state;
  return new AdminClient(sim.adminUrl).holdings('PUL');
}

export function container(): SimulatorContainer {
  return new SimulatorContainer('datasync-sim:latest').withInstitution({ symbol: 'PUL', password: 'x' });
}
