import { rmSync } from 'node:fs';
import type { SimulatorConfig } from './config/simulator-config.ts';
import type { Journal } from './journal/journal.ts';
import { AccountTree } from './storage/account-tree.ts';
import { storageLayout } from './storage/storage-layout.ts';
import type { UploadStore } from './storage/upload-store.ts';
import type { FileStageLog } from './storage/file-stage-log.ts';
import type { WorldCatState } from './worldcat/worldcat-state.ts';

/**
 * Forgets everything the simulator has seen (files, holdings, LHRs, reports, journal) while keeping
 * its configuration, host key and listeners: what a scenario needs between runs on one instance.
 * Each store empties its own tables.
 */
export function resetState(
  stores: { uploads: UploadStore; worldcat: WorldCatState; journal: Journal; stages: FileStageLog },
  config: SimulatorConfig,
): void {
  stores.worldcat.reset();
  stores.uploads.reset();
  stores.journal.reset();
  stores.stages.reset();
  for (const dir of storageLayout.resettable(config.dataDir)) rmSync(dir, { recursive: true, force: true });
  for (const institution of config.institutions) {
    new AccountTree(institution, config.institutions, config.dataDir).materialise();
  }
}
