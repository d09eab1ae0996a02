import { maxReportedNameBytes, NAME_MAX } from './reports/report-name-limit.ts';
import { encodeSymbol, SYMBOL_CHARACTER_CODES } from './symbol-encoding.ts';

/** Every way an upload name can break OCLC's file-name requirements (datasync-domain.md §3). */
export type NameViolationCode =
  | 'unencoded-special-character'
  | 'space'
  | 'invalid-character'
  | 'leading-character'
  | 'empty-element'
  | 'extension'
  | 'collection-id-missing'
  | 'collection-id-malformed'
  | 'collection-id-unknown'
  | 'collection-id-other-folder'
  | 'symbol-mismatch'
  | 'label-missing'
  | 'too-long';

export interface NameViolation {
  code: NameViolationCode;
  /** Why the name breaks the rule, in OCLC's terms. */
  reason: string;
}

export interface UploadNameContext {
  /** The institution symbol(s) the target folder belongs to, as OCLC spells them (unencoded). */
  symbols: readonly string[];
  /** The collection IDs the target folder accepts; empty means none is configured for it. */
  collectionIds: readonly string[];
  /** Used to build the fixed name when the collection ID is missing or unknown. */
  defaultCollectionId?: string;
  /**
   * The institution's collections that belong in another upload folder, by ID, with that folder
   * (`metacoll/in/lhr`): a name carrying one is right, only the folder is wrong.
   */
  otherFolders?: Readonly<Record<string, string>>;
  /** Allowed extensions for the folder, lower case without the dot. */
  extensions?: readonly string[];
}

export interface ParsedUploadName {
  collectionId: string | undefined;
  symbol: string | undefined;
  label: string;
  extension: string;
}

export type UploadNameCheck =
  | { ok: true; name: string; parsed: ParsedUploadName }
  | {
      ok: false;
      name: string;
      parsed: ParsedUploadName;
      violations: NameViolation[];
      /** A name that passes every rule, built by applying each fix in turn. */
      fixedName: string;
    };

const DEFAULT_EXTENSIONS = ['mrc', 'xml', 'csv', 'nsk'] as const;
const ALLOWED_CHARACTER = /[A-Za-z0-9._-]/;

/**
 * Checks an upload's final name against OCLC's rules. Pure: never throws, never does I/O,
 * and reports every violation at once together with a corrected name.
 */
export function checkUploadName(rawName: string, context: UploadNameContext): UploadNameCheck {
  const name = rawName.normalize('NFC');
  const violations: NameViolation[] = [];
  const add = (code: NameViolationCode, reason: string): void => {
    violations.push({ code, reason });
  };

  let fixed = encodeSpecialCharacters(name, context.symbols, add);
  fixed = trimSpaces(fixed, add);
  fixed = replaceSpaces(fixed, add);
  fixed = dropInvalidCharacters(fixed, add);
  fixed = stripLeadingCharacters(fixed, add);
  fixed = collapseEmptyElements(fixed, add);
  fixed = fixExtension(fixed, context.extensions ?? DEFAULT_EXTENSIONS, add);
  fixed = fixCollectionId(fixed, context, add);
  // The symbol as the user wrote it, when it stands where a symbol belongs ('pul@', not 'pul_64').
  const [rawFirst = '', rawSecond] = name.split('.');
  fixed = fixSymbol(fixed, /^\d{7}$/.test(rawFirst) ? rawSecond : undefined, context.symbols, add);
  fixed = fixLabel(fixed, add);
  fixed = fixLength(name, fixed, context, add);

  const parsed = parseUploadName(name);
  if (violations.length === 0) return { ok: true, name, parsed };
  return { ok: false, name, parsed, violations, fixedName: fixed };
}

/** Splits a name into OCLC's elements without judging it. */
export function parseUploadName(name: string): ParsedUploadName {
  const elements = name.split('.');
  const extension = elements.length > 1 ? (elements.pop() ?? '').toLowerCase() : '';
  const first = elements[0] ?? '';
  const hasId = /^\d{7}$/.test(first);
  const collectionId = hasId ? first : undefined;
  const symbol = hasId ? elements[1] : undefined;
  const label = elements.slice(hasId ? 2 : 0).join('.');
  return { collectionId, symbol, label, extension };
}

/** One line a person can act on: the reasons, then the name to use instead. */
export function describeNameCheck(check: Extract<UploadNameCheck, { ok: false }>): string {
  const reasons = check.violations.map((v) => v.reason).join('; ');
  // Only the folder is wrong: the reason says where to, and the same name is not a fix.
  return check.fixedName === check.name ? reasons : `${reasons}: ${check.fixedName}`;
}

type Add = (code: NameViolationCode, reason: string) => void;

