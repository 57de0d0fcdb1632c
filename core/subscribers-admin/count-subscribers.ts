import { CADENCES, type Cadence } from '../model.js';
import type { SubscriberStore } from '../ports.js';
import { SUBSCRIBER_STATUSES, type SubscriberStatus } from '../subscriber.js';

/** The list by status and cadence, every cell present, with totals. */
export interface SubscriberCounts {
  byStatus: Record<SubscriberStatus, { total: number; byCadence: Record<Cadence, number> }>;
  total: number;
}

/** Counts the subscriber list for the editor (a scan on DynamoDB: fine for a console, not a hot path). */
export async function countSubscribers(store: Pick<SubscriberStore, 'count'>): Promise<SubscriberCounts> {
  const raw = await store.count();
  let total = 0;
  const byStatus = Object.fromEntries(
    SUBSCRIBER_STATUSES.map((status) => {
      const cells = raw[status] ?? {};
      const byCadence = Object.fromEntries(CADENCES.map((c) => [c, cells[c] ?? 0])) as Record<
        Cadence,
        number
      >;
      const sum = CADENCES.reduce((n, c) => n + byCadence[c], 0);
      total += sum;
      return [status, { total: sum, byCadence }];
    }),
  ) as SubscriberCounts['byStatus'];
  return { byStatus, total };
}
