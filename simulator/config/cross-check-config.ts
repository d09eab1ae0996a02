export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Rules that span fields (one auth method, one default, unique symbols and IDs, known uploadsFor).
 * They run on the raw document beside the schema, so they are reported even when other fields
 * are malformed: the user sees every problem in one go.
 */
export function crossCheckConfig(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isObject(raw)) return problems;
  const institutions = list(raw['institutions']);
  const symbols = new Set(
    institutions.map((i) => (isObject(i) ? text(i['symbol'])?.toLowerCase() : undefined)),
  );
  const seenSymbols = new Set<string>();
  const collectionOwners = new Map<string, string>();
  const keyOwners = new Map<string, string>();

  institutions.forEach((inst, i) => {
    if (!isObject(inst)) return;
    const at = (...rest: (string | number)[]): (string | number)[] => ['institutions', i, ...rest];
    const symbol = text(inst['symbol']) ?? `#${i + 1}`;
    if (seenSymbols.has(symbol.toLowerCase())) {
      problems.push({ path: at('symbol'), message: `symbol ${symbol} is configured twice` });
    }
    seenSymbols.add(symbol.toLowerCase());

    if (inst['password'] !== undefined && inst['passwordEnv'] !== undefined) {
      problems.push({ path: at(), message: 'give password or passwordEnv, not both' });
    }
    if (!inst['password'] && !inst['passwordEnv'] && list(inst['publicKeys']).length === 0) {
      problems.push({
        path: at(),
        message: 'an institution needs a password, a passwordEnv or at least one public key',
      });
    }

    const collections = list(inst['collections']);
    if (collections.filter((c) => isObject(c) && c['default'] === true).length > 1) {
      problems.push({ path: at('collections'), message: 'only one collection can be the default' });
    }
    collections.forEach((c, j) => {
      const field = isObject(c) ? text(c['ocnField']) : undefined;
      const type = isObject(c) ? text(c['type']) : undefined;
      const lhr = type === 'lhr' || type === 'delete-lhr';
      if (field && lhr && !['004', '014', '035'].includes(field)) {
        problems.push({
          path: at('collections', j, 'ocnField'),
          message: `an ${type} collection reads the OCN from 004, 014 or 035, not ${field}`,
        });
      }
      if (field && !lhr && ['004', '014'].includes(field)) {
        problems.push({
          path: at('collections', j, 'ocnField'),
          message: `a bib collection reads the OCN from 035, 001, any or none, not ${field}`,
        });
      }
      if (lhr && isObject(c) && isObject(c['output']) && c['output']['enabled'] !== false) {
        problems.push({
          path: at('collections', j, 'output'),
          message: `OCLC delivers records for bib and delete-holdings collections only; remove output from this ${type} collection`,
        });
      }
      problems.push(...settingsForType(c, type, at('collections', j)));
      const out = isObject(c) && isObject(c['output']) ? c['output'] : undefined;
      if (out && out['format'] === 'marcxml' && out['encoding'] === 'marc8') {
        problems.push({
          path: at('collections', j, 'output', 'encoding'),
          message: 'MARCXML is always UTF-8; use encoding: utf8, or format: marc21 for MARC-8',
        });
      }
      const id = isObject(c) ? text(c['id']) : undefined;
      if (!id) return;
      const owner = collectionOwners.get(id);
      if (owner !== undefined) {
        problems.push({
          path: at('collections', j, 'id'),
          message: `collection ID ${id} is already used by ${owner}`,
        });
      }
      collectionOwners.set(id, symbol);
    });

    list(inst['wskeys']).forEach((k, j) => {
      const key = isObject(k) ? text(k['key']) : undefined;
      if (key === undefined) return;
      const owner = keyOwners.get(key);
      // A token acts for one institution, found by its key.
      if (owner !== undefined)
        problems.push({ path: at('wskeys', j, 'key'), message: `WSKey ${key} is already used by ${owner}` });
      keyOwners.set(key, symbol);
    });

    list(inst['uploadsFor']).forEach((other, k) => {
      const name = text(other);
      if (name !== undefined && !symbols.has(name.toLowerCase())) {
        problems.push({
          path: at('uploadsFor', k),
          message: `uploadsFor names ${name}, which is not a configured institution`,
        });
      }
    });
  });
  return problems;
}

/** Collection settings that only mean something for some collection types (issue 24). */
function settingsForType(c: unknown, type: string | undefined, at: (string | number)[]): ConfigProblem[] {
  if (!isObject(c) || type === undefined) return [];
  const problems: ConfigProblem[] = [];
  const lhr = type === 'lhr' || type === 'delete-lhr';
  if (!lhr && c['lhr'] !== undefined)
    problems.push({
      path: [...at, 'lhr'],
      message: `the 852 translation is an LHR collection setting; remove lhr from this ${type} collection`,
    });
  if (type !== 'bib' && c['holdings'] !== undefined)
    problems.push({
      path: [...at, 'holdings'],
      message: `holdings: set | none is a bib collection setting; remove it from this ${type} collection`,
    });
  if (lhr && c['validation'] !== undefined)
    problems.push({
      path: [...at, 'validation'],
      message: `validation.block applies to bib records; remove validation from this ${type} collection`,
    });
  return problems;
}
