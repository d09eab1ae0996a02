import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const SECRET = 'a-webhook-secret-of-some-length';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A real HTTP receiver on port 0; `answer` picks the status for each request. */
async function receiver(
  answer: (n: number) => number,
): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = answer(got.length);
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.statusCode = answered;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, server };
}

const bib = iso2709({
  fields: [
    ['001', 'n1'],
    ['008', '260115s2020    nyua          000 0 eng d'],
    ['035', '  ', 'a', '(OCoLC)555'],
    ['245', '10', 'a', 'A title'],
  ],
});

async function uploadOne(sim: TestSimulator): Promise<void> {
  await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
  const processed = sim.waitFor('file:processed');
  await client.put('metacoll/in/bib/1012676.pul.notify.mrc', bib);
  await processed;
}

describe('notifications: the outbox and signed webhooks', () => {
  it('records "reports ready" in the outbox and POSTs it signed; a 500 is retried with the same delivery id', async () => {
    const hook = await receiver((n) => (n === 0 ? 500 : 204));
    await using sim = await startTestSimulator({
      processing: 'immediate',
      notifications: {
        webhooks: [{ url: hook.url, events: ['outbox:*'], secret: SECRET }],
        retry: { attempts: 3, backoff: '50ms' },
      },
    });
    const delivered = sim.waitFor('webhook:delivered');
    await uploadOne(sim);
    const done = await delivered;
    hook.server.close();

    expect(done).toMatchObject({ url: hook.url, event: 'outbox:reports-ready', attempt: 2, status: 204 });
    // Only outbox events were asked for: no upload or SFTP event reached the receiver.
    expect(hook.got.map((r) => r.headers['x-datasync-event'])).toEqual([
      'outbox:reports-ready',
      'outbox:reports-ready',
    ]);
    const [first, second] = hook.got;
    expect(first?.headers['x-datasync-delivery']).toBe(second?.headers['x-datasync-delivery']);
    for (const r of hook.got) {
      const expected = createHmac('sha256', SECRET).update(r.body).digest('hex');
      expect(r.headers['x-datasync-signature']).toBe(`sha256=${expected}`);
      expect(r.headers['content-type']).toBe('application/json');
    }
    const payload = JSON.parse(second?.body ?? '{}') as {
      id: number;
      event: string;
      data: { to: string[]; subject: string };
    };
    expect(payload.event).toBe('outbox:reports-ready');
    expect(payload.data.to).toEqual(['PUL']);
    expect(payload.data.subject).toBe('WorldCat Data Sync: reports are ready for 1012676.pul.notify.mrc');

    const log = (await (await fetch(`${sim.adminUrl}/api/journal?type=webhook:*`)).json()) as {
      entries: { type: string; data: { attempt: number; status: number; retryInMs?: number | null } }[];
    };
    expect(log.entries.map((e) => [e.type, e.data.attempt, e.data.status, e.data.retryInMs])).toEqual([
      ['webhook:failed', 1, 500, 50],
      ['webhook:delivered', 2, 204, undefined],
    ]);

    const outbox = (await (await fetch(`${sim.adminUrl}/api/outbox?symbol=pul`)).json()) as {
      messages: { id: number; kind: string; to: string[]; fileId?: number; files: string[]; body: string }[];
    };
    expect(outbox.messages).toHaveLength(1);
    const [message] = outbox.messages;
    expect(message).toMatchObject({ id: payload.id, kind: 'reports-ready', to: ['PUL'] });
    expect(message?.files.some((f) => f.endsWith('.BibProcessingReport.txt'))).toBe(true);
    expect(message?.body).toContain('/xfer/metacoll/reports');
    const other = (await (await fetch(`${sim.adminUrl}/api/outbox?symbol=AB@`)).json()) as {
      messages: unknown[];
    };
    expect(other.messages).toEqual([]);
  });

  it('gives up after the configured attempts on a receiver that is not there, journalling each failure', async () => {
    const gone = await receiver(() => 200);
    const url = gone.url;
    await new Promise<void>((resolve) => gone.server.close(() => resolve()));
    await using sim = await startTestSimulator({
      processing: 'immediate',
      notifications: {
        webhooks: [{ url, events: ['file:processed'], secret: SECRET }],
        retry: { attempts: 2, backoff: '20ms' },
      },
    });
    const gaveUp = sim.waitFor('webhook:failed', (a) => a.retryInMs === null);
    await uploadOne(sim);
    const last = await gaveUp;
    expect(last).toMatchObject({ url, event: 'file:processed', attempt: 2, retryInMs: null });
    expect(last.reason).toMatch(/^could not connect/);
    expect(last.status).toBeUndefined();
  });

  it('every event by default (webhook:* never), and output deliveries reach the outbox', async () => {
    const hook = await receiver(() => 200);
    await using sim = await startTestSimulator({
      processing: 'immediate',
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          collections: [{ id: '1012676', type: 'bib', default: true, output: {} }],
        },
      ],
      notifications: { webhooks: [{ url: hook.url, secret: SECRET }] },
    });
    await uploadOne(sim);
    const outboxed = sim.waitFor('webhook:delivered', (a) => a.event === 'outbox:output-delivered');
    const [delivery] = await sim.output.deliver();
    await outboxed;
    hook.server.close();
    const events = new Set(hook.got.map((r) => r.headers['x-datasync-event']));
    for (const name of [
      'auth:accepted',
      'upload:received',
      'file:processed',
      'outbox:reports-ready',
      'output:delivered',
    ])
      expect(events).toContain(name);
    expect([...events].filter((e) => String(e).startsWith('webhook:'))).toEqual([]);
    const outbox = (await (await fetch(`${sim.adminUrl}/api/outbox?kind=output-delivered`)).json()) as {
      messages: { to: string[]; files: string[]; subject: string }[];
    };
    expect(outbox.messages).toEqual([
      expect.objectContaining({
        to: ['PUL'],
        files: delivery?.files,
        subject: expect.stringContaining('1 record delivered'),
      }),
    ]);
  });
});
