/** How far the worker is through a file; the worker reports it a few times a second. */
export interface FileProgress {
  records: number;
  bytes: number;
}

/** Passes a file's chunks through, counting the bytes read into `progress`. */
export async function* countBytes(
  source: AsyncIterable<Buffer>,
  progress: FileProgress,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    progress.bytes += chunk.length;
    yield chunk;
  }
}
