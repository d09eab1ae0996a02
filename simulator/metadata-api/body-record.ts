import express, { type Request, type Response } from 'express';
import { readMarc, type MarcFormat } from '../../oclc/marc/read-marc.ts';
import type { MarcRecord } from '../../oclc/marc/marc-record.ts';
import { oclcAnswers } from './oclc-answers.ts';

/** MARC bodies as OCLC takes them: MARCXML (application/marcxml+xml) or MARC 21 (application/marc). */
export const marcBody = express.raw({
  type: ['application/marcxml+xml', 'application/marc', 'application/xml', 'text/xml'],
  limit: '1mb',
});

/**
 * The one record of a request body, or undefined after answering OCLC's 400 (no body, the wrong
 * media type, a record that cannot be read, more than one record).
 */
export async function bodyRecord(req: Request, res: Response): Promise<MarcRecord | undefined> {
  const body: unknown = req.body;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!Buffer.isBuffer(body) || body.length === 0) {
    oclcAnswers.badRequest(
      res,
      'Unable to crosswalk the record.',
      `Send one record as application/marcxml+xml or application/marc (got ${mediaType || 'no body'}).`,
    );
    return undefined;
  }
  const format: MarcFormat = mediaType === 'application/marc' ? 'iso2709' : 'marcxml';
  const records: MarcRecord[] = [];
  let broken = false;
  for await (const item of readMarc(oneChunk(body), format)) {
    if (item.kind === 'record') records.push(item.record);
    else broken = true;
  }
  if (broken || records.length !== 1 || !records[0]) {
    oclcAnswers.badRequest(
      res,
      'Unable to crosswalk the record.',
      records.length > 1
        ? 'Only one record is allowed in the request body.'
        : 'The record has parsing errors.',
    );
    return undefined;
  }
  return records[0];
}

async function* oneChunk(body: Buffer): AsyncGenerator<Buffer> {
  yield body;
}
