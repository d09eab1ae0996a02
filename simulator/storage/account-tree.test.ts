import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.ts';
import { AccountTree } from './account-tree.ts';

const config = parseConfigText(
  `dataDir: /data
institutions:
  - { symbol: PUL, password: x, collections: [{ id: "1012676", type: bib, default: true }, { id: "1012677", type: lhr }] }
  - { symbol: "AB@", password: y, uploadsFor: [PUL], collections: [{ id: "1234567", type: bib }] }
`,
  'test',
);
const [pul, ab] = config.institutions;
if (!pul || !ab) throw new Error('config');

describe('AccountTree.resolve', () => {
  const tree = new AccountTree(pul, config.institutions, config.dataDir);
  it.each([
    ['.', '/xfer'],
    ['', '/xfer'],
    ['metacoll/in/bib', '/xfer/metacoll/in/bib'],
    ['/xfer/metacoll/in/bib/', '/xfer/metacoll/in/bib'],
    ['../../../../etc/passwd', '/etc/passwd'],
    ['/xfer/metacoll/in/bib/../../../../..', '/'],
    ['metacoll//reports/./x.txt', '/xfer/metacoll/reports/x.txt'],
  ])('%j → %s', (input, expected) => {
    expect(tree.resolve(input, 'stat')).toBe(expected);
  });

  it('refuses NUL bytes', () => {
    expect(() => tree.resolve('metacoll/in/bib/x\0.mrc', 'upload')).toThrow(/contains a NUL byte/);
  });

  it('knows only the OCLC folders; /etc stays unreachable', () => {
    expect(tree.folder('/xfer/metacoll/in/bib')?.upload?.kind).toBe('bib');
    expect(tree.folder('/xfer/metacoll/in/lhr')?.upload?.kind).toBe('lhr');
    expect(tree.folder('/xfer/metacoll/reports')?.upload).toBeUndefined();
    expect(tree.folder('/xfer/metacoll/out/ongoing/new')).toEqual({
      path: '/xfer/metacoll/out/ongoing/new',
      realPath: '/data/xfer/pul/metacoll/out/ongoing/new',
      children: [],
      upload: undefined,
    });
    expect(tree.folder('/')?.children).toEqual(['xfer']);
    expect(tree.folder('/etc')).toBeUndefined();
    expect(tree.locate('/etc/passwd').folder).toBeUndefined();
  });

  it('limits each upload folder to its kind of collection', () => {
    expect(tree.folder('/xfer/metacoll/in/bib')?.upload?.collections.map((c) => c.id)).toEqual(['1012676']);
    expect(tree.folder('/xfer/metacoll/in/lhr')?.upload?.defaultCollection?.id).toBe('1012677');
  });

  it('adds /xfer/<SYMBOL>/metacoll/in for institutions it uploads for', () => {
    const abTree = new AccountTree(ab, config.institutions, config.dataDir);
    const folder = abTree.folder('/xfer/PUL/metacoll/in/bib');
    expect(folder?.upload?.institution.symbol).toBe('PUL');
    expect(abTree.folder('/xfer/pul/metacoll/in/bib')).toBe(folder);
    expect(abTree.folder('/xfer')?.children).toEqual(['metacoll', 'PUL']);
    expect(tree.folder('/xfer/AB_64/metacoll/in/bib')).toBeUndefined();
  });
});
