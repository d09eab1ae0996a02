// Upload speed with OpenSSH `sftp`: one large file to the simulator (`serve` as users run it) and
// to a throwaway OpenSSH sshd started here, interleaved, median of the rounds. Also prints the
// simulator's peak RSS over the uploads.
// Run: npm run bench:upload [-- MiB rounds]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sftpBatch, startSshd } from './support/openssh.ts';
import { buildOnce, median, startServe, writeBenchConfig } from './support/serve-process.ts';

const mib = Number(process.argv[2] ?? 1024);
const rounds = Number(process.argv[3] ?? 3);
buildOnce();
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-upload-'));
const file = join(dir, 'upload.mrc');
// Random bytes: nothing on the way can compress them.
spawnSync('sh', ['-c', `head -c ${mib * 1024 * 1024} /dev/urandom > ${file}`]);
const received = join(dir, 'sshd-received');
spawnSync('mkdir', ['-p', received]);

const serve = await startServe(writeBenchConfig(join(dir, 'sim')));
const sshd = await startSshd(join(dir, 'sshd'));
const simulator: number[] = [];
const openssh: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    const toSim = await sftpBatch(
      { port: serve.sftpPort, user: 'fx_pul', password: 'bench' },
      [`put ${file} metacoll/in/bib/1012676.pul.upload${round}.mrc`],
      dir,
    );
    const toSshd = await sftpBatch(sshd, [`put ${file} ${join(received, `upload${round}.mrc`)}`], dir);
    rmSync(join(received, `upload${round}.mrc`), { force: true });
    simulator.push(mib / toSim);
    openssh.push(mib / toSshd);
    console.log(
      `round ${round + 1}: simulator ${(mib / toSim).toFixed(1)} MiB/s, openssh ${(mib / toSshd).toFixed(1)} MiB/s`,
    );
  }
  console.log(`simulator peak RSS over the uploads: ${serve.peakRssMb().toFixed(0)} MB`);
} finally {
  await sshd.stop();
  await serve.stop();
  rmSync(dir, { recursive: true, force: true });
}
const [x, y] = [median(simulator), median(openssh)];
console.log(`upload: ${x.toFixed(1)} MiB/s, openssh: ${y.toFixed(1)} MiB/s, ratio ${(x / y).toFixed(2)}`);
