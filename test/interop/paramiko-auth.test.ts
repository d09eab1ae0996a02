import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

/** Runs a paramiko script; it prints one line per step, so a failure shows how far it got. */
async function paramiko(script: string): Promise<{ code: number | null; out: string }> {
  using dir = tempDir('datasync-paramiko-');
  const result = await runProcess('/usr/bin/python3', ['-c', script], { cwd: dir.path });
  return { code: result.code, out: result.out };
}

/** paramiko sends SSH_MSG_SERVICE_REQUEST ssh-userauth before each of these attempts. */
const tryPasswords = (sim: TestSimulator, passwords: string[]): string => `
import paramiko, socket
t = paramiko.Transport(('127.0.0.1', ${sim.sftp.port}))
t.start_client(timeout=10)
for password in ${JSON.stringify(passwords)}:
    try:
        t.auth_password('fx_pul', password)
        print('accepted', password)
        s = paramiko.SFTPClient.from_transport(t)
        print('listing', ','.join(sorted(s.listdir('metacoll/in'))))
        break
    except paramiko.AuthenticationException as e:
        print('refused', password)
    except (paramiko.SSHException, EOFError, socket.error) as e:
        print('dropped', password, type(e).__name__)
        break
t.close()
`;

describe('paramiko logs in as it does against OpenSSH sshd (one SERVICE_REQUEST per attempt)', () => {
  it('SSHClient.connect with a key the server does not know, then the password, logs in', async () => {
    requireTools('paramiko', 'ssh-keygen');
    await using sim = await startTestSimulator({ sftp: { host: '127.0.0.1', port: 0, defender: false } });
    using keys = tempDir('datasync-stray-key-');
    const stray = join(keys.path, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stray', '-f', stray]);
    const result = await paramiko(`
import paramiko
c = paramiko.SSHClient()
c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect('127.0.0.1', port=${sim.sftp.port}, username='fx_pul', password='pul-secret',
          key_filename=['${stray}'], look_for_keys=False, allow_agent=False, timeout=10)
s = c.open_sftp()
print('listing', ','.join(sorted(s.listdir('metacoll/in'))))
c.close()
`);
    expect(result.out).toContain('listing bib,lhr');
    expect(result.code).toBe(0);
    const refused = sim.journal.list({ type: 'auth:refused' });
    expect(refused.map((e) => (e.data as { method: string }).method)).toEqual(['publickey']);
  });

  it('wrong, wrong, right on one connection: logged in, both failures counted', async () => {
    requireTools('paramiko');
    await using sim = await startTestSimulator({ sftp: { host: '127.0.0.1', port: 0, defender: false } });
    const result = await paramiko(tryPasswords(sim, ['wrong-1', 'wrong-2', 'pul-secret']));
    expect(result.out.trim().split('\n')).toEqual([
      'refused wrong-1',
      'refused wrong-2',
      'accepted pul-secret',
      'listing bib,lhr',
    ]);
    expect(sim.journal.list({ type: 'auth:refused' })).toHaveLength(2);
    expect(sim.journal.list({ type: 'auth:accepted' })).toHaveLength(1);
  });

  it('maxAuthTries counts each attempt on one connection: the third wrong password closes it', async () => {
    requireTools('paramiko');
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, maxAuthTries: 3, defender: false },
    });
    const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'maxAuthTries');
    const result = await paramiko(tryPasswords(sim, ['wrong-1', 'wrong-2', 'wrong-3', 'pul-secret']));
    expect(await limited).toMatchObject({ reason: '3 failed login attempts on one connection' });
    const lines = result.out.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['refused wrong-1', 'refused wrong-2']);
    // The third is refused and the connection cut; paramiko may see either first.
    expect(lines[2]).toMatch(/^(refused|dropped) wrong-3/);
    expect(result.out).not.toContain('accepted');
    expect(sim.journal.list({ type: 'auth:refused' })).toHaveLength(3);
  });

  it('the defender counts each attempt: three wrong passwords on one connection ban the address', async () => {
    requireTools('paramiko');
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, defender: { threshold: 3, window: '5m', ban: '15m' } },
    });
    const banned = sim.waitFor('defender:banned');
    const result = await paramiko(tryPasswords(sim, ['wrong-1', 'wrong-2', 'wrong-3', 'pul-secret']));
    expect(await banned).toMatchObject({ address: '127.0.0.1', failures: 3 });
    expect(result.out).not.toContain('accepted');
    expect(sim.defender.list().map((b) => b.address)).toEqual(['127.0.0.1']);
  });
});
