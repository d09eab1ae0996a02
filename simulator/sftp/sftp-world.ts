import type { Institution } from '../config/simulator-config.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import type { FaultRules } from '../faults/fault-rules.ts';
import type { UploadIntake } from '../intake/upload-intake.ts';

/** What the SFTP server serves of one world (issue 26): its accounts, intake, events and faults. */
export interface SftpWorld {
  readonly institutions: readonly Institution[];
  readonly dataDir: string;
  readonly intake: UploadIntake;
  readonly events: SimulatorEvents;
  readonly faults: FaultRules;
}

/**
 * A login name as `<account>+<namespace>`, split at the last '+' (account names never hold
 * one); a name without '+' is the default namespace's.
 */
export function splitLoginName(user: string): { account: string; namespace: string | undefined } {
  const plus = user.lastIndexOf('+');
  if (plus < 0) return { account: user, namespace: undefined };
  return { account: user.slice(0, plus), namespace: user.slice(plus + 1) };
}
