import { join } from 'node:path';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { Institution, SimulatorConfig } from '../config/simulator-config.ts';
import { AccountTree, type Folder, type UploadTarget } from '../storage/account-tree.ts';
import type { UploadRecord, UploadStore } from '../storage/upload-store.ts';
import type { UploadIntake } from './upload-intake.ts';

const LHR_TYPES = new Set(['lhr', 'delete-lhr']);

/**
 * An upload that did not come over SFTP (the dashboard's browser upload): the same name rules,
 * staging, pickup and events as an SFTP PUT by the institution's own account, into in/bib or
 * in/lhr as the collection ID in the name says.
 */
export async function uploadBytes(
  deps: { intake: UploadIntake; store: UploadStore; config: SimulatorConfig },
  institution: Institution,
  name: string,
  data: Buffer,
): Promise<UploadRecord> {
  if (name === '' || name.includes('/') || name.includes('\0') || name === '.' || name === '..') {
    throw new DataSyncError('PATH_INVALID', {
      action: 'upload',
      path: name,
      reason: 'a file name has no "/" and is not "." or ".."',
    });
  }
  const collectionId = name.split('.')[0];
  const collection = institution.collections.find((c) => c.id === collectionId);
  const kind = collection && LHR_TYPES.has(collection.type) ? 'lhr' : 'bib';
  const tree = new AccountTree(institution, deps.config.institutions, deps.config.dataDir);
  const folderPath = `/xfer/metacoll/in/${kind}`;
  const folder = tree.folder(folderPath) as Folder & { upload: UploadTarget; realPath: string };
  const ctx = { account: institution.accounts.current, senderSymbol: institution.symbol, folder };
  const decision = deps.intake.decide(folder.upload, name);
  if (!decision.accepted) throw deps.intake.refuse(ctx, name, decision);
  const path = `${folderPath}/${name}`;
  const upload = deps.intake.open({
    ctx,
    path,
    realPath: join(folder.realPath, name),
    name,
    mode: 'w',
    decision,
  });
  try {
    upload.write(0, data, false);
    await upload.close();
  } catch (error) {
    upload.abandon(error instanceof Error ? error.message : String(error));
    throw error;
  }
  const record = deps.store
    .list({ account: ctx.account })
    .filter((r) => r.name === name && r.folder === folderPath)
    .at(-1);
  if (!record) throw new Error(`the upload of ${name} was not recorded`);
  return record;
}
