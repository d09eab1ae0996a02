import type { Request, Response } from 'express';
import type { MarcRecord } from '../../oclc/marc/marc-record.ts';
import { writeIso2709 } from '../../oclc/marc/write-iso2709.ts';
import { writeMarcxmlRecord } from '../../oclc/marc/write-marcxml.ts';

const MARCXML = 'application/marcxml+xml';
const MARC = 'application/marc';

/** A record as the client's Accept asks: MARC 21 for application/marc, MARCXML otherwise (OCLC's default). */
export function sendRecord(req: Request, res: Response, record: MarcRecord): void {
  if (req.accepts([MARCXML, MARC, 'application/xml']) === MARC) {
    res.type(MARC).send(writeIso2709(record.leader, record.fields));
    return;
  }
  const xml = writeMarcxmlRecord(record).replace(
    /^<marc:record>/,
    '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">',
  );
  res.type(MARCXML).send(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`);
}
