import type { FileInfo, JournalEntryInfo } from '../../admin-contract.ts';

/** One line of the readable journal: a whole upload's story, or one other event. */
export type JournalLine =
  | {
      kind: 'story';
      key: string;
      fileId: number;
      at: number;
      file: FileInfo;
      steps: { type: string; at: number }[];
    }
  | { kind: 'event'; key: string; entry: JournalEntryInfo };

const isStoryEvent = (type: string): boolean => type.startsWith('upload:') || type.startsWith('file:');

/**
 * Folds entries (newest first) into lines: every upload:* and file:* event of one upload becomes
 * one story line, placed where its newest event is and showing the upload as that event left it.
 */
export function journalLines(newestFirst: readonly JournalEntryInfo[]): JournalLine[] {
  const lines: JournalLine[] = [];
  const stories = new Map<number, Extract<JournalLine, { kind: 'story' }>>();
  for (const entry of newestFirst) {
    const data = entry.data as Partial<FileInfo> | null;
    if (isStoryEvent(entry.type) && typeof data?.id === 'number') {
      const story = stories.get(data.id);
      if (story) {
        story.steps.unshift({ type: entry.type, at: entry.at });
        continue;
      }
      const line = {
        kind: 'story' as const,
        key: `story-${data.id}`,
        fileId: data.id,
        at: entry.at,
        file: data as FileInfo,
        steps: [{ type: entry.type, at: entry.at }],
      };
      stories.set(data.id, line);
      lines.push(line);
    } else {
      lines.push({ kind: 'event', key: `event-${entry.id}`, entry });
    }
  }
  return lines;
}

/** "upload:received" → "received"; a story's steps read as the states they reached. */
export const stepName = (type: string): string => type.split(':')[1] ?? type;
