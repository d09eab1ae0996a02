import type { ValidationIssue } from '../../oclc/datasync/validate-bib.ts';

/**
 * OCLC's validation answer from the rule catalogue Data Sync applies (the same message for the
 * same fault through either door), each issue filed by the tag its message names: the leader and
 * control fields as fixed-field errors, data fields as variable-field errors, the rest as
 * record-level errors.
 */
export function validationErrors(issues: readonly ValidationIssue[]) {
  const filed = issues.map((issue) => {
    const tag = /Leader\//.test(issue.message) ? '000' : (/\b(\d{3})\b/.exec(issue.message)?.[1] ?? 'REC');
    return { tag, errorLevel: issue.severity, message: issue.message };
  });
  const fixed = filed.filter((e) => /^00\d$/.test(e.tag));
  const variable = filed.filter((e) => e.tag !== 'REC' && !/^00\d$/.test(e.tag));
  const record = filed.filter((e) => e.tag === 'REC').map((e) => ({ ...e, occurrence: 1 }));
  return {
    errorCount: issues.length,
    errors: issues.map((i) => i.message),
    ...(record.length > 0 ? { recordLevelErrors: record } : {}),
    ...(fixed.length > 0 ? { fixedFieldErrors: fixed } : {}),
    ...(variable.length > 0 ? { variableFieldErrors: variable } : {}),
  };
}