function encodeSpecialCharacters(name: string, symbols: readonly string[], add: Add): string {
  const symbolElement = name.split('.')[1] ?? '';
  const seen = new Set<string>();
  for (const ch of name) {
    const code = SYMBOL_CHARACTER_CODES[ch];
    if (!code || seen.has(ch)) continue;
    seen.add(ch);
    const inSymbol = symbolElement.includes(ch);
    // A character the institution's symbol does not have is a wrong symbol, which the symbol
    // rule reports; telling the user to encode it would suggest a symbol that is not theirs.
    if (inSymbol && symbols.length > 0 && !symbols.some((s) => s.includes(ch))) continue;
    add(
      'unencoded-special-character',
      `'${ch}' ${inSymbol ? 'in the symbol' : 'in a file name'} must be written '${code}'`,
    );
  }
  return encodeSymbol(name);
}

/** Spaces around the name are a slip of the exporter, not part of any element: dropped. */
function trimSpaces(name: string, add: Add): string {
  const trimmed = name.trim();
  if (trimmed === name) return name;
  add('space', 'spaces are not allowed in file names');
  return trimmed;
}

function replaceSpaces(name: string, add: Add): string {
  if (!/\s/.test(name)) return name;
  add('space', 'spaces are not allowed in file names');
  return name.replace(/\s+/g, '_');
}

function dropInvalidCharacters(name: string, add: Add): string {
  const invalid = [...new Set([...name].filter((ch) => !ALLOWED_CHARACTER.test(ch)))];
  if (invalid.length === 0) return name;
  const shown = invalid.map((ch) => `'${ch}'`).join(', ');
  add('invalid-character', `only letters, digits, '.', '-' and '_' are allowed (found ${shown})`);
  return [...name].filter((ch) => ALLOWED_CHARACTER.test(ch)).join('');
}

function stripLeadingCharacters(name: string, add: Add): string {
  const match = /^[._-]+/.exec(name);
  if (!match) return name;
  add(
    'leading-character',
    match[0][0] === '.'
      ? // A final name that is hidden: every client and our server take it for a temporary file.
        "a file name must not start with '.' (clients and the server take such a name for a temporary file: it is left in the folder and never processed)"
      : `a file name must not start with '${match[0][0]}'`,
  );
  return name.slice(match[0].length);
}

function collapseEmptyElements(name: string, add: Add): string {
  if (!/\.\./.test(name) && !name.endsWith('.')) return name;
  add('empty-element', 'elements are separated by single periods');
  return name.replace(/\.{2,}/g, '.').replace(/\.$/, '');
}

const COMPRESSED = /^(gz|zip|bz2|xz|7z|z|tgz|tar|zst)$/;

function fixExtension(name: string, allowed: readonly string[], add: Add): string {
  const dot = name.lastIndexOf('.');
  const extension = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (allowed.includes(extension)) return name;
  const list = allowed.map((e) => `.${e}`).join(', ');
  const preferred = allowed[0] ?? 'mrc';
  if (dot < 0) {
    add('extension', `the name must end with ${list}`);
    return `${name}.${preferred}`;
  }
  const stem = name.slice(0, dot);
  // `x.mrc.gz`, `x.mrc.txt`: the right extension is already there, one too many follows it.
  const inner = stem.slice(stem.lastIndexOf('.') + 1).toLowerCase();
  const hasInner = stem.includes('.') && allowed.includes(inner);
  if (COMPRESSED.test(extension)) {
    add('extension', `OCLC does not unpack '.${extension}' files; upload the file itself (${list})`);
    return hasInner ? stem : `${stem}.${preferred}`;
  }
  add('extension', `the extension must be ${list}, not '.${extension}'`);
  if (hasInner) return stem;
  const looksLikeData = /^(marc|dat|bin|iso|out|txt|mrk|marcxml)$/.test(extension);
  return looksLikeData ? `${stem}.${preferred}` : `${name}.${preferred}`;
}

function fixCollectionId(name: string, context: UploadNameContext, add: Add): string {
  // `1012676_pul_bibs.mrc`: the ID written with a separator other than the period.
  const joined = /^(\d{7})[_-](.+)$/.exec(name.split('.')[0] ?? '');
  let separated = name;
  if (joined?.[1] && joined[2]) {
    add('collection-id-missing', 'the name must start with the 7-digit collection ID and a period');
    separated = `${joined[1]}.${joined[2]}${name.slice(joined[0].length)}`;
  }
  const elements = separated.split('.');
  const first = elements[0] ?? '';
  const fallback = context.defaultCollectionId ?? '1234567';
  if (/^\d{7}$/.test(first)) {
    if (context.collectionIds.includes(first)) return separated;
    const folder = context.otherFolders?.[first];
    if (folder !== undefined) {
      add(
        'collection-id-other-folder',
        `collection ${first} takes its files in ${folder}, not in this folder; upload the file there under this name`,
      );
      return separated;
    }
    const known = context.collectionIds.join(', ') || 'none is configured for this folder';
    add(
      'collection-id-unknown',
      `collection ID ${first} is not one of this institution's collections (${known})`,
    );
    return [fallback, ...elements.slice(1)].join('.');
  }
  if (/^\d+$/.test(first)) {
    add('collection-id-malformed', `the collection ID must be 7 digits, got ${first.length}`);
    return [fallback, ...elements.slice(1)].join('.');
  }
  add('collection-id-missing', 'the name must start with the 7-digit collection ID and a period');
  return `${fallback}.${name}`;
}

