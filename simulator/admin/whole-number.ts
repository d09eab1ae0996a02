import { z } from 'zod';

/**
 * A whole number in a path or query, written in digits only. `z.coerce.number()` read `1e3` as
 * 1000, `0x10` as 16 and an empty string as 0, so `/api/files/1e3` answered for file 1000.
 */
export function wholeNumber(options: { min?: number; max?: number } = {}) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  return z
    .string()
    .regex(/^\d{1,16}$/, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a whole number; write it in digits, e.g. 42`,
    })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}
