// One phase of bench/processing.ts, run in its own process so its peak RSS is its own.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Marc } from 'marcjs';
import { defineConfig } from '../simulator/config/load-config.ts';
import { startSimulator } from '../simulator/start-simulator.ts';
import { connectAs } from '../test/support/sftp-test-client.ts';
import { TEST_INSTITUTIONS } from '../test/support/test-simulator.ts';

const [name = '', a = '', b = ''] = process.argv.slice(2);

function config(dataDir: string) {
  return defineConfig({
    dataDir,
    processing: 'manual',
    sftp: { port: 0 },
    admin: { port: 0 },
    institutions: TEST_INSTITUTIONS,
  });
}

function report(result: object): void {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ maxRssMb, ...result }));
}

if (name === 'upload') {
  const sim = await startSimulator(config(join(a, 'data')));
  const client = await connectAs(sim, 'fx_pul', 'pul-secret');
  const handle = await client.open(`metacoll/in/bib/${basename(b)}`, 'w');
  const fd = openSync(b, 'r');
  const size = statSync(b).size;
  const chunk = 32 * 1024;
  for (let offset = 0; offset < size; offset += chunk * 32) {
    const writes: Promise<void>[] = [];
    for (let o = offset; o < Math.min(size, offset + chunk * 32); o += chunk) {
      const buffer = Buffer.alloc(Math.min(chunk, size - o));
      readSync(fd, buffer, 0, buffer.length, o);
      writes.push(client.write(handle, buffer, o));
    }
    await Promise.all(writes);
  }
  closeSync(fd);
  await client.close(handle);
  await client[Symbol.asyncDispose]();
  await sim.stop();
  report({ seconds: 0, records: 0 });
} else if (name === 'process') {
  const sim = await startSimulator(config(join(a, 'data')));
  const start = performance.now();
  const [file] = await sim.processing.run();
  const seconds = (performance.now() - start) / 1000;
  if (file?.state !== 'processed')
    throw new Error(`file ended ${file?.state ?? 'missing'}: ${file?.reason ?? ''}`);
  await sim.stop();
  report({ seconds, records: file.summary?.records ?? 0 });
} else if (name === 'marcjs') {
  const start = performance.now();
  const parser = Marc.createStream('Iso2709', 'Parser');
  let records = 0;
  parser.on('data', () => records++);
  createReadStream(a).pipe(parser);
  await new Promise((resolve) => parser.on('end', resolve));
  report({ seconds: (performance.now() - start) / 1000, records });
}