/** `original` is the second element as the user wrote it, before other fixes encoded it. */
function fixSymbol(name: string, original: string | undefined, symbols: readonly string[], add: Add): string {
  if (symbols.length === 0) return name;
  const elements = name.split('.');
  const written = (elements[1] ?? '').toLowerCase();
  const encoded = symbols.map((s) => encodeSymbol(s).toLowerCase());
  if (encoded.includes(written)) return name;
  const expected = encoded[0] ?? '';
  add(
    'symbol-mismatch',
    `the second element must be the institution symbol '${expected}'` +
      (written ? `, not '${original ?? elements[1] ?? ''}'` : ''),
  );
  // The symbol with stray characters ('pul@', 'pul_64') is replaced; the symbol joined to the
  // free text by another separator ('PUL_new') is split off; anything else is taken as the
  // free-text part with the symbol left out, and the symbol is put in front of it.
  const stripped = written.replace(/_(64|36|35)/g, '');
  const misspelt = encoded.some((s) => s.replace(/_(64|36|35)/g, '') === stripped);
  const joined = encoded.find((s) => written.startsWith(`${s}_`) || written.startsWith(`${s}-`));
  if (joined && !misspelt) {
    const rest = (elements[1] ?? '').slice(joined.length + 1);
    return [elements[0], expected, rest, ...elements.slice(2)].join('.');
  }
  return [elements[0], expected, ...elements.slice(misspelt ? 2 : 1)].join('.');
}

/**
 * OCLC's names have three elements before the extension: collection ID, symbol and a free-text
 * part that makes the name unique (datasync-domain.md §3). Faithful mode lets a name without it
 * through, as OCLC's server does.
 */
function fixLabel(name: string, add: Add): string {
  const elements = name.split('.');
  if (elements.length >= 4) return name;
  add(
    'label-missing',
    'a name has three elements before the extension: collection ID, symbol and a free-text part that keeps it unique (e.g. a date)',
  );
  return [...elements.slice(0, -1), 'records', ...elements.slice(-1)].join('.');
}

/**
 * The one length rule (`report-name-limit.ts`): a name so long that a report named after it would
 * not fit the file system is cut in its free-text part, keeping the extension.
 */
function fixLength(name: string, fixed: string, context: UploadNameContext, add: Add): string {
  const symbol = encodeSymbol(context.symbols[0] ?? parseUploadName(name).symbol ?? '').toUpperCase();
  const max = maxReportedNameBytes(symbol, symbol);
  const bytes = Buffer.byteLength(name);
  if (bytes <= max) return fixed;
  add(
    'too-long',
    `the name is ${bytes} bytes; names are at most ${max} bytes, so that OCLC's report names (the name and up to ${NAME_MAX - max} bytes more) fit the ${NAME_MAX}-byte limit of a file name`,
  );
  if (Buffer.byteLength(fixed) <= max) return fixed;
  const dot = fixed.lastIndexOf('.');
  const extension = fixed.slice(dot);
  return `${fixed.slice(0, max - extension.length).replace(/[._-]+$/, '')}${extension}`;
}

/**
 * Names common clients give a file while it is in transit, then rename to the final name. Rules
 * apply only to the final name; the README lists these (generated from this table).
 */
export const TEMPORARY_NAME_PATTERNS: readonly { client: string; example: string; pattern: RegExp }[] = [
  { client: 'lftp (xfer:use-temp-file), rsync, hidden files', example: '.in.name.mrc', pattern: /^\./ },
  { client: 'rclone', example: 'name.mrc.1a2b3c4d.partial', pattern: /\.partial$/i },
  { client: 'WinSCP', example: 'name.mrc.filepart', pattern: /\.filepart$/i },
  { client: 'download managers and many scripts', example: 'name.mrc.part', pattern: /\.part$/i },
  { client: 'many scripts and managed-transfer tools', example: 'name.mrc.tmp', pattern: /\.te?mp$/i },
  { client: 'Spring Integration (Java)', example: 'name.mrc.writing', pattern: /\.writing$/i },
];

/** Names clients use while a transfer is in progress; rules apply only to the final name. */
export function isTemporaryUploadName(name: string): boolean {
  return TEMPORARY_NAME_PATTERNS.some(({ pattern }) => pattern.test(name));
}
