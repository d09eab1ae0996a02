import { z } from 'zod';
import { parseByteSize } from '../../oclc/byte-size.ts';
import { parseDuration } from '../../oclc/duration.ts';
import {
  OUTPUT_ENCODINGS,
  OUTPUT_FORMATS,
  OUTPUT_FREQUENCIES,
  OUTPUT_KINDS,
} from '../../oclc/datasync/output-settings.ts';
import { BLOCKABLE_SEVERITIES, DEFAULT_BLOCK } from '../../oclc/datasync/collection-settings.ts';
import { faultRuleSchema } from './fault-rule-schema.ts';
import { PERSONALITY_NAMES } from './personality-names.ts';

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  if (ms === undefined || ms < 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a duration; write it like 0s, 30s, 5m or 4h`,
    });
    return z.NEVER;
  }
  return ms;
});

/** A size such as 100MB, 2GB or 512KiB (or a number of bytes); 0 only where `zero` says so. */
const byteSize = (zero: boolean) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    if (zero && (value === 0 || value === '0')) return 0;
    const bytes = parseByteSize(value);
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a size; write it like 500MB, 2GB or 512KiB${zero ? ' (0 turns it off)' : ''}`,
      });
      return z.NEVER;
    }
    return bytes;
  });

const port = z.number().int().min(0).max(65535);

