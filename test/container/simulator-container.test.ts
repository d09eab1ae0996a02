import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../client/publish.ts';
import { SftpConnection } from '../../client/transport/sftp-connection.ts';
import { SimulatorContainer, type StartedSimulatorContainer } from '../../docker/simulator-container.ts';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { tempDir } from '../support/temp-dir.ts';
import { containerEngine, type ContainerEngine } from './container-engine.ts';
import { docPages, pageBlocks } from '../docs/doc-blocks.ts';
import { openPageSession, walkPage } from '../docs/walk-doc-page.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Each run builds and removes its own tag, so runs never touch each other's images or anyone else's.
const IMAGE = `localhost/datasync-sim:test-${process.pid}-${Date.now()}`;
let engine: ContainerEngine | undefined;

/**
 * Builds the real image from docker/Dockerfile and drives it through SimulatorContainer: with an
 * existing Docker-compatible engine if one answers, else with podman set up offline (only
 * BASE_IMAGE differs then: a Debian base made here, since no registry is reachable).
 */
beforeAll(async () => {
  engine = await containerEngine();
  execFileSync(engine.cli, ['build', ...engine.buildArgs, '-f', 'docker/Dockerfile', '-t', IMAGE, '.'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}, 900_000);

afterAll(() => {
  if (!engine) return;
  execFileSync(engine.cli, ['rmi', '-f', IMAGE], { stdio: 'ignore' });
  engine.release();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('SimulatorContainer', () => {
  it('validates its builder options at once', () => {
    expect(() => new SimulatorContainer(IMAGE).withProcessing('soon')).toThrow(/processing "soon"/);
    expect(() => new SimulatorContainer(IMAGE).withInstitution({ symbol: 'A B', password: 'x' })).toThrow(
      /symbol "A B"/,
    );
    expect(() => new SimulatorContainer(IMAGE).withConfig('dataDir: /x\n')).toThrow(/no institutions/);
  });

  it('runs the image: publish with our client, process, reports over SFTP, holdings over the admin API, restart keeps state', async () => {
    let container: StartedSimulatorContainer | undefined;
    try {
      container = await new SimulatorContainer(IMAGE)
        .withInstitution({
          symbol: 'PUL',
          password: 'pul-secret',
          collections: [{ id: '1012676', type: 'bib', default: true }],
        })
        .withProcessing('immediate')
        .start();
      using dir = tempDir();
      const input = join(dir.path, 'export.mrc');
      writeFileSync(
        input,
        Buffer.concat([...generateBibRecords({ count: 50, seed: 12 })].map((r) => r.bytes)),
      );
      const profile = container.getProfile('PUL', { stateDir: join(dir.path, 'state') });
      const published = await publish({ profile, files: [input], jobId: '700' });
      expect(published.parts.map((p) => p.outcome)).toEqual(['uploaded', 'uploaded']);
      const files = await until('processing', async () => {
        const list = await container?.admin.files();
        return list?.length === 2 && list.every((f) => f.state === 'processed') ? list : undefined;
      });
      expect(files.map((f) => f.name).sort()).toEqual([
        '1012676.pul.bibs_700_delete.mrc',
        '1012676.pul.bibs_700_new.mrc',
      ]);
      const credentials = container.getCredentials('PUL');
      const reports = await (async () => {
        await using sftp = await SftpConnection.connect({
          host: container.getHost(),
          port: container.getSftpPort(),
          user: credentials.user,
          auth: { password: credentials.password },
          hostKey: { fingerprint: container.getHostKeyFingerprint() },
        });
        return (await sftp.list('metacoll/reports')).map((e) => e.name);
      })();
      expect(reports.filter((n) => n.endsWith('.BibProcessingReport.txt'))).toHaveLength(2);
      const holdings = await container.admin.holdings('PUL');
      expect(holdings.length).toBeGreaterThan(0);

      const fingerprint = (await container.admin.health()).sftp.hostKeyFingerprint;
      await container.restart();
      await until('the restarted simulator', async () => container?.admin.health().catch(() => undefined));
      expect((await container.admin.health()).sftp.hostKeyFingerprint).toBe(fingerprint);
      expect(await container.admin.holdings('PUL')).toEqual(holdings);
    } finally {
      await container?.stop();
    }
  }, 300_000);
});

describe('docs/ examples marked for the container tier (<!-- doc-test: container -->)', () => {
  const blocks = docPages(ROOT)
    .flatMap((page) => pageBlocks(ROOT, page))
    .filter((b) => b.mark.container);

  it('there is at least the testcontainers example', () => {
    expect(blocks.map((b) => b.page)).toContain('docs/docker.md');
  });

  for (const block of blocks) {
    it(`${block.page}:${block.line} runs against the image built here`, async () => {
      const session = await openPageSession(ROOT, block.page);
      const text = block.text.replaceAll("'datasync-sim:latest'", `'${IMAGE}'`);
      expect(text, 'the example names the image datasync-sim:latest').not.toBe(block.text);
      const failures = await walkPage(session, [{ ...block, text, mark: {} }]);
      expect(failures).toEqual([]);
    }, 300_000);
  }
});
