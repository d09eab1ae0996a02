import { describe, expect, it } from 'vitest';
import { parseReport, parseReportName, reportKindOf } from './parse-report.ts';

describe('parseReportName', () => {
  it('reads the real Princeton name, rerun suffix included', () => {
    expect(
      parseReportName(
        'PUL-PUL.1012676.IN.BIB.D20230712.T115712289.1012676.pul.non-pcc_27837389230006421_new.mrc_2.BibExceptionReport.txt',
      ),
    ).toEqual({
      sender: 'PUL',
      symbol: 'PUL',
      collectionId: '1012676',
      kind: 'BIB',
      date: '20230712',
      time: '115712289',
      originalName: '1012676.pul.non-pcc_27837389230006421_new.mrc',
      rerun: 2,
      report: 'BibExceptionReport',
    });
    expect(
      parseReportName(
        'E8W-E8W.1012672.IN.BIB.D20250519.T081003757.1012672.e8w.bib_20250519_040511.mrc.BibCrossRefReport.txt',
      ),
    ).toMatchObject({
      originalName: '1012672.e8w.bib_20250519_040511.mrc',
      rerun: undefined,
    });
    expect(parseReportName('notes.txt')).toBeUndefined();
  });

  it('knows the legacy cross-reference names', () => {
    expect(reportKindOf('metacoll.OCWMS.datasync.1003600-100360.D20160323.T124708500.xrefrpt.txt')).toBe(
      'BibCrossRefReport',
    );
    expect(reportKindOf('metacoll.UMMBL.datasync.1.D20200101.T000000.unresxrefrpt.txt')).toBe(
      'BibUnresolvedCrossRefReport',
    );
  });
});

describe('parseReport, on rows copied from real reports', () => {
  it('BibProcessingReport', () => {
    const text = [
      'PUL_1012676_1691414364073::bib::1903397|99125407254106421|3268953|3268953|match',
      'PUL_1012676_1691414364073::bib::2548588|99110773983506421||1392646065|create',
      'PUL_1012676_1691414364073::bib::2970911|9955256153506421||1392646120|unresolved',
      'PUL_1012676_1691414364073::bib::3115693|993463633506421|14567360|14567360|field transfer',
    ].join('\n');
    const report = parseReport('BibProcessingReport', text);
    expect(report.rows[1]).toEqual({
      locator: 'PUL_1012676_1691414364073::bib::2548588',
      lsn: '99110773983506421',
      incomingOcn: '',
      worldcatOcn: '1392646065',
      action: 'create',
    });
    expect(report.rows.map((r) => ('action' in r ? r.action : ''))).toEqual([
      'match',
      'create',
      'unresolved',
      'field transfer',
    ]);
  });

  it('BibExceptionReport', () => {
    const text = [
      'PUL_1012676_1689177432289::bib::1737659|9968304893506421||1390150062|Validation Error|CRITICAL|Record is sparse.',
      'PUL_1012676_1689177432289::bib::1856787||||Data Error||crosswalk_error',
      'PUL_1012676_1689177452756::bib::12657080|99127121465606421|1372368663|1372368663|Processing Error||',
    ].join('\n');
    const report = parseReport('BibExceptionReport', text);
    expect(report.rows).toEqual([
      {
        locator: 'PUL_1012676_1689177432289::bib::1737659',
        lsn: '9968304893506421',
        incomingOcn: '',
        worldcatOcn: '1390150062',
        type: 'Validation Error',
        severity: 'CRITICAL',
        message: 'Record is sparse.',
      },
      {
        locator: 'PUL_1012676_1689177432289::bib::1856787',
        lsn: '',
        incomingOcn: '',
        worldcatOcn: '',
        type: 'Data Error',
        severity: '',
        message: 'crosswalk_error',
      },
      {
        locator: 'PUL_1012676_1689177452756::bib::12657080',
        lsn: '99127121465606421',
        incomingOcn: '1372368663',
        worldcatOcn: '1372368663',
        type: 'Processing Error',
        severity: '',
        message: '',
      },
    ]);
  });

  it('cross-reference reports, CRLF tolerated', () => {
    expect(parseReport('BibCrossRefReport', '9911\t12345\r\n9912\t9000000001\r\n').rows).toEqual([
      { lsn: '9911', ocn: '12345' },
      { lsn: '9912', ocn: '9000000001' },
    ]);
  });
});
