import { rmSync } from 'node:fs';
import type { SimulatorConfig } from './config/simulator-config.ts';
import { AccountTree } from './storage/account-tree.ts';
import type { Db } from './storage/open-database.ts';
import { storageLayout } from './storage/storage-layout.ts';

const TABLES = [
  'uploads',
  'journal',
  'holdings',
  'lbd',
  'lhrs',
  'worldcat_keys',
  'worldcat_created',
  'counters',
  'record_outcomes',
];

/**
 * Forgets everything the simulator has seen (files, holdings, LHRs, reports, journal) while keeping
 * its configuration, host key and listeners: what a scenario needs between runs on one instance.
 */
export function resetState(db: Db, config: SimulatorConfig): void {
  db.transaction(() => {
    for (const table of TABLES) db.prepare(`DELETE FROM ${table}`).run();
  })();
  for (const dir of storageLayout.resettable(config.dataDir)) rmSync(dir, { recursive: true, force: true });
  for (const institution of config.institutions) {
    new AccountTree(institution, config.institutions, config.dataDir).materialise();
  }
}
