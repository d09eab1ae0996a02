import { parseReport, parseReportName } from '../oclc/reports/parse-report.ts';
import { SftpConnection } from '../client/index.ts';
import { encodeSymbol } from '../oclc/symbol-encoding.ts';
import { ExpectationError, type ScenarioContext } from './scenario-context.ts';
import type { Scenario } from './scenario-schema.ts';
import { apiCall } from './api-step.ts';

type Expect = Scenario['expect'];

/** Checks the scenario's final expectations against the simulator; throws on the first miss. */
export async function checkExpectations(ctx: ScenarioContext, scenario: Scenario): Promise<void> {
  const expect = scenario.expect;
  await checkHoldings(ctx, expect.holdings);
  await checkLhrs(ctx, expect.lhrs);
  await checkFiles(ctx, expect.files);
  for (const report of expect.reports ?? []) await checkReport(ctx, scenario, report);
  for (const journal of expect.journal ?? []) await checkJournal(ctx, journal);
  for (const call of expect.api ?? []) await apiCall(ctx, call);
}

async function checkJournal(ctx: ScenarioContext, e: NonNullable<Expect['journal']>[number]): Promise<void> {
  const result = await ctx.target.admin.verifyJournal(e);
  if (!result.ok) throw new ExpectationError('journal', e, result.explanation);
}

async function checkHoldings(ctx: ScenarioContext, holdings: Expect['holdings']): Promise<void> {
  for (const [symbol, e] of Object.entries(holdings ?? {})) {
    const actual = await ctx.target.admin.holdings(symbol);
    const missing = (e.includes ?? []).filter((o) => !actual.includes(o));
    const present = (e.excludes ?? []).filter((o) => actual.includes(o));
    if (missing.length > 0)
      throw new ExpectationError(`holdings of ${symbol} should include`, e.includes, actual);
    if (present.length > 0)
      throw new ExpectationError(`holdings of ${symbol} should exclude`, e.excludes, actual);
    if (e.count !== undefined && actual.length !== e.count)
      throw new ExpectationError(`number of holdings of ${symbol}`, e.count, actual.length);
  }
}

async function checkLhrs(ctx: ScenarioContext, lhrs: Expect['lhrs']): Promise<void> {
  for (const [symbol, e] of Object.entries(lhrs ?? {})) {
    const actual = await ctx.target.admin.lhrs(symbol, e.ocn);
    const where = `LHRs of ${symbol}${e.ocn ? ` for OCN ${e.ocn}` : ''}`;
    if (e.count !== undefined && actual.length !== e.count)
      throw new ExpectationError(
        `number of ${where}`,
        e.count,
        actual.map((l) => l.lsn),
      );
    if (e.lsns !== undefined) {
      const lsns = actual.map((l) => l.lsn).sort();
      if (JSON.stringify(lsns) !== JSON.stringify([...e.lsns].sort()))
        throw new ExpectationError(where, [...e.lsns].sort(), lsns);
    }
  }
}

async function checkFiles(ctx: ScenarioContext, files: Expect['files']): Promise<void> {
  if (!files) return;
  const actual = await ctx.target.admin.files();
  for (const e of files) {
    const matching = actual.filter((f) => (e.name === undefined || f.name === e.name) && f.state === e.state);
    const ok = e.count === undefined ? matching.length > 0 : matching.length === e.count;
    if (!ok) {
      throw new ExpectationError(
        `files${e.name ? ` named ${e.name}` : ''} in state ${e.state}`,
        e.count ?? 'at least one',
        actual.map((f) => `${f.name}: ${f.state}${f.reason ? ` (${f.reason})` : ''}`),
      );
    }
  }
}

async function checkReport(
  ctx: ScenarioContext,
  scenario: Scenario,
  e: NonNullable<Expect['reports']>[number],
): Promise<void> {
  const institutions = scenario.given.institutions as { symbol: string; password?: string }[];
  const who = institutions.find((i) => i.symbol === (e.as ?? institutions[0]?.symbol));
  if (!who?.password)
    throw new Error(`reports expectation: no institution ${e.as ?? ''} with a password in given`);
  const { sftp } = ctx.target.health;
  await using connection = await SftpConnection.connect({
    host: sftp.host,
    port: sftp.port,
    user: `fx_${encodeSymbol(who.symbol).toLowerCase()}`,
    auth: { password: who.password },
    hostKey: { fingerprint: sftp.hostKeyFingerprint },
  });
  const names = (await connection.list('metacoll/reports'))
    .map((entry) => entry.name)
    .filter(
      (name) => parseReportName(name)?.report === e.kind && (e.file === undefined || name.includes(e.file)),
    );
  const rows: Record<string, string>[] = [];
  for (const name of names)
    rows.push(
      ...(parseReport(e.kind, (await connection.download(`metacoll/reports/${name}`)).toString('utf8'))
        .rows as Record<string, string>[]),
    );
  if (names.length === 0)
    throw new ExpectationError(
      `a ${e.kind}${e.file ? ` for ${e.file}` : ''}`,
      'present',
      'none in metacoll/reports',
    );
  if (e.count !== undefined && rows.length !== e.count)
    throw new ExpectationError(`rows in ${e.kind}`, e.count, rows);
  for (const wanted of e.rows ?? []) {
    const found = rows.some((row) => Object.entries(wanted).every(([key, value]) => row[key] === value));
    if (!found) throw new ExpectationError(`a row in ${e.kind}`, wanted, rows);
  }
}
