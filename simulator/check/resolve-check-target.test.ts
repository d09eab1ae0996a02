import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/load-config.ts';
import { checkTargetName, resolveCheckTarget } from './resolve-check-target.ts';

const config = defineConfig({
  institutions: [
    {
      symbol: 'AB@',
      password: 'x',
      collections: [
        { id: '1234567', type: 'bib', default: true },
        { id: '7654321', type: 'delete-lhr' },
      ],
    },
    { symbol: 'VND', password: 'x', uploadsFor: ['AB@'], collections: [{ id: '1030040', type: 'bib' }] },
  ],
});

describe('resolveCheckTarget', () => {
  it.each([
    [
      'the kind from --kind',
      '1234567.ab_64.x.mrc',
      { kind: 'lhr' as const, config },
      { type: 'lhr', from: 'flag' },
    ],
    [
      'the kind from the collection ID and the config',
      '7654321.ab_64.x.mrc',
      { config },
      { type: 'delete-lhr', from: 'config' },
    ],
    ['no kind without a config: the records decide', '7654321.ab_64.x.mrc', {}, undefined],
  ])('%s', (_label, name, options, kind) => {
    expect(resolveCheckTarget(`/tmp/${name}`, options).kind).toEqual(kind);
  });

  it('reads the real symbol from an encoded name, and checks names that look like uploads', () => {
    expect(resolveCheckTarget('/x/1234567.ab_64.bibs.mrc', {})).toMatchObject({
      symbol: 'AB@',
      checkName: true,
    });
    expect(resolveCheckTarget('/x/export.mrc', {})).toMatchObject({ symbol: undefined, checkName: false });
    expect(resolveCheckTarget('/x/export.mrc', { name: 'export.mrc' }).checkName).toBe(true);
  });

  it("checks the name against the folder the kind uploads to, with the institution's collections", () => {
    const target = resolveCheckTarget('/x/7654321.ab_64.bibs.mrc', { config });
    expect(checkTargetName(target, 'delete-lhr').ok).toBe(true);
    expect(checkTargetName(target, 'bib')).toMatchObject({
      ok: false,
      fixedName: '1234567.ab_64.bibs.mrc',
      violations: [{ code: 'collection-id-unknown' }],
    });
  });

  it('takes a vendor uploading for an institution as the sender, the named institution as the target', () => {
    const onBehalf = resolveCheckTarget('/x/1234567.ab_64.bibs.mrc', { symbol: 'vnd', config });
    expect(onBehalf).toMatchObject({
      symbol: 'AB@',
      sender: { symbol: 'VND' },
      collection: { id: '1234567' },
    });
    expect(checkTargetName(onBehalf, 'bib').ok).toBe(true);
    // A symbol the sender may not upload for is a wrong name, checked against the sender's folder.
    const own = resolveCheckTarget('/x/1030040.xyz.bibs.mrc', { symbol: 'VND', config });
    expect(own).toMatchObject({ symbol: 'VND', sender: { symbol: 'VND' } });
    expect(checkTargetName(own, 'bib')).toMatchObject({
      ok: false,
      violations: [{ code: 'symbol-mismatch' }],
    });
  });
});
