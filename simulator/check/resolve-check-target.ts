import { basename } from 'node:path';
import { decodeSymbol, encodeSymbol } from '../../oclc/symbol-encoding.ts';
import { checkUploadName, describeNameCheck, parseUploadName } from '../../oclc/upload-name.ts';
import type { Collection, CollectionType, Institution, SimulatorConfig } from '../config/simulator-config.ts';
import type { NameCheckResult } from './check-result.ts';

export interface CheckTargetOptions {
  kind?: CollectionType | undefined;
  symbol?: string | undefined;
  /** The name the file will be uploaded under; defaults to the file's own name. */
  name?: string | undefined;
  config?: SimulatorConfig | undefined;
}

/** What the name, the flags and the configuration say about a file before its records are read. */
export interface CheckTarget {
  name: string;
  /** Undefined when the kind must come from the first record (Leader/06). */
  kind: { type: CollectionType; from: 'flag' | 'config' } | undefined;
  /** The institution whose collection the file goes to (its folder), real spelling. */
  symbol: string | undefined;
  institution: Institution | undefined;
  /** Who uploads it: `--symbol`, else the target; a vendor may upload for others (uploadsFor). */
  sender: { symbol: string | undefined; institution: Institution | undefined };
  collection: Collection | undefined;
  collectionId: string;
  /** Whether the name is checked: given with --name, or the file's own name looks like an upload name. */
  checkName: boolean;
}

const UPLOAD_NAME = /^\d{7}\.[^.]+\./;

/** A leading-dot name is read as the name it hides, so the only fault reported is the dot. */
const unhidden = (name: string): string => name.replace(/^\.+/, '');

export function resolveCheckTarget(path: string, options: CheckTargetOptions): CheckTarget {
  const name = options.name ?? basename(path);
  const parsed = parseUploadName(unhidden(name));
  const find = (symbol: string): Institution | undefined =>
    options.config?.institutions.find(
      (i) =>
        i.symbol.toLowerCase() === symbol.toLowerCase() ||
        i.encodedSymbol.toLowerCase() === symbol.toLowerCase(),
    );
  const named = parsed.symbol === undefined ? undefined : decodeSymbol(parsed.symbol).toUpperCase();
  const senderInstitution = options.symbol === undefined ? undefined : find(options.symbol);
  const senderSymbol = senderInstitution?.symbol ?? options.symbol;
  // The name's symbol is the target when the sender may upload there (itself, or uploadsFor);
  // otherwise the name is wrong and the sender's own folder is the target, as on the server.
  const mayUpload = (symbol: string): boolean =>
    senderSymbol === undefined ||
    [senderSymbol, ...(senderInstitution?.uploadsFor ?? [])].some(
      (s) => s.toLowerCase() === symbol.toLowerCase(),
    );
  const targetSymbol = named !== undefined && mayUpload(named) ? named : senderSymbol;
  const institution = targetSymbol === undefined ? undefined : find(targetSymbol);
  const collection = institution?.collections.find((c) => c.id === parsed.collectionId);
  const kind = options.kind
    ? { type: options.kind, from: 'flag' as const }
    : collection
      ? { type: collection.type, from: 'config' as const }
      : undefined;
  return {
    name,
    kind,
    symbol: institution?.symbol ?? targetSymbol,
    institution,
    sender:
      senderSymbol === undefined
        ? { symbol: institution?.symbol ?? targetSymbol, institution }
        : { symbol: senderSymbol, institution: senderInstitution },
    collection,
    collectionId: parsed.collectionId ?? institution?.defaultCollection.id ?? '0000000',
    checkName: options.name !== undefined || UPLOAD_NAME.test(unhidden(name)),
  };
}

/** The strict file-name rules, for the folder the kind uploads to. */
export function checkTargetName(target: CheckTarget, type: CollectionType): NameCheckResult {
  const lhr = type === 'lhr' || type === 'delete-lhr';
  const parsed = parseUploadName(unhidden(target.name));
  const collections = target.institution?.collections.filter(
    (c) => (c.type === 'lhr' || c.type === 'delete-lhr') === lhr,
  );
  const check = checkUploadName(target.name, {
    symbols: target.symbol === undefined ? [] : [target.symbol],
    // Without a configuration any well-formed collection ID is taken as the institution's.
    collectionIds: collections?.map((c) => c.id) ?? (parsed.collectionId ? [parsed.collectionId] : []),
    defaultCollectionId: collections?.find((c) => c.default)?.id ?? collections?.[0]?.id,
    extensions: lhr ? ['mrc', 'xml'] : ['mrc', 'xml', 'csv', 'nsk'],
  });
  return check.ok
    ? { name: check.name, ok: true, violations: [], fixedName: undefined, message: undefined }
    : {
        name: check.name,
        ok: false,
        violations: check.violations,
        fixedName: check.fixedName,
        message: describeNameCheck(check),
      };
}

/** Sender and target symbols as they appear in report names and locators. */
export function encodedSymbols(target: CheckTarget): { sender: string; target: string } {
  return {
    sender: encodeSymbol(target.sender.symbol ?? 'XXX'),
    target: encodeSymbol(target.symbol ?? 'XXX'),
  };
}
