import Database from 'better-sqlite3';
import { mkdtempSync, copyFileSync } from 'node:fs';
import { openDatabase, databasePath } from '../simulator/store/open-database.ts';
import { processBibFile } from '../simulator/pipeline/process-bib-file.ts';
const dataDir = mkdtempSync('/tmp/prof-');
openDatabase(dataDir).close();
const main = new Database(databasePath(dataDir));
main
  .prepare(
    `INSERT INTO uploads (id, account, sender_symbol, target_symbol, folder, name, kind, state, started_at) VALUES (1,'a','PUL','PUL','/x','n.mrc','bib','processing',0)`,
  )
  .run();
copyFileSync('/tmp/speed-100000.mrc', `${dataDir}/in.mrc`);
const t = performance.now();
await processBibFile(
  {
    fileId: 1,
    dataDir,
    storedPath: `${dataDir}/in.mrc`,
    name: 'n.mrc',
    senderSymbol: 'PUL',
    targetEncoded: 'PUL',
    targetSymbol: 'PUL',
    collection: { id: '1012676', type: 'bib', ocnField: 'any', lsnField: ['001'] },
    receivedAt: 0,
    processedAt: 0,
    reportDirs: [`${dataDir}/reports`],
    worldcat: { merged: {}, deleted: [], newOcnStart: 9000000001, provisionalOcnStart: 8000000001 },
  },
  main,
);
console.log('ms', performance.now() - t);
