import { closeSync, openSync, readSync, rmSync, writeSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { CheckOutput } from './check-output.ts';
import type { CheckProblem } from './check-result.ts';
import { LineOutput } from './line-output.ts';
import { EMPTY_FILE } from './check-text-output.ts';

/**
 * JUnit XML for CI dashboards: a test suite per file, a test case per record with a problem
 * (failed when refused) and one for the upload name. A suite's counts come first in the XML, so
 * its cases are spooled to a temporary file while the records are read.
 */
export function checkJunitOutput(out: LineOutput): CheckOutput {
  const dir = mkdtempSync(join(tmpdir(), 'datasync-check-'));
  const spoolPath = join(dir, 'cases.xml');
  let spool = openSync(spoolPath, 'w');
  let group: CheckProblem[] = [];
  const counts = { tests: 0, failures: 0 };
  const flushGroup = (path: string): void => {
    const [first] = group;
    if (!first) return;
    const refused = group.some((p) => p.refused);
    const ids = [first.lsn && `LSN ${first.lsn}`, first.ocn && `OCN ${first.ocn}`].filter(Boolean).join(' ');
    const name = `record ${first.record} (byte ${first.offset})${ids ? ` ${ids}` : ''}`;
    const text = group
      .map(
        (p) =>
          `${[p.type, p.severity].filter(Boolean).join(' ')}: ${p.message}${p.detail ? ` (${p.detail})` : ''}`,
      )
      .join('\n');
    writeSync(spool, testCase(path, name, refused ? { failure: text } : { output: text }));
    counts.tests++;
    if (refused) counts.failures++;
    group = [];
  };
  out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="datasync-sim check">\n');
  return {
    problem: (p, file) => {
      if (group[0] && group[0].record !== p.record) flushGroup(file.path);
      group.push(p);
    },
    fileDone: (result) => {
      flushGroup(result.path);
      if (result.name) {
        const message = result.name.message;
        writeSync(
          spool,
          testCase(result.path, `upload name ${result.name.name}`, message ? { failure: message } : {}),
        );
        counts.tests++;
        if (message) counts.failures++;
      }
      if (result.records === 0) {
        writeSync(spool, testCase(result.path, 'records', { failure: EMPTY_FILE }));
        counts.tests++;
        counts.failures++;
      } else if (counts.tests === 0) {
        writeSync(spool, testCase(result.path, `${result.records} records`, {}));
        counts.tests++;
      }
      closeSync(spool);
      out.write(
        `<testsuite name="${xml(result.path)}" tests="${counts.tests}" failures="${counts.failures}" errors="0" ` +
          `time="${result.seconds.toFixed(3)}">\n`,
      );
      copyInto(out, spoolPath);
      out.write('</testsuite>\n');
      spool = openSync(spoolPath, 'w');
      counts.tests = 0;
      counts.failures = 0;
    },
    close: () => {
      closeSync(spool);
      rmSync(dir, { recursive: true, force: true });
      out.write('</testsuites>\n');
      out.close();
    },
  };
}

function testCase(path: string, name: string, body: { failure?: string; output?: string }): string {
  const head = `  <testcase classname="${xml(basename(path))}" name="${xml(name)}"`;
  if (body.failure !== undefined) {
    const first = body.failure.split('\n')[0] ?? '';
    return `${head}>\n    <failure message="${xml(first)}" type="refused">${xml(body.failure)}</failure>\n  </testcase>\n`;
  }
  if (body.output !== undefined)
    return `${head}>\n    <system-out>${xml(body.output)}</system-out>\n  </testcase>\n`;
  return `${head}/>\n`;
}

function copyInto(out: LineOutput, path: string): void {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 16);
  const decoder = new StringDecoder('utf8');
  for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer))
    out.write(decoder.write(buffer.subarray(0, n)));
  out.write(decoder.end());
  closeSync(fd);
}

/** XML text and attribute escaping; control characters XML 1.0 cannot carry become spaces. */
function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly what XML 1.0 cannot carry
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}
