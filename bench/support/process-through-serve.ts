// One processing measurement through `serve` as users run it: the file is uploaded with OpenSSH
// sftp to one simulator process, then a fresh `serve` on the same data dir processes it (POST
// /api/processing/run), so the peak RSS is processing's own, worker included.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sftpBatch } from './openssh.ts';
import { ROOT, runProcessing, startServe, writeBenchConfig } from './serve-process.ts';

export interface ProcessingRun {
  seconds: number;
  records: number;
  peakRssMb: number;
}

export async function processThroughServe(
  file: string,
  remotePath: string,
  dir: string,
): Promise<ProcessingRun> {
  rmSync(dir, { recursive: true, force: true });
  const config = writeBenchConfig(dir);
  const upload = await startServe(config);
  try {
    await sftpBatch(
      { port: upload.sftpPort, user: 'fx_pul', password: 'bench' },
      [`put ${file} ${remotePath}`],
      dir,
    );
  } finally {
    await upload.stop();
  }
  const serve = await startServe(config);
  try {
    const start = performance.now();
    const [processed] = await runProcessing(serve.adminUrl);
    const seconds = (performance.now() - start) / 1000;
    if (processed?.state !== 'processed') throw new Error(`the file ended ${processed?.state ?? 'missing'}`);
    return { seconds, records: processed.records, peakRssMb: serve.peakRssMb() };
  } finally {
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * marcjs's stream parser on the same file, in its own process: records/s. It runs at nice 10, the
 * processing worker's priority, so on a shared machine both compete for the CPU alike.
 */
export function marcjsRate(file: string): number {
  const script = join(ROOT, 'bench', 'support', 'marcjs-parse.mjs');
  const result = spawnSync('nice', ['-n', '10', process.execPath, script, file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`marcjs baseline failed (exit ${result.status})`);
  const { seconds, records } = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as {
    seconds: number;
    records: number;
  };
  return records / seconds;
}
