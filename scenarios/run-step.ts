import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PublishingProfile } from '../client/index.ts';
import { publish } from '../client/index.ts';
import { fetchReports } from '../client/index.ts';
import { SftpConnection } from '../client/index.ts';
import { writeback } from '../client/index.ts';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';
import { generateLhrRecords } from '../oclc/marc/generate-lhr-records.ts';
import { encodeSymbol } from '../oclc/symbol-encoding.ts';
import { ExpectationError, resolveFile, type ScenarioContext } from './scenario-context.ts';
import { parseSftpCommand } from './parse-sftp-command.ts';
import type { ScenarioStep } from './scenario-schema.ts';
import { apiCall } from './api-step.ts';

/** Runs one step; a failed expectation throws an ExpectationError with expected and actual. */
export async function runStep(ctx: ScenarioContext, step: ScenarioStep): Promise<void> {
  if ('generate' in step) return generate(ctx, step.generate);
  if ('publish' in step) return publishStep(ctx, step.publish);
  if ('process' in step) {
    const processed = await ctx.target.admin.processNow();
    ctx.log.push(`processed ${processed.map((f) => `${f.name} → ${f.state}`).join(', ') || 'nothing'}`);
    return;
  }
  if ('sftp' in step) return sftpStep(ctx, step.sftp);
  if ('openssh' in step) return opensshStep(ctx, step.openssh);
  if ('fault' in step) {
    const id = await ctx.target.admin.addFault(step.fault);
    ctx.log.push(`added fault rule ${id}: ${JSON.stringify(step.fault)}`);
    return;
  }
  if ('api' in step) return apiCall(ctx, step.api);
  if ('advanceClock' in step) {
    await ctx.target.admin.advanceClock(step.advanceClock);
    ctx.log.push(`advanced the clock by ${step.advanceClock}`);
    return;
  }
  if ('fetchReports' in step) {
    if (!ctx.lastProfile)
      throw new Error(
        'fetchReports needs an earlier publish step (it fetches the reports of what was published)',
      );
    const result = await fetchReports({ profile: ctx.lastProfile, outDir: join(ctx.work, 'reports') });
    ctx.log.push(`fetched ${result.downloaded.length} report(s)`);
    return;
  }
  if ('restart' in step) {
    await ctx.target.restart();
    ctx.log.push('restarted the simulator on the same data dir');
    return;
  }
  return writebackStep(ctx, step.writeback);
}

type Step<K extends string> = Extract<ScenarioStep, Record<K, unknown>>[K &
  keyof Extract<ScenarioStep, Record<K, unknown>>];

function generate(ctx: ScenarioContext, g: Step<'generate'>): void {
  const records =
    g.kind === 'lhr'
      ? generateLhrRecords({
          count: g.count,
          seed: g.seed,
          symbol: g.symbol ?? 'PUL',
          copiesPerOcn: g.copiesPerOcn,
          defects: g.defects,
        })
      : generateBibRecords({ count: g.count, seed: g.seed, defects: g.defects });
  writeFileSync(join(ctx.work, g.as), Buffer.concat([...records].map((r) => r.bytes)));
  ctx.log.push(`generated ${g.count} ${g.kind} records as ${g.as}`);
}

async function publishStep(ctx: ScenarioContext, p: Step<'publish'>): Promise<void> {
  const { sftp } = ctx.target.health;
  const profile: PublishingProfile = {
    name: 'scenario',
    symbol: p.profile.symbol,
    encodedSymbol: encodeSymbol(p.profile.symbol).toLowerCase(),
    collectionId: p.profile.collectionId,
    kind: p.profile.kind,
    label: p.profile.label,
    sftp: {
      host: sftp.host,
      port: sftp.port,
      subDirectory: `metacoll/in/${p.profile.kind}`,
      user: p.profile.user ?? `fx_${encodeSymbol(p.profile.symbol).toLowerCase()}`,
      auth: { password: p.profile.password },
      hostKey: { fingerprint: sftp.hostKeyFingerprint },
      retries: 0,
    },
    limits: {
      maxFileSize: p.profile.maxFileSize ?? Number.MAX_SAFE_INTEGER,
      maxRecordsPerFile: p.profile.maxRecordsPerFile ?? Number.MAX_SAFE_INTEGER,
    },
    stateDir: join(ctx.work, 'client-state'),
  };
  ctx.lastProfile = profile;
  const expectFail = p.expect?.fails ?? false;
  try {
    const result = await publish({
      profile,
      files: p.files.map((f) => resolveFile(ctx, f)),
      jobId: p.jobId ?? '1',
    });
    ctx.log.push(`published ${result.parts.map((x) => `${x.name} (${x.records} records)`).join(', ')}`);
    if (expectFail)
      throw new ExpectationError(
        'publish should have failed',
        { fails: true, message: p.expect?.message },
        { fails: false },
      );
    if (p.expect?.parts !== undefined && result.parts.length !== p.expect.parts) {
      throw new ExpectationError(
        'publish made a different number of parts',
        p.expect.parts,
        result.parts.length,
      );
    }
  } catch (error) {
    if (error instanceof ExpectationError || !expectFail) throw error;
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.push(`publish failed as expected: ${message}`);
    if (p.expect?.message && !message.includes(p.expect.message)) {
      throw new ExpectationError('publish failed with another message', p.expect.message, message);
    }
  }
}

