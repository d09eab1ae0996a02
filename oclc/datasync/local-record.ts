import { MarcRecord, SUBFIELD_DELIMITER, type MarcField } from '../marc/marc-record.ts';

/** An MFHD's leader when WorldCat writes one (the Metadata API's examples). */
export const LHR_LEADER = '00000nx  a2200000zi 4500';
/** A local bibliographic data record's leader. */
export const LBD_LEADER = '00000n   a2200000   4500';

const ascii = (text: string): Buffer => Buffer.from(text, 'utf8');

function dataField(tag: string, subfields: readonly (readonly [string, string])[]): MarcField {
  return {
    tag,
    data: Buffer.concat([
      ascii('  '),
      ...subfields.map(([code, value]) => ascii(String.fromCharCode(SUBFIELD_DELIMITER) + code + value)),
    ]),
  };
}

/**
 * The record with WorldCat's numbers for a local record: 001 its control number, 004 the OCN of
 * the bibliographic record it belongs to (as sent when not given); every other field as sent, in
 * tag order.
 */
export function withLocalNumbers(record: MarcRecord, controlNumber: string, ocn?: string): MarcRecord {
  const kept = record.fields.filter((f) => f.tag !== '001' && (ocn === undefined || f.tag !== '004'));
  const fields = [
    { tag: '001', data: ascii(controlNumber) },
    ...(ocn === undefined ? [] : [{ tag: '004', data: ascii(ocn) }]),
    ...kept,
  ];
  return MarcRecord.fromFields(
    record.leader,
    fields.sort((a, b) => a.tag.localeCompare(b.tag)),
  );
}

/** What WorldCat keeps of an LHR a Data Sync file set: the MFHD read back from those fields. */
export function lhrFromFields(lhr: {
  lsn: string;
  ocn: string;
  symbol: string;
  holdingLibrary: string;
  location: string;
  callNumber: string;
  barcodes: readonly string[];
}): MarcRecord {
  const f852: [string, string][] = [
    ['a', lhr.symbol],
    ['b', lhr.holdingLibrary],
  ];
  if (lhr.location) f852.push(['c', lhr.location]);
  if (lhr.callNumber) f852.push(['h', lhr.callNumber]);
  return MarcRecord.fromFields(LHR_LEADER, [
    { tag: '001', data: ascii(lhr.lsn) },
    { tag: '004', data: ascii(lhr.ocn) },
    { tag: '007', data: ascii('zu') },
    { tag: '008', data: ascii('0000000u    0   4001uueng0000000') },
    dataField('852', f852),
    ...lhr.barcodes.map((barcode) => dataField('876', [['p', barcode]])),
  ]);
}

/** What WorldCat keeps of an LBD a Data Sync bib file recorded: its LSN on the OCN. */
export function lbdFromFields(lbd: { lsn: string; ocn: string; symbol: string }): MarcRecord {
  return MarcRecord.fromFields(LBD_LEADER, [
    { tag: '001', data: ascii(lbd.lsn) },
    { tag: '004', data: ascii(lbd.ocn) },
    dataField('935', [['a', lbd.lsn]]),
    dataField('940', [['a', lbd.symbol]]),
  ]);
}
