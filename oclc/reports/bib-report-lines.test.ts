import { describe, expect, it } from 'vitest';
import { easternStamp } from './eastern-time.ts';
import {
  crossRefLine,
  exceptionLine,
  processingLine,
  recordLocator,
  reportFileName,
  rerunReportName,
} from './bib-report-lines.ts';
import { parseReportName } from './parse-report.ts';

describe('easternStamp', () => {
  it('matches the real Princeton report: 1689177432289 → D20230712 T115712289 (EDT)', () => {
    expect(easternStamp(1689177432289)).toEqual({ date: '20230712', time: '115712289' });
  });

  it('uses EST in winter and EDT in summer, across both DST changes', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
    expect(easternStamp(Date.UTC(2026, 2, 8, 6, 59, 59, 999))).toEqual({
      date: '20260308',
      time: '015959999',
    });
    expect(easternStamp(Date.UTC(2026, 2, 8, 7, 0, 0, 0))).toEqual({ date: '20260308', time: '030000000' });
    expect(easternStamp(Date.UTC(2026, 10, 1, 5, 30, 0, 0))).toEqual({ date: '20261101', time: '013000000' });
    expect(easternStamp(Date.UTC(2026, 10, 1, 6, 30, 0, 0))).toEqual({ date: '20261101', time: '013000000' });
    expect(easternStamp(Date.UTC(2026, 0, 15, 4, 59, 0, 7))).toEqual({ date: '20260114', time: '235900007' });
  });
});

describe('report names and rows', () => {
  it('builds the name OCLC uses', () => {
    const name = reportFileName({
      senderSymbol: 'pul',
      collectionSymbol: 'PUL',
      collectionId: '1012676',
      kind: 'BIB',
      receivedAt: 1689177432289,
      originalName: '1012676.pul.non-pcc_27837389230006421_new.mrc',
      report: 'BibExceptionReport',
    });
    expect(name).toBe(
      'PUL-PUL.1012676.IN.BIB.D20230712.T115712289.1012676.pul.non-pcc_27837389230006421_new.mrc.BibExceptionReport.txt',
    );
  });

  it("puts a rerun's counter right after the uploaded name, as in Princeton's real report names", () => {
    const parts = {
      senderSymbol: 'PUL',
      collectionSymbol: 'PUL',
      collectionId: '1012676',
      kind: 'BIB' as const,
      receivedAt: 1689177432289,
      originalName: '1012676.pul.non-pcc_27837389230006421_new.mrc',
      report: 'BibExceptionReport',
    };
    // pulibrary/lib_jobs spec/fixtures/oclc: the name of a real OCLC report of a rerun.
    const real =
      'PUL-PUL.1012676.IN.BIB.D20230712.T115712289.1012676.pul.non-pcc_27837389230006421_new.mrc_2.BibExceptionReport.txt';
    expect(reportFileName({ ...parts, rerun: 2 })).toBe(real);
    expect(rerunReportName(reportFileName(parts), 2)).toBe(real);
    expect(parseReportName(rerunReportName(reportFileName(parts), 1))).toMatchObject({
      originalName: parts.originalName,
      rerun: 1,
      report: 'BibExceptionReport',
    });
  });

  it('writes the locator and the 5, 7 and 2 field rows', () => {
    const locator = recordLocator('PUL', '1012676', 1691414364073, 1903397);
    expect(locator).toBe('PUL_1012676_1691414364073::bib::1903397');
    expect(
      processingLine({
        locator,
        lsn: '99125407254106421',
        incomingOcn: '3268953',
        worldcatOcn: '3268953',
        action: 'match',
      }),
    ).toBe('PUL_1012676_1691414364073::bib::1903397|99125407254106421|3268953|3268953|match');
    expect(
      exceptionLine({
        locator,
        lsn: '',
        incomingOcn: '',
        worldcatOcn: '',
        type: 'Data Error',
        severity: '',
        message: 'crosswalk_error',
      }),
    ).toBe('PUL_1012676_1691414364073::bib::1903397||||Data Error||crosswalk_error');
    expect(crossRefLine('9911', '12345')).toBe('9911\t12345');
  });

  it('never lets a value break the delimiters', () => {
    expect(
      processingLine({ locator: 'L', lsn: 'a|b', incomingOcn: '', worldcatOcn: '1', action: 'match' }).split(
        '|',
      ),
    ).toHaveLength(5);
    expect(crossRefLine('a\tb', '1').split('\t')).toHaveLength(2);
  });

  it('never copies a control byte (a MARC subfield delimiter) into a report', () => {
    const line = processingLine({
      locator: 'L',
      lsn: '991\x1fa2\x1e\x00',
      incomingOcn: '',
      worldcatOcn: '1',
      action: 'match',
    });
    expect(line).toBe('L|991 a2  ||1|match');
    expect(crossRefLine('\x1fa9911', '1')).toBe(' a9911\t1');
  });
});