async function sftpStep(ctx: ScenarioContext, s: Step<'sftp'>): Promise<void> {
  const { sftp } = ctx.target.health;
  let failure: string | undefined;
  try {
    await using connection = await SftpConnection.connect({
      host: sftp.host,
      port: sftp.port,
      user: s.user,
      auth: { password: s.password },
      hostKey: { fingerprint: sftp.hostKeyFingerprint },
    });
    for (const command of s.commands) {
      ctx.log.push(`sftp ${s.user}: ${command}`);
      await runSftpCommand(ctx, connection, command);
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    ctx.log.push(`  failed: ${failure}`);
  }
  checkFailure('sftp', s.expect, failure);
}

async function runSftpCommand(ctx: ScenarioContext, connection: SftpConnection, text: string): Promise<void> {
  const command = parseSftpCommand(text);
  if ('error' in command) throw new Error(command.error);
  switch (command.verb) {
    case 'put':
      return connection.upload(command.remote, readFileSync(resolveFile(ctx, command.local)));
    case 'get':
      await connection.download(command.path);
      return;
    case 'ls':
      ctx.log.push(`  ${(await connection.list(command.path)).map((e) => e.name).join(' ') || '(empty)'}`);
      return;
    case 'rm':
      return connection.remove(command.path);
    case 'rename':
      return connection.rename(command.from, command.to);
    case 'mkdir':
      return connection.mkdir(command.path);
  }
}

function checkFailure(
  what: string,
  expect: { fails: boolean; message?: string | undefined } | undefined,
  failure: string | undefined,
): void {
  const fails = expect?.fails ?? false;
  if (fails && failure === undefined)
    throw new ExpectationError(
      `${what} should have failed`,
      { fails: true, message: expect?.message },
      { fails: false },
    );
  if (!fails && failure !== undefined)
    throw new ExpectationError(`${what} failed`, { fails: false }, { fails: true, message: failure });
  if (fails && expect?.message && !failure?.includes(expect.message)) {
    throw new ExpectationError(`${what} failed with another message`, expect.message, failure);
  }
}

async function opensshStep(ctx: ScenarioContext, o: Step<'openssh'>): Promise<void> {
  const { sftp } = ctx.target.health;
  const batch = join(ctx.work, `batch-${ctx.log.length}.txt`);
  writeFileSync(batch, `${o.batch.join('\n')}\n`);
  for (const line of o.batch) {
    const local = /^-?put\s+(\S+)/.exec(line)?.[1];
    if (local) {
      try {
        copyFileSync(resolveFile(ctx, local), join(ctx.work, basename(local)));
      } catch {
        // Not a fixture: the batch may name a file that does not exist on purpose.
      }
    }
  }
  const knownHosts = join(ctx.work, 'known_hosts');
  writeFileSync(knownHosts, '');
  const args = [
    '-p',
    o.password,
    'sftp',
    '-oBatchMode=no',
    '-oStrictHostKeyChecking=no',
    `-oUserKnownHostsFile=${knownHosts}`,
    '-oPubkeyAuthentication=no',
    `-oUser=${o.user}`,
    '-P',
    String(sftp.port),
    '-b',
    batch,
    sftp.host,
  ];
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn('sshpass', args, { cwd: ctx.work });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (error) =>
        reject(
          new Error(`cannot run sshpass/sftp (apt-get install -y sshpass openssh-client): ${error.message}`),
        ),
      );
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    },
  );
  ctx.log.push(
    `openssh sftp ${o.user}: exit ${result.code}; ${result.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('Warning: Permanently added'))
      .join(' / ')}`,
  );
  const e = o.expect ?? { exitCode: 0 };
  if (e.exitCode !== undefined && result.code !== e.exitCode)
    throw new ExpectationError('openssh sftp exit code', e.exitCode, result.code);
  if (e.stderr !== undefined && !result.stderr.includes(e.stderr))
    throw new ExpectationError('openssh sftp stderr', e.stderr, result.stderr);
  if (e.stdout !== undefined && !result.stdout.includes(e.stdout))
    throw new ExpectationError('openssh sftp stdout', e.stdout, result.stdout);
}

async function writebackStep(ctx: ScenarioContext, w: Step<'writeback'>): Promise<void> {
  const result = await writeback(join(ctx.work, 'reports'), resolveFile(ctx, w.records));
  writeFileSync(join(ctx.work, `${basename(w.records)}.written-back.mrc`), result.output);
  ctx.log.push(
    `write-back: ${result.added} added, ${result.replaced} replaced, ${result.unchanged} unchanged`,
  );
  for (const key of ['added', 'replaced', 'unchanged'] as const) {
    const wanted = w.expect?.[key];
    if (wanted !== undefined && result[key] !== wanted)
      throw new ExpectationError(`write-back ${key}`, wanted, result[key]);
  }
}

/** Splits a command line into words; "double quotes" keep spaces inside a name. */
