/** One journal row as queries return it: an event, when it happened, and its payload. */
export interface JournalEntry {
  id: number;
  at: number;
  type: string;
  account: string | null;
  subject: string | null;
  message: string | null;
  data: unknown;
}
