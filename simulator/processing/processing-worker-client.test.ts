import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.ts';
import type { BibJob } from './bib-job.ts';
import { ProcessingWorkerClient } from './processing-worker-client.ts';

describe('ProcessingWorkerClient', () => {
  it('fails the file when the worker exits without an error event, and starts a new worker for the next', async () => {
    using dir = tempDir();
    const script = join(dir.path, 'exiting-worker.mjs');
    writeFileSync(
      script,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n",
    );
    const client = new ProcessingWorkerClient(Date.now, () => pathToFileURL(script));
    const job = { fileId: 1 } as BibJob;
    await expect(client.process(job)).rejects.toThrow(
      'the processing worker exited (code 3) before finishing the file',
    );
    await expect(client.process({ ...job, fileId: 2 })).rejects.toThrow(/exited \(code 3\)/);
    await client.stop();
  });
});

describe('processing.maxFileTime', () => {
  it('ends a file that holds the worker too long, and the next file gets a new worker', async () => {
    using dir = tempDir();
    const script = join(dir.path, 'busy-worker.mjs');
    writeFileSync(
      script,
      "import { parentPort } from 'node:worker_threads';\n" +
        "parentPort.on('message', (m) => { if (m.job.fileId === 1) for (;;); parentPort.postMessage({ type: 'failed', fileId: m.job.fileId, reason: 'second worker answered' }); });\n",
    );
    const client = new ProcessingWorkerClient(Date.now, () => pathToFileURL(script));
    await expect(client.process({ fileId: 1 } as BibJob, undefined, 300)).rejects.toThrow(
      'the file took longer than processing.maxFileTime (300ms)',
    );
    await expect(client.process({ fileId: 2 } as BibJob, undefined, 5_000)).rejects.toThrow(
      'second worker answered',
    );
    await client.stop();
  });
});

describe('spare workers', () => {
  it('hands an idle worker to the next client after stop, told first to release its data dir', async () => {
    using dir = tempDir();
    const script = join(dir.path, 'spare-worker.mjs');
    writeFileSync(
      script,
      "import { parentPort, threadId } from 'node:worker_threads';\nlet released = 0;\n" +
        "parentPort.on('message', (m) => { if (m.type === 'release') { released++; return; }\n" +
        "  parentPort.postMessage({ type: 'failed', fileId: m.job.fileId, reason: `thread ${threadId} released ${released}` }); });\n",
    );
    const first = new ProcessingWorkerClient(Date.now, () => pathToFileURL(script));
    const reason = await first.process({ fileId: 1 } as BibJob).then(
      () => '',
      (e: Error) => e.message,
    );
    const thread = /thread (\d+) released 0/.exec(reason)?.[1];
    expect(thread).toBeDefined();
    await first.stop();
    const second = new ProcessingWorkerClient(Date.now, () => pathToFileURL(script));
    await expect(second.process({ fileId: 1 } as BibJob)).rejects.toThrow(`thread ${thread} released 1`);
    await second.stop();
  });
});
