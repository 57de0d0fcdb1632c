/**
 * A value fit for an SES message tag: only `[A-Za-z0-9_-]` (SES refuses dots there), at most 256
 * characters. Anything else becomes `_`, so an odd id can never make SES refuse the whole send.
 */
export function tagValue(value: string): string {
  const clean = value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
  return clean === '' ? '_' : clean;
}
