import type { FileInfo } from '../admin-contract.ts';

/**
 * The board's lists, in the order a file travels. The first six names are pinned (tests and
 * trainers' scripts find them by name); "Set aside" holds uploads that left the cycle without an
 * outcome (superseded by a same-named file, incomplete, removed before pickup).
 */
export const LANES = [
  'Received',
  'Queued',
  'Processing',
  'Processed',
  'Failed',
  'Refused',
  'Set aside',
] as const;
export type Lane = (typeof LANES)[number];

const LANE_OF: Record<FileInfo['state'], Lane> = {
  receiving: 'Received',
  temporary: 'Received',
  received: 'Received',
  queued: 'Queued',
  processing: 'Processing',
  processed: 'Processed',
  failed: 'Failed',
  halted: 'Failed',
  refused: 'Refused',
  superseded: 'Set aside',
  incomplete: 'Set aside',
  removed: 'Set aside',
};

/** A state the server adds later lands in "Set aside" rather than vanishing. */
export const laneOf = (state: string): Lane => LANE_OF[state as FileInfo['state']] ?? 'Set aside';

/** What a lane's cards say about their state when the lane's name does not say it all. */
export const STATE_NOTES: Partial<Record<string, string>> = {
  receiving: 'uploading',
  temporary: 'uploading under a temporary name',
  halted: 'halted before processing',
  superseded: 'superseded by a same-named file',
  incomplete: 'upload incomplete',
  removed: 'removed before pickup',
};

export const LANE_HELP: Record<Lane, string> = {
  Received: 'on the exchange, waiting for pickup',
  Queued: 'picked up, waiting to be processed',
  Processing: 'records being matched',
  Processed: 'reports written',
  Failed: 'processing could not finish',
  Refused: 'the name broke a rule; no bytes kept',
  'Set aside': 'left the cycle without an outcome',
};

/** Why a file did not go through, in OCLC's words (the rule's message, or processing's reason). */
export function reasonOf(file: FileInfo): string | undefined {
  if (file.reason) return file.reason;
  if (file.violations.length > 0) return file.violations.map((v) => v.reason).join(' ');
  return undefined;
}
