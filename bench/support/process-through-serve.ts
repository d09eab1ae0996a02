// One processing measurement through `serve` as users run it: the file is uploaded with OpenSSH
// sftp to one simulator process, then a fresh `serve` on the same data dir processes it (POST
// /api/processing/run, timed once the admin API answers), so the peak RSS is processing's own,
// worker included.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sftpBatch } from './openssh.ts';
import { ROOT, runProcessing, startServe, writeBenchConfig } from './serve-process.ts';

export interface ProcessingRun {
  seconds: number;
  records: number;
  peakRssMb: number;
  /** With `uploadAlongside`: its upload speed with nothing processing, then during processing. */
  upload?: { idleMiBs: number; busyMiBs: number };
}

export async function processThroughServe(
  file: string,
  remotePath: string,
  dir: string,
  options: { uploadAlongside?: { file: string; mib: number } } = {},
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
  // A second client's upload, under a temporary name so it is never queued for processing.
  const extra = options.uploadAlongside;
  const uploadExtra = async (name: string): Promise<number> =>
    extra
      ? extra.mib /
        (await sftpBatch(
          { port: serve.sftpPort, user: 'fx_pul', password: 'bench' },
          [`put ${extra.file} metacoll/in/bib/${name}.part`],
          dir,
        ))
      : 0;
  try {
    // The admin API answers once its routes have loaded, on the turn after `serve` listens
    // (D28): ~100 ms of start-up that bench:startup measures, not processing. Wait for it first.
    await (await fetch(`${serve.adminUrl}/api/health`)).text();
    const idleMiBs = await uploadExtra('idle');
    const start = performance.now();
    const processing = runProcessing(serve.adminUrl);
    // Give the worker a moment to be busy with the file before the upload starts.
    const busy = extra
      ? new Promise<number>((resolve, reject) =>
          setTimeout(() => uploadExtra('busy').then(resolve, reject), 2000),
        )
      : Promise.resolve(0);
    const [[processed], busyMiBs] = await Promise.all([processing, busy]);
    const seconds = (performance.now() - start) / 1000;
    if (processed?.state !== 'processed') throw new Error(`the file ended ${processed?.state ?? 'missing'}`);
    return {
      seconds,
      records: processed.records,
      peakRssMb: serve.peakRssMb(),
      ...(extra ? { upload: { idleMiBs, busyMiBs } } : {}),
    };
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
