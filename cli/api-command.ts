import { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { DataSyncError, EXIT_CODES } from '../oclc/error-catalogue.ts';
import { formatForName, readMarc } from '../oclc/marc/read-marc.ts';
import { writeIso2709 } from '../oclc/marc/write-iso2709.ts';
import { writeMarcxmlRecord } from '../oclc/marc/write-marcxml.ts';
import type { MetadataApiAnswer, MetadataApiClient, MarcMediaType } from '../client/index.ts';
import { inputFile } from './user-paths.ts';

interface ApiFlags {
  baseUrl: string;
  tokenUrl: string;
  key?: string;
  json?: boolean;
}

/** The simulator `serve` starts by default: its admin port, or DATASYNC_SIM_ADMIN_PORT as serve reads it. */
const LOCAL = `http://127.0.0.1:${/^\d+$/.test(process.env['DATASYNC_SIM_ADMIN_PORT'] ?? '') ? process.env['DATASYNC_SIM_ADMIN_PORT'] : '8080'}`;

/**
 * `datasync-sim api`: a WorldCat Metadata API 2.0 client for trainers and quick checks, against
 * the simulator (its default URLs) or any base URL, OCLC's included.
 */
export function apiCommand(): Command {
  const api = new Command('api')
    .summary("call the WorldCat Metadata API (the simulator's or OCLC's)")
    .description(
      'Call the WorldCat Metadata API 2.0 with a WSKey: get a token, set, unset and check holdings, match ' +
        'and validate records. The secret is read from OCLC_SECRET. The URLs default to a simulator on ' +
        'this machine (port 8080, or DATASYNC_SIM_ADMIN_PORT). Against OCLC, give ' +
        '--base-url https://metadata.api.oclc.org/worldcat --token-url https://oauth.oclc.org/token.',
    )
    .option('--base-url <url>', 'the API base URL', `${LOCAL}/worldcat`)
    .option('--token-url <url>', 'the token endpoint', `${LOCAL}/oauth/token`)
    .option('--key <wskey>', 'the WSKey (its secret comes from OCLC_SECRET)')
    .option('--json', 'print the answers as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 every answer succeeded (HTTP 2xx, and success: true where the answer has it), ' +
        '1 otherwise, 2 a usage mistake (no --key or OCLC_SECRET), 3 the token was refused, ' +
        '69 the server could not be reached.\n',
    );
  const run =
    (call: (client: MetadataApiClient, args: string[], flags: ApiFlags) => Promise<Outcome[]>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args.at(-1) as Command;
      const flags = command.optsWithGlobals<ApiFlags>();
      const client = await clientFor(flags, command.name());
      // Commander passes the arguments (a variadic one as an array), then the options, then the command.
      const positional = args
        .slice(0, -2)
        .flat()
        .filter((a): a is string => typeof a === 'string');
      const outcomes = await call(client, positional, flags);
      if (flags.json)
        process.stdout.write(
          `${JSON.stringify(
            outcomes.map((o) => o.answer),
            null,
            2,
          )}\n`,
        );
      else for (const o of outcomes) process.stdout.write(`${o.line}\n`);
      if (!outcomes.every((o) => o.ok)) process.exitCode = EXIT_CODES.failure;
    };
  api
    .command('token')
    .summary('get an access token and print it')
    .action(
      run(async (client) => {
        const token = await client.token();
        return [
          {
            ok: true,
            answer: token,
            line: `${token.access_token} (${token.token_type}, scopes ${token.scopes ?? '?'}), expires ${token.expires_at}`,
          },
        ];
      }),
    );
  api
    .command('set')
    .summary("set the institution's holding on each OCN")
    .argument('<ocn...>', 'OCLC numbers')
    .action(run((client, ocns) => each(ocns, (ocn) => client.set(ocn))));
  api
    .command('unset')
    .summary("unset the institution's holding on each OCN (its LHRs and LBDs go too)")
    .argument('<ocn...>', 'OCLC numbers')
    .action(run((client, ocns) => each(ocns, (ocn) => client.unset(ocn))));
  api
    .command('current')
    .summary('show whether the institution holds each OCN, and its current number')
    .argument('<ocn...>', 'OCLC numbers (asked ten at a time)')
    .action(run((client, ocns) => current(client, ocns)));
  api
    .command('match')
    .summary('match each record of a MARC file (.xml: MARCXML) to WorldCat')
    .argument('<file>', 'a MARC 21 or MARCXML file')
    .action(
      run((client, [file]) => perRecord(file ?? '', (body, type) => client.match(body, type), describeMatch)),
    );
  api
    .command('validate')
    .summary("validate each record of a MARC file against WorldCat's rules")
    .argument('<file>', 'a MARC 21 or MARCXML file')
    .action(
      run((client, [file]) =>
        perRecord(file ?? '', (body, type) => client.validate(body, type), describeValidation),
      ),
    );
  return api;
}

interface Outcome {
  ok: boolean;
  answer: unknown;
  line: string;
}

async function clientFor(flags: ApiFlags, action: string): Promise<MetadataApiClient> {
  if (!flags.key)
    throw new DataSyncError('API_SECRET_MISSING', {
      action: `run api ${action}`,
      key: '(none: give --key WSKEY)',
    });
  const secret = process.env['OCLC_SECRET'];
  if (!secret) throw new DataSyncError('API_SECRET_MISSING', { action: `run api ${action}`, key: flags.key });
  const { MetadataApiClient } = await import('../client/index.ts');
  return new MetadataApiClient({ baseUrl: flags.baseUrl, tokenUrl: flags.tokenUrl, key: flags.key, secret });
}

/** One outcome per answer: 2xx and, where the answer says, success: true. */
function outcome(answer: MetadataApiAnswer, line: string): Outcome {
  const success = (answer.body as { success?: unknown } | null)?.success;
  const ok = answer.status >= 200 && answer.status < 300 && success !== false;
  const failed =
    answer.status >= 300
      ? ` (HTTP ${answer.status}${answer.retryAfter !== undefined ? `, retry after ${answer.retryAfter} s` : ''}: ${brief(answer.body)})`
      : '';
  return { ok, answer: { status: answer.status, body: answer.body }, line: `${line}${failed}` };
}

async function each(
  ocns: readonly string[],
  call: (
    ocn: string,
  ) => Promise<MetadataApiAnswer<{ message?: string; success?: boolean; controlNumber?: string }>>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const ocn of ocns) {
    const answer = await call(ocn);
    const { message, success, controlNumber } = answer.body ?? {};
    const moved = controlNumber && controlNumber !== ocn ? ` (current number ${controlNumber})` : '';
    // An error answer's own text is shown once, after its status.
    const text = message && answer.status < 300 ? `${success === false ? 'not done: ' : ''}${message}` : '';
    outcomes.push(outcome(answer, `${ocn}: ${text}${moved}`.trim()));
  }
  return outcomes;
}

