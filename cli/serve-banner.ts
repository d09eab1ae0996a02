import { formatDuration } from '../oclc/duration.ts';
import type { LogFormat, StartedSimulator } from '../simulator/start.ts';

export interface BannerOptions {
  /** The embedded demo configuration: its passwords are printed (never a configured file's). */
  demo: boolean;
  format: LogFormat;
  /** An admin token serve made itself (DATASYNC_SIM_GENERATE_ADMIN_TOKEN), shown once. */
  generatedToken: string | undefined;
  /** ssh2's native crypto binding is missing: uploads run at half speed. */
  slowCrypto: boolean;
}

const SLOW_CRYPTO =
  "ssh2's native crypto binding is not built, so uploads run at about half speed; run `npm rebuild ssh2` (it needs a C++ compiler)";

/**
 * What `serve` says once it listens: lines for people, or with `--log-format json` one JSON
 * object (`event: "serve:listening"`) so a log shipper reads nothing but JSON.
 */
export function printBanner(sim: StartedSimulator, options: BannerOptions): void {
  if (options.format === 'json') {
    if (options.slowCrypto)
      process.stderr.write(`${jsonLine(sim, 'serve:warning', { message: SLOW_CRYPTO })}\n`);
    process.stdout.write(`${jsonLine(sim, 'serve:listening', bannerFields(sim, options))}\n`);
    return;
  }
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  if (options.generatedToken)
    out(`admin token ${options.generatedToken} (generated; set DATASYNC_ADMIN_TOKEN to choose one)`);
  out(`sftp listening on ${sim.sftp.host}:${sim.sftp.port}`);
  out(`admin listening on ${sim.adminUrl}`);
  out(`dashboard ${sim.adminUrl}/`);
  if (hasWsKeys(sim)) out(`metadata api ${sim.adminUrl}/worldcat (tokens from ${sim.adminUrl}/oauth/token)`);
  // One line per key: clients pin whichever type they negotiate (JSch ECDSA, OpenSSH Ed25519).
  for (const key of sim.sftp.hostKeys) out(`host key ${key.fingerprint} (${key.type})`);
  out(`data dir ${sim.config.dataDir}`);
  if (options.slowCrypto) process.stderr.write(`warning: ${SLOW_CRYPTO}\n`);
  out(
    `file names ${sim.config.fileNames}, pickup delay ${formatDuration(sim.config.pickupDelayMs)}, processing ${describeProcessing(sim)}`,
  );
  out(options.demo ? 'using the embedded demo configuration; accounts (user / password):' : 'accounts:');
  for (const inst of sim.config.institutions) {
    const secret = options.demo && inst.password ? ` / ${inst.password}` : '';
    out(`  ${inst.symbol.padEnd(6)} ${inst.accounts.current} (or ${inst.accounts.legacy})${secret}`);
    out(`         collections ${inst.collections.map((c) => `${c.id} ${c.type}`).join(', ')}`);
    if (inst.wskeys.length > 0)
      out(
        `         wskeys ${inst.wskeys.map((k) => (options.demo ? `${k.key} / ${k.secret}` : k.key)).join(', ')}`,
      );
  }
  out(
    `try: sftp -P ${sim.sftp.port} ${sim.config.institutions[0]?.accounts.current ?? 'fx_sym'}@${sim.sftp.host}`,
  );
  out('press Ctrl+C to stop');
}

/** The line `serve` prints when a signal stops it. */
export function printStopping(sim: StartedSimulator, format: LogFormat): void {
  process.stdout.write(format === 'json' ? `${jsonLine(sim, 'serve:stopping', {})}\n` : 'shutting down\n');
}

function bannerFields(sim: StartedSimulator, options: BannerOptions): Record<string, unknown> {
  return {
    sftp: {
      host: sim.sftp.host,
      port: sim.sftp.port,
      hostKeyFingerprint: sim.sftp.hostKeyFingerprint,
      hostKeys: sim.sftp.hostKeys.map(({ type, fingerprint }) => ({ type, fingerprint })),
    },
    adminUrl: sim.adminUrl,
    dashboardUrl: `${sim.adminUrl}/`,
    ...(hasWsKeys(sim)
      ? { metadataApi: { baseUrl: `${sim.adminUrl}/worldcat`, tokenUrl: `${sim.adminUrl}/oauth/token` } }
      : {}),
    dataDir: sim.config.dataDir,
    fileNames: sim.config.fileNames,
    pickupDelayMs: sim.config.pickupDelayMs,
    processing: describeProcessing(sim),
    configuration: options.demo ? 'demo' : 'configured',
    ...(options.generatedToken ? { generatedAdminToken: options.generatedToken } : {}),
    institutions: sim.config.institutions.map((inst) => ({
      symbol: inst.symbol,
      accounts: [inst.accounts.current, inst.accounts.legacy],
      ...(options.demo && inst.password ? { demoPassword: inst.password } : {}),
      collections: inst.collections.map((c) => ({ id: c.id, type: c.type })),
      wskeys: inst.wskeys.map((k) => ({ key: k.key, ...(options.demo ? { demoSecret: k.secret } : {}) })),
    })),
  };
}

function jsonLine(sim: StartedSimulator, event: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ time: new Date(sim.clock.now()).toISOString(), event, ...fields });
}

function describeProcessing(sim: StartedSimulator): string {
  const p = sim.config.processing;
  return p.mode === 'delay' ? `delay ${formatDuration(p.delayMs)}` : p.mode;
}

function hasWsKeys(sim: StartedSimulator): boolean {
  return sim.config.institutions.some((i) => i.wskeys.length > 0);
}
