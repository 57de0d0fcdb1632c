/**
 * The SES stand-in of tests/support as a child process of a benchmark (its CPU is then not the
 * worker's). Driven over IPC by bench/delivery/child-services.ts: `configure`, `reset`, `stats`.
 * Raw messages are not kept; duplicates are counted by recipient.
 */
import { startSesStandIn } from '../../tests/support/ses-stand-in.js';

const standIn = await startSesStandIn({ keepRaw: false });

type Command = { id: number; command: 'configure' | 'reset' | 'stats'; args?: Record<string, unknown> };

process.on('message', (message: Command) => {
  let result: unknown;
  if (message.command === 'configure') standIn.configure(message.args ?? {});
  else if (message.command === 'reset') standIn.reset();
  else {
    let duplicates = 0;
    for (const n of standIn.sendsByRecipient.values()) duplicates += Math.max(0, n - 1);
    const c = standIn.counters;
    result = {
      calls: c.calls,
      accepted: c.accepted,
      throttled: c.throttled,
      serverErrors: c.serverErrors,
      recipients: standIn.sendsByRecipient.size,
      duplicates,
      maxConcurrency: c.maxConcurrency,
    };
  }
  process.send?.({ id: message.id, result: result ?? null });
});

process.on('SIGTERM', () => {
  void standIn.close().then(() => process.exit(0));
});
process.on('disconnect', () => {
  void standIn.close().then(() => process.exit(0));
});

process.send?.({ endpoint: standIn.endpoint });
