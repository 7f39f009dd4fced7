/**
 * Assertions for the library's errors: a TypeError or RangeError (checked by name: errors raised in
 * the addon belong to Node's main realm, not to jest's sandbox) with a `code` and an `argument` that
 * the message names.
 */
export type ErrorName = 'TypeError' | 'RangeError';

export function expectError(fn: () => unknown, name: ErrorName, code: string, argument: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toMatchObject({ name, code, argument });
  expect((caught as Error).message).toContain(argument);
}

export async function expectRejection(p: Promise<unknown>, name: ErrorName, code: string, argument: string): Promise<void> {
  const caught = await p.then(() => undefined, (e: unknown) => e);
  expect(caught).toMatchObject({ name, code, argument });
}
