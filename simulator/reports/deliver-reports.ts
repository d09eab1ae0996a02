import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Puts finished reports into each reports folder. Each copy lands under a temporary name and is
 * renamed, so a client listing the folder never sees half a report. Idempotent: safe to repeat
 * after a crash between commit and delivery.
 */
export function deliverReports(fromDir: string, toDirs: readonly string[], suffix = ''): string[] {
  if (!existsSync(fromDir)) return [];
  const names = readdirSync(fromDir)
    .filter((n) => n.endsWith('.txt'))
    .sort();
  for (const dir of toDirs) {
    mkdirSync(dir, { recursive: true });
    for (const name of names) {
      const delivered = name.replace(/\.txt$/, `${suffix}.txt`);
      const temp = join(dir, `.${delivered}.partial`);
      copyFileSync(join(fromDir, name), temp);
      renameSync(temp, join(dir, delivered));
    }
  }
  return names.map((name) => name.replace(/\.txt$/, `${suffix}.txt`));
}
