import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const IN_BIB = '/xfer/metacoll/in/bib';

describe('error messages', () => {
  it('never contain a path of the server disk, over SFTP or HTTP', async () => {
    await using sim = await startTestSimulator({ clock: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(`${IN_BIB}/exists.mrc.part`, 'x');
    const messages: string[] = [];
    const collect = async (action: Promise<unknown>): Promise<void> => {
      await action.then(
        () => messages.push('(no error)'),
        (e: Error) => messages.push(e.message),
      );
    };
    await collect(client.get(`${IN_BIB}/missing.mrc`));
    await collect(client.open('/xfer/metacoll/reports/x.mrc', 'w'));
    await collect(client.open(`${IN_BIB}/1012676.pul.${'n'.repeat(300)}.mrc`, 'w'));
    await collect(client.open(`${IN_BIB}/bad name.mrc`, 'w'));
    await collect(client.open(`${IN_BIB}/${'t'.repeat(300)}.part`, 'w'));
    await collect(client.readdir(`${IN_BIB}/exists.mrc.part`));
    await collect(client.rename(`${IN_BIB}/missing.part`, `${IN_BIB}/other.part`));
    await collect(client.rename(`${IN_BIB}/exists.mrc.part`, `${IN_BIB}/exists.mrc.part`));
    await collect(client.unlink(`${IN_BIB}/missing.mrc`));
    await collect(client.mkdir(`${IN_BIB}/sub`));
    await collect(client.rmdir('/xfer/metacoll'));
    await collect(client.stat('/xfer/../../etc/passwd'));
    await collect(client.stat(`${IN_BIB}/a\0b`));
    await collect(client.open('/xfer/metacoll/in', 'r'));
    for (const path of ['/api/files/99', '/api/files/x', '/api/institutions/NOPE/holdings', '/api/nothing']) {
      const res = await fetch(`${sim.adminUrl}${path}`);
      messages.push(((await res.json()) as { error: { message: string } }).error.message);
    }
    const json = { 'content-type': 'application/json' };
    for (const body of ['{"by": ', '{"by": "soon"}', JSON.stringify({ by: 'x'.repeat(200_000) })]) {
      const res = await fetch(`${sim.adminUrl}/api/clock/advance`, { method: 'POST', headers: json, body });
      messages.push(((await res.json()) as { error: { message: string } }).error.message);
    }
    expect(messages.filter((m) => m !== '(no error)').length).toBeGreaterThanOrEqual(20);
    for (const message of messages) {
      expect(message).not.toContain(sim.dataDir);
      expect(message).not.toMatch(/\/tmp\/|datasync-sim-test-/);
    }
  });
});

describe('admin API answers and the event stream', () => {
  it('name stored copies relative to the data dir and never carry a server path', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(`${IN_BIB}/1012676.pul.where.mrc`, 'x');
    const [file] = sim.files.list();
    const answers: string[] = [];
    for (const path of [
      '/api/files',
      `/api/files/${file?.id}`,
      '/api/journal',
      `/api/files/${file?.id}/timeline`,
    ]) {
      answers.push(await (await fetch(`${sim.adminUrl}${path}`)).text());
    }
    const listed = JSON.parse(answers[0] ?? '{}') as { files: { storedPath: string | null }[] };
    expect(listed.files[0]?.storedPath).toBe(`queue/${file?.id}-1012676.pul.where.mrc`);
    // The event stream, replayed from the journal and live.
    const stream = await fetch(`${sim.adminUrl}/api/events?since=0`);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await sim.processing.run();
    let text = '';
    while (!/event: file:(processed|failed)/.test(text))
      text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    answers.push(text);
    expect(text).toContain(`"storedPath":"queue/${file?.id}-1012676.pul.where.mrc"`);
    for (const answer of answers) {
      expect(answer).not.toContain(sim.dataDir);
      expect(answer).not.toMatch(/\/tmp\//);
    }
  });
});
