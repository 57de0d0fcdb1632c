import type { Context } from 'hono';
import type { SubscriberDirectory } from '../../../core/ports.js';
import { exportSubscribersCsv } from '../../../core/subscribers-admin/export-subscribers.js';
import type { AppContext } from '../../app-context.js';

/**
 * The subscriber list as a CSV download. Built whole before the answer starts, so a read that
 * fails halfway gives an error, never a file silently cut short. The file name carries the date;
 * the answer is never cached (it holds personal data).
 */
export async function exportResponse(
  c: Context,
  ctx: AppContext,
  directory: SubscriberDirectory,
): Promise<Response> {
  const parts: string[] = [];
  for await (const chunk of exportSubscribersCsv(directory)) parts.push(chunk);
  const date = ctx.deps.clock.now().toISOString().slice(0, 10);
  return c.body(parts.join(''), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="subscribers-${date}.csv"`,
    'Cache-Control': 'no-store',
  });
}
