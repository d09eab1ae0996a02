import { z } from 'zod';
import { MarcRecord, SUBFIELD_DELIMITER, subfieldsOf, type MarcField } from './marc-record.ts';

/**
 * MARC-in-JSON, the JSON form marcjs reads and writes (`Record.mij()`, the `MiJ` parser):
 * `{ leader, fields: [{ "001": "…" }, { "245": { ind1, ind2, subfields: [{ a: "…" }] } }] }`.
 */
export interface MarcInJson {
  leader: string;
  fields: Record<string, string | MarcInJsonDataField>[];
}

export interface MarcInJsonDataField {
  ind1: string;
  ind2: string;
  subfields: Record<string, string>[];
}

const dataField = z.object({
  ind1: z.string().max(1, 'an indicator is one character'),
  ind2: z.string().max(1, 'an indicator is one character'),
  subfields: z.array(z.record(z.string(), z.string())).min(1, 'a data field needs at least one subfield'),
});

export const marcInJsonSchema = z
  .object({
    leader: z.string().length(24, 'the leader is 24 characters'),
    fields: z.array(z.record(z.string(), z.union([z.string(), dataField]))),
  })
  .superRefine((record, ctx) => {
    record.fields.forEach((field, i) => {
      const entries = Object.entries(field);
      if (entries.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i],
          message: 'each field is an object with one tag',
        });
        return;
      }
      const [tag = '', value] = entries[0] ?? [];
      if (!/^[0-9A-Za-z]{3}$/.test(tag))
        ctx.addIssue({ code: 'custom', path: ['fields', i, tag], message: `"${tag}" is not a tag` });
      const control = /^00\d$/.test(tag);
      if (control !== (typeof value === 'string'))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, tag],
          message: control
            ? 'a control field (00X) is a string'
            : 'a data field is { ind1, ind2, subfields }',
        });
      if (typeof value !== 'string')
        value?.subfields.forEach((sub, j) => {
          if (Object.keys(sub).length !== 1 || Object.keys(sub).some((code) => code.length !== 1))
            ctx.addIssue({
              code: 'custom',
              path: ['fields', i, tag, 'subfields', j],
              message: 'each subfield is { code: value } with a one-character code',
            });
        });
    });
  })
  .meta({
    id: 'MarcInJson',
    description: 'a MARC record as MARC-in-JSON (the form marcjs reads and writes)',
  });

/** A UTF-8 record (Leader/09 `a`) from MARC-in-JSON. */
export function recordFromMij(mij: MarcInJson): MarcRecord {
  const fields: MarcField[] = [];
  for (const field of mij.fields) {
    for (const [tag, value] of Object.entries(field)) {
      if (typeof value === 'string') {
        fields.push({ tag, data: Buffer.from(value, 'utf8') });
        continue;
      }
      const parts = [Buffer.from(`${value.ind1 || ' '}${value.ind2 || ' '}`, 'utf8')];
      for (const sub of value.subfields)
        for (const [code, text] of Object.entries(sub))
          parts.push(Buffer.from([SUBFIELD_DELIMITER]), Buffer.from(`${code}${text}`, 'utf8'));
      fields.push({ tag, data: Buffer.concat(parts) });
    }
  }
  const leader = `${mij.leader.slice(0, 9)}a${mij.leader.slice(10)}`;
  return MarcRecord.fromFields(leader, fields);
}

/** MARC-in-JSON of a UTF-8 record. */
export function mijFromRecord(record: MarcRecord): MarcInJson {
  return {
    leader: record.leader,
    fields: record.fields.map((field) => {
      if (/^00\d$/.test(field.tag)) return { [field.tag]: field.data.toString('utf8') };
      const ind = field.data.toString('utf8', 0, 2).padEnd(2, ' ');
      return {
        [field.tag]: {
          ind1: ind[0] ?? ' ',
          ind2: ind[1] ?? ' ',
          subfields: subfieldsOf(field).map((s) => ({ [s.code]: s.value.toString('utf8') })),
        },
      };
    }),
  };
}
