import type { CollectionType } from '../config/simulator-config.ts';
import type { CheckProblem, CheckResult } from './check-result.ts';

/** A format for `check`: fed problems as they are found, so none has to hold a whole file's. */
export interface CheckOutput {
  problem(problem: CheckProblem, file: { path: string; kind: CollectionType }): void;
  fileDone(result: CheckResult): void;
  close(results: readonly CheckResult[]): void;
}
