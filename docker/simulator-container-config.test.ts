import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../simulator/config/load-config.ts';
import { SimulatorContainer } from './simulator-container.ts';

describe('SimulatorContainer configuration', () => {
  it('sets pickupDelay, the clock, processing and public keys, giving a valid simulator configuration', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE me@host';
    const container = new SimulatorContainer()
      .withInstitution({ symbol: 'PUL', password: 'pul-secret', publicKeys: [key] })
      .withPickupDelay('30s')
      .withClock('manual')
      .withProcessing('manual');
    const config = parseConfigText(container.configYaml(), 'container');
    expect(config).toMatchObject({ pickupDelayMs: 30_000, clock: 'manual', processing: { mode: 'manual' } });
    expect(config.institutions[0]?.publicKeys).toEqual([key]);
  });

  it('refuses a pickup delay or clock it cannot run with, when called', () => {
    expect(() => new SimulatorContainer().withPickupDelay('soon')).toThrow(/not a duration/);
    expect(() => new SimulatorContainer().withClock('lunar' as 'manual')).toThrow(/not system or manual/);
  });
});
