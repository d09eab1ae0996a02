import type { CheckOutput } from './check-output.ts';
import { LineOutput } from './line-output.ts';

/**
 * One JSON document, `{ ok, files: [{ ...result, problems: [...] }] }`, written as the problems
 * come, so a file with millions of problems needs no memory for them.
 */
export function checkJsonOutput(out: LineOutput): CheckOutput {
  let files = 0;
  let inFile = false;
  let problems = 0;
  const open = (): void => {
    if (inFile) return;
    out.write(`${files === 0 ? '{"files":[' : ','}{"problems":[`);
    inFile = true;
    problems = 0;
  };
  return {
    problem: (p) => {
      open();
      out.write(`${problems++ === 0 ? '' : ','}\n${JSON.stringify(p)}`);
    },
    fileDone: (result) => {
      open();
      // The problems were written as they came; the result's kept copy is left out.
      out.write(`],${JSON.stringify({ ...result, problems: undefined }).slice(1)}`);
      files++;
      inFile = false;
    },
    close: (results) => {
      out.write(`${files === 0 ? '{"files":[' : ''}],"ok":${results.every((r) => r.ok)}}\n`);
      out.close();
    },
  };
}
