import type { MarcRecord } from './marc-record.ts';

/** OCLC's Data Error codes, as they appear in BibExceptionReport. */
export type DataErrorCode =
  'crosswalk_error' | 'marc_record_field_length_error' | 'invalid_characters_present';

/** One item read from an upload: a record, or a record that could not be read, at its offset. */
export type MarcReadItem =
  | { kind: 'record'; offset: number; record: MarcRecord }
  | { kind: 'error'; offset: number; code: DataErrorCode; detail: string };