const processingMode = z.string().transform((value, ctx) => {
  const text = value.trim();
  if (text === 'immediate' || text === 'manual') return { mode: text } as const;
  const delay = /^delay[\s:]+(.+)$/.exec(text);
  const delayMs = delay?.[1] === undefined ? undefined : parseDuration(delay[1]);
  if (delayMs !== undefined) return { mode: 'delay', delayMs } as const;
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not a processing mode; use immediate, manual or "delay 4h"`,
  });
  return z.NEVER;
});

/** No single file may hold the worker longer than this. */
const MAX_FILE_TIME_MS = 600_000;

/** `processing: manual` as before, or `processing: { mode: manual, maxFileTime: 10m }`. */
const processing = z.preprocess(
  (value) => (typeof value === 'string' ? { mode: value } : value),
  z.strictObject({
    mode: processingMode.default({ mode: 'immediate' }),
    maxFileTime: duration.default(MAX_FILE_TIME_MS),
  }),
);

/** Record output (issue 24): which WorldCat records OCLC delivers back, how and how often. */
const output = z.strictObject({
  /** The block's absence means off (OCLC's default); once written, it is on unless `enabled: false`. */
  enabled: z.boolean().default(true),
  format: z.enum(OUTPUT_FORMATS).default('marc21'),
  encoding: z.enum(OUTPUT_ENCODINGS).default('utf8'),
  frequency: z.enum(OUTPUT_FREQUENCIES).default('daily'),
  include: z
    .array(z.enum(OUTPUT_KINDS))
    .min(1, 'include at least one of new, updates, deletes, merges (or turn output off)')
    .default([...OUTPUT_KINDS]),
  /** Where delivered records carry the library's LSN (OCLC's "Add fields": the library chooses). */
  lsnField: z
    .string()
    .regex(/^\d{3}\$[a-z0-9]$/, 'write the LSN field as TAG$code, e.g. 907$a')
    .refine((f) => !f.startsWith('00'), 'the LSN goes into a data field (TAG$code), not a control field')
    .default('907$a'),
});

/** An 852 subfield table: subfield code → value (`b: MAIN`). */
const subfields852 = z.record(
  z.string().regex(/^[a-z0-9]$/, 'an 852 subfield code is one letter or digit, e.g. b'),
  z.string().min(1, 'give the subfield a value'),
);

/** An LHR collection's 852 translation table: local location codes → OCLC symbol and library code. */
const lhrSettings = z.strictObject({
  translation: z
    .array(
      z.strictObject({
        match: subfields852,
        set: subfields852.refine((s) => Object.keys(s).length > 0, 'set at least one subfield, e.g. b: PULA'),
      }),
    )
    .default([]),
});

const validationSettings = z.strictObject({
  /** Severities that keep a record out of WorldCat (unresolved); OCLC's default is CRITICAL only. */
  block: z.array(z.enum(BLOCKABLE_SEVERITIES)).default([...DEFAULT_BLOCK]),
});

const collection = z.strictObject({
  id: z
    .string({ error: 'collection IDs are 7-digit strings; quote them: id: "1234567"' })
    .regex(/^\d{7}$/, 'collection IDs are exactly 7 digits'),
  type: z.enum(['bib', 'lhr', 'delete-holdings', 'delete-lhr']),
  default: z.boolean().default(false),
  /**
   * Where the OCN is read. Bib: 035, 001 (with 003 OCoLC), any (035 then 001; default) or none.
   * LHR: 004 (default), 014 or 035, the same field for the whole file.
   */
  ocnField: z.enum(['035', '001', 'any', 'none', '004', '014']).optional(),
  /** Fields holding the local system number, first found wins: "001" or "TAG$c". */
  lsnField: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().regex(/^\d{3}(\$[a-z0-9])?$/, 'write a field as 001 or 907$a')).min(1))
    .default(['001']),
  output: output.optional(),
  /** Bib collections: validation severities that block a record. */
  validation: validationSettings.prefault({}),
  /** Bib collections: `none` matches and creates records but sets and cancels no holdings. */
  holdings: z.enum(['set', 'none']).default('set'),
  /** LHR collections: the 852 translation table. */
  lhr: lhrSettings.prefault({}),
});

const ocnText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,15}$/, 'an OCN is digits only'));

const worldcat = z.strictObject({
  /** 019 merges: old OCN → the OCN of the record it was merged into. */
  merged: z.record(z.string().regex(/^\d{1,15}$/, 'an OCN is digits only'), ocnText).default({}),
  deleted: z.array(ocnText).default([]),
  /** MARC files whose records feed the full match (ISBN, LCCN, title) for records without an OCN. */
  records: z.array(z.string().min(1)).default([]),
  /** First number of the simulator's own ranges for created and provisional records. */
  newOcnStart: z.number().int().positive().default(9_000_000_001),
  provisionalOcnStart: z.number().int().positive().default(8_000_000_001),
});

/** OCLC's umbrella scope: a key or token with it may call every Metadata API route. */
export const METADATA_API_SCOPE = 'WorldCatMetadataAPI';

/** A WSKey for the Metadata API (issue 25): key and secret, its scopes and its rate limits. */
const wskey = z.strictObject({
  key: z.string().min(1),
  secret: z.string().min(1),
  /** Space-separated or a list, as OCLC's WSKey portal shows them; the umbrella scope by default. */
  scopes: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(/\s+/).filter(Boolean)))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^WorldCatMetadataAPI(:[a-z_]+)?$/,
              'a scope is WorldCatMetadataAPI or WorldCatMetadataAPI:name, e.g. WorldCatMetadataAPI:manage_institution_holdings',
            ),
        )
        .min(1, 'give at least one scope (WorldCatMetadataAPI grants every route)'),
    )
    .default([METADATA_API_SCOPE]),
  /** Calls a key may make per second and per day (UTC) before it is answered 429; none by default. */
  rateLimit: z
    .strictObject({
      perSecond: z.number().int().positive().optional(),
      perDay: z.number().int().positive().optional(),
    })
    .optional(),
});

const institution = z.strictObject({
  symbol: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9@$#]+$/, 'a symbol has letters, digits and @ $ # only'),
  password: z.string().min(1).optional(),
  passwordEnv: z.string().min(1).optional(),
  publicKeys: z.array(z.string()).default([]),
  uploadsFor: z.array(z.string()).default([]),
  collections: z.array(collection).min(1, 'an institution needs at least one collection'),
  /** Bytes its account may hold in its upload folders and the processing queue; none by default. */
  quota: byteSize(false).optional(),
  /** WSKeys for the WorldCat Metadata API mock served on the admin port. */
  wskeys: z.array(wskey).default([]),
});

/** Where OCLC's notifications go besides the outbox (issue 24): webhooks, signed, retried. */
const notifications = z.strictObject({
  webhooks: z
    .array(
      z.strictObject({
        url: z.url({
          protocol: /^https?$/,
          error: 'a webhook url is http:// or https://, e.g. http://127.0.0.1:9000/hook',
        }),
        /** Event names as on the event stream, `outbox:*` for a family; all when left out. */
        events: z
          .array(z.string().regex(/^[a-z-]+:([a-z-]+|\*)$/, 'write an event as noun:verb or noun:*'))
          .min(1)
          .optional(),
        /** The key of the X-Datasync-Signature HMAC. */
        secret: z.string().min(16, 'a webhook secret has at least 16 characters'),
      }),
    )
    .default([]),
  /** Attempts per delivery (the first included), and the wait before the second, doubling after. */
  retry: z
    .strictObject({
      attempts: z.number().int().min(1).max(20).default(5),
      backoff: duration.default(1000),
    })
    .prefault({}),
});

export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('.datasync-sim'),
  sftp: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(2222),
      hostKeyFile: z.string().min(1).optional(),
      /** OpenSSH's LoginGraceTime: a connection not authenticated by then is closed. */
      loginGraceTime: duration.default(30_000),
      /** OpenSSH's MaxAuthTries: failed attempts on one connection before it is closed. */
      maxAuthTries: z.number().int().min(1).default(6),
      /** Connections at once; further ones are closed at once (OpenSSH's MaxStartups, simplified). */
      maxConnections: z.number().int().min(1).default(200),
      /**
       * Connections from one client address not yet logged in; further ones are closed at once
       * and count towards the defender (OpenSSH's PerSourceMaxStartups, SFTPGo's per-host limit).
       */
      maxStartupsPerAddress: z.number().int().min(1).default(10),
      /**
       * Behind a TCP load balancer (HAProxy `send-proxy`/`send-proxy-v2`): every connection starts
       * with a PROXY protocol v1 or v2 header naming the client, whose address then counts for the
       * limits, the defender and the journal; a connection without one is refused. Off: a PROXY
       * header is refused.
       */
      proxyProtocol: z.boolean().default(false),
      /** Files and folders one SFTP session may hold open (lowered to fit the descriptor limit). */
      maxHandles: z.number().int().min(1).default(256),
      /** The largest file a client may write or read (a WRITE or READ past it fails naming it). */
      maxFileSize: byteSize(false).default(16 * 1024 ** 3),
      /** SFTP sessions one account may hold at once, across its connections. */
      maxSessionsPerAccount: z.number().int().min(1).default(20),
      /** A connection without any SFTP request for this long is closed. */
      idleTimeout: duration.default(900_000),
      /** SFTPGo's defender: ban an address after `threshold` failed logins within `window`. */
      defender: z
        .union([
          z.literal(false),
          z.strictObject({
            threshold: z.number().int().min(1).default(10),
            window: duration.default(300_000),
            ban: duration.default(900_000),
          }),
        ])
        .default({ threshold: 10, window: 300_000, ban: 900_000 }),
      /**
       * openssh-7.4: OCLC's server (RSA, ECDSA and Ed25519 host keys, 7.4's algorithm lists, its SFTP
       * extensions); modern: the same SFTP with an Ed25519 key and current algorithms only;
       * plain-v3: a bare SFTP v3 server with the modern SSH side.
       */
      personality: z.enum(PERSONALITY_NAMES).default('openssh-7.4'),
    })
    .prefault({}),
  admin: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(8080),
      /** Bearer token every route but GET /api/health needs; required off loopback. */
      token: z.string().min(16, 'an admin token has at least 16 characters').optional(),
      tokenEnv: z.string().min(1).optional(),
      /** Host header names accepted besides loopback, IP addresses and admin.host. */
      hostNames: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  /** Below this much free disk, new uploads are refused at OPEN. */
  minFreeSpace: byteSize(true).default(100_000_000),
  fileNames: z.enum(['strict', 'faithful']).default('strict'),
  pickupDelay: duration.default(0),
  /** How long stored copies of processed uploads are kept; their records and reports stay. */
  retention: z.strictObject({ uploads: duration.default(7 * 86_400_000) }).prefault({}),
  processing: processing.default({ mode: { mode: 'immediate' }, maxFileTime: MAX_FILE_TIME_MS }),
  /** system: real time; manual: time moves only through POST /api/clock/advance or sim.clock. */
  clock: z.enum(['system', 'manual']).default('system'),
  worldcat: worldcat.prefault({}),
  journal: z
    .strictObject({
      /** Entries kept; the oldest are dropped beyond this. */
      maxEntries: z.number().int().min(100).default(100_000),
    })
    .prefault({}),
  /** Where state lives: absent for SQLite in the data dir; a PostgreSQL URL for shared replicas. */
  store: z
    .strictObject({
      url: z
        .string()
        .regex(
          /^postgres(ql)?:\/\/\S+$/,
          'store.url is a PostgreSQL URL (postgres://user:password@host:5432/database); leave store out for SQLite in the data dir',
        ),
      /** This process's name among the replicas sharing the store and the data dir (default: the host name). */
      replica: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a replica name has letters, digits, . _ - (at most 63)')
        .optional(),
      /** How long a replica's claim on a queued file lasts without its heartbeat; then another takes it over. */
      lease: duration
        .refine((ms) => ms >= 1000, 'store.lease is at least 1s (a replica renews it every third of it)')
        .default(30_000),
    })
    .optional(),
  institutions: z.array(institution).min(1, 'configure at least one institution'),
  notifications: notifications.prefault({}),
  /** Fault rules in force from the start, the same shape as POST /api/faults. */
  faults: z.array(faultRuleSchema).default([]),
});

/** A configuration as written (YAML or an object): what `defineConfig` accepts. */
export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
