// The defects the record generators can plant, apart from the generators themselves: the CLI's
// help lists them, and the generators load marcjs, which --help should not.

/** Defects the bib generator can plant, each turning one record into a known failure. */
export const BIB_DEFECTS = {
  sparse: 'no 245: Validation Error CRITICAL "Record is sparse."',
  'no-lsn': 'no 001: Processing Error',
  'invalid-utf8': 'Leader/09 a with a Latin-1 byte: Data Error invalid_characters_present',
  'bad-directory': 'a directory entry pointing past the record: Data Error crosswalk_error',
  truncated: 'the record cut short: Data Error crosswalk_error',
  'repeated-245a': 'two 245 $a: Validation Error SEVERE',
} as const;

/** Defects the LHR generator can plant. */
export const LHR_DEFECTS = {
  'bib-record': 'a bibliographic record (Leader/06 a) in the LHR file',
  'no-ocn': 'no 004: the OCN is missing',
  'two-852': 'a second 852: several locations in one record',
  'no-852b': '852 without $b (holding library)',
  'wrong-symbol': '852 $a names another institution',
} as const;
