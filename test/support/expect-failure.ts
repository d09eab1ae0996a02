/** Resolves with the error an operation fails with; fails the test if it succeeds. */
export async function failure(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; message: string };
  }
  throw new Error('the operation succeeded but should have failed');
}
