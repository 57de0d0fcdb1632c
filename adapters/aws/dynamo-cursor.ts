/**
 * DynamoDB's LastEvaluatedKey handed out as an opaque page cursor: base64url-encoded JSON. The
 * reader of a cursor checks that the key is one its own pages end with.
 */

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key a cursor holds; a RangeError with `message` when it is not base64url JSON of an object. */
export function decodeCursor(cursor: string, message: string): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new RangeError(message, { cause: error });
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new RangeError(message);
  return key as Record<string, unknown>;
}
