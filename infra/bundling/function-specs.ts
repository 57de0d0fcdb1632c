/**
 * The Lambda functions Gazette deploys: one per entry point in functions/, referenced by path
 * only (infra never imports handler code). The stack and bench/bundles.ts both read this list.
 */

export type FunctionName = 'http' | 'sesEvents' | 'publish' | 'edition' | 'sendWorker';

export interface FunctionSpec {
  /** Entry point, relative to the project root. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * Folders of the repository copied next to the bundle: `templates/` for a function that
   * renders pages or mail, `content/` for one that reads the publication from its own bundle.
   */
  copies: ReadonlyArray<'content' | 'templates'>;
}

/** The send worker's timeout; the queue's visibility timeout is a multiple of it. */
export const SEND_WORKER_TIMEOUT_SECONDS = 120;

export const FUNCTION_SPECS: Record<FunctionName, FunctionSpec> = {
  http: {
    entry: 'functions/http.ts',
    description: 'Subscribe, confirm, preferences, unsubscribe and the editor API (Hono)',
    memoryMb: 512,
    // API Gateway gives up after 30 s; answering later is pointless.
    timeoutSeconds: 28,
    copies: ['content', 'templates'],
  },
  sesEvents: {
    entry: 'functions/ses-events.ts',
    description: 'SES bounce, complaint and delivery events from SNS: suppress and settle deliveries',
    memoryMb: 256,
    timeoutSeconds: 30,
    copies: [],
  },
  publish: {
    entry: 'functions/publish.ts',
    description: 'Builds the archive and feeds from the content bucket into the site bucket',
    memoryMb: 1024,
    timeoutSeconds: 300,
    copies: ['templates'],
  },
  edition: {
    entry: 'functions/edition.ts',
    description: 'Creates an edition (render once) and fans its recipients out to the send queue',
    memoryMb: 1024,
    timeoutSeconds: 600,
    copies: ['templates'],
  },
  sendWorker: {
    entry: 'functions/send-worker.ts',
    description: 'Sends queued deliveries through SES at the configured rate, exactly once',
    memoryMb: 512,
    timeoutSeconds: SEND_WORKER_TIMEOUT_SECONDS,
    copies: [],
  },
};

export const FUNCTION_NAMES = Object.keys(FUNCTION_SPECS) as FunctionName[];