async function current(client: MetadataApiClient, ocns: readonly string[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < ocns.length; i += 10) {
    const answer = await client.current(ocns.slice(i, i + 10));
    const holdings = answer.status === 200 ? (answer.body.holdings ?? []) : [];
    const lines = holdings.map((h) =>
      h.currentControlNumber === null
        ? `${h.requestedControlNumber}: not in WorldCat`
        : `${h.requestedControlNumber}${h.currentControlNumber !== h.requestedControlNumber ? ` → ${h.currentControlNumber}` : ''}: ${h.holdingSet ? 'held' : 'not held'} by ${h.institutionSymbol}`,
    );
    outcomes.push(outcome(answer, lines.join('\n') || ocns.slice(i, i + 10).join(', ')));
  }
  return outcomes;
}

async function perRecord(
  file: string,
  call: (body: Buffer | string, type: MarcMediaType) => Promise<MetadataApiAnswer>,
  describe: (answer: MetadataApiAnswer) => string,
): Promise<Outcome[]> {
  const format = formatForName(inputFile(file, 'MARC file'));
  const outcomes: Outcome[] = [];
  let n = 0;
  for await (const item of readMarc(createReadStream(file), format)) {
    n++;
    if (item.kind !== 'record') {
      outcomes.push({
        ok: false,
        answer: { error: item.detail },
        line: `record ${n}: unreadable: ${item.detail}`,
      });
      continue;
    }
    const answer =
      format === 'marcxml'
        ? await call(
            writeMarcxmlRecord(item.record).replace(
              /^<marc:record>/,
              '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">',
            ),
            'application/marcxml+xml',
          )
        : await call(writeIso2709(item.record.leader, item.record.fields), 'application/marc');
    outcomes.push(outcome(answer, `record ${n}: ${describe(answer)}`));
  }
  return outcomes;
}

function describeMatch(answer: MetadataApiAnswer): string {
  const body = answer.body as {
    numberOfRecords?: number;
    briefRecords?: { oclcNumber: string; title?: string }[];
  };
  const best = body.briefRecords?.[0];
  if (answer.status !== 200) return 'not matched';
  return best ? `matched ${best.oclcNumber} "${best.title ?? ''}"` : 'no match in WorldCat';
}

function describeValidation(answer: MetadataApiAnswer): string {
  const status = (answer.body as { status?: { summary?: string; validationErrors?: { errors?: string[] } } })
    .status;
  if (status?.summary === 'VALID') return 'valid';
  const errors = status?.validationErrors?.errors ?? [];
  return `${(status?.summary ?? 'not validated').toLowerCase()}${errors.length > 0 ? `: ${errors.join(' ')}` : ''}`;
}

function brief(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
