import type { OutboxMessage } from '../events/simulator-events.ts';
import type { UploadRecord } from '../storage/upload-store.ts';

/** Sender first; the collection's institution too when another uploaded for it (both get reports). */
const recipients = (file: UploadRecord): string[] =>
  file.targetSymbol === file.senderSymbol ? [file.senderSymbol] : [file.senderSymbol, file.targetSymbol];

export function reportsReady(file: UploadRecord): OutboxMessage {
  const reports = file.summary?.reports ?? [];
  const s = file.summary;
  const counts = s
    ? `${s.records} records: ${Object.entries(s.actions)
        .map(([action, n]) => `${n} ${action}`)
        .join(', ')}; holdings set ${s.holdingsSet}, cancelled ${s.holdingsCancelled}.`
    : '';
  return {
    kind: 'reports-ready',
    to: recipients(file),
    subject: `WorldCat Data Sync: reports are ready for ${file.name}`,
    body: [
      `Your file ${file.name} (collection ${file.collectionId ?? '?'}) has been processed.`,
      counts,
      `Its reports are in /xfer/metacoll/reports:`,
      ...reports.map((r) => `  ${r}`),
    ]
      .filter(Boolean)
      .join('\n'),
    fileId: file.id,
    files: reports,
  };
}

export function fileFailed(file: UploadRecord): OutboxMessage {
  return {
    kind: 'file-failed',
    to: recipients(file),
    subject: `WorldCat Data Sync: ${file.name} could not be processed`,
    body: `Your file ${file.name} could not be processed: ${file.reason ?? 'no reason was given'}.\nCorrect it and upload it again.`,
    fileId: file.id,
    files: [],
  };
}

export function outputDelivered(delivery: {
  symbol: string;
  collectionId: string;
  files: string[];
  records: number;
}): OutboxMessage {
  return {
    kind: 'output-delivered',
    to: [delivery.symbol],
    subject: `WorldCat Data Sync: ${delivery.records} record${delivery.records === 1 ? '' : 's'} delivered for collection ${delivery.collectionId}`,
    body: [
      `${delivery.records} WorldCat record${delivery.records === 1 ? '' : 's'} for collection ${delivery.collectionId} are ready to download:`,
      ...delivery.files.map((f) => `  ${f}`),
    ].join('\n'),
    files: delivery.files,
  };
}
