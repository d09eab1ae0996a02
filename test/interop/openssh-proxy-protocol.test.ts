import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { proxyV2, startHeaderProxy } from '../support/proxy-header-proxy.ts';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('OpenSSH sftp behind a load balancer sending PROXY protocol v2', () => {
  it('uploads, and the journal names the address the header announced', async () => {
    requireTools('sftp', 'sshpass');
    using dir = tempDir();
    writeFileSync(join(dir.path, 'records.mrc'), 'not really MARC, but bytes');
    await using sim = await startTestSimulator({ sftp: { proxyProtocol: true } });
    const client = { ip: '192.0.2.80', port: 61_000 };
    await using proxy = await startHeaderProxy(sim.sftp, proxyV2(client, { ip: '10.0.0.2', port: 2222 }));
    const received = sim.waitFor('upload:received');
    const result = await runOpenSshSftp({
      sim: { sftp: { host: proxy.host, port: proxy.port, hostPublicKey: sim.sftp.hostPublicKey } },
      dir: dir.path,
      user: 'fx_pul',
      password: 'pul-secret',
      batch: ['put records.mrc metacoll/in/bib/1012676.pul.proxied.mrc'],
    });
    expect(result.code, result.stderr).toBe(0);
    expect((await received).name).toBe('1012676.pul.proxied.mrc');
    const addresses = sim.journal
      .list({ type: 'sftp:operation' })
      .map((entry) => (entry.data as { address: string }).address);
    expect(addresses).toContain('192.0.2.80:61000');
  });
});
