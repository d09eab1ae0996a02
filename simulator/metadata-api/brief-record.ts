import type { MarcRecord } from '../../oclc/marc/marc-record.ts';

/** OCLC's brief bib (match answers): the few fields a client shows, read from the MARC record. */
export function briefBib(ocn: string, record: MarcRecord | undefined) {
  const f008 = record?.control('008') ?? '';
  const first = (tag: string, code: string): string => record?.first(tag, code)?.trim() ?? '';
  const strip = (text: string): string => text.replace(/\s*[/:;,.]\s*$/, '');
  return {
    oclcNumber: ocn,
    title: strip([first('245', 'a'), first('245', 'b')].filter(Boolean).join(' ')),
    creator: strip(first('100', 'a') || first('110', 'a') || first('111', 'a')),
    date: f008.slice(7, 11).trim(),
    machineReadableDate: f008.slice(7, 11).trim(),
    language: f008.slice(35, 38).trim(),
    generalFormat: record?.leader[6] === 'a' ? 'Book' : '',
    specificFormat: record?.leader[6] === 'a' ? 'PrintBook' : '',
    edition: strip(first('250', 'a')),
    publisher: strip(first('264', 'b') || first('260', 'b')),
    publicationPlace: strip(first('264', 'a') || first('260', 'a')),
    isbns: (record?.values('020', 'a') ?? []).map((v) => v.trim().split(/\s/)[0] ?? ''),
    issns: (record?.values('022', 'a') ?? []).map((v) => v.trim()),
    mergedOclcNumbers: record?.values('019', 'a') ?? [],
    catalogingInfo: {
      catalogingAgency: first('040', 'a'),
      catalogingLanguage: first('040', 'b'),
      levelOfCataloging: record?.leader[17] ?? ' ',
      transcribingAgency: first('040', 'c'),
    },
  };
}
