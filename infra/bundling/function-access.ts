/**
 * What each function may touch, as data: the stack turns it into grants (each through the
 * resource's own grant method, scoped to that resource) and the tests read it back from the
 * synthesized policies. A function gets nothing that is not listed here.
 */
import type { TableName } from '../../adapters/aws/tables.js';
import type { FunctionName } from './function-specs.js';

export type TableAccess = 'read' | 'readWrite';

export interface FunctionAccess {
  tables: Partial<Record<TableName, TableAccess>>;
  /** The site bucket: archive, feeds and rendered editions. */
  site?: 'read' | 'readWrite' | undefined;
  /** The content bucket the deploy uploads content/ to. */
  content?: 'read' | undefined;
  /** The HMAC signing key. */
  secret: boolean;
  /** The value CloudFront sends in X-Gazette-Origin-Verify (the web app trusts the viewer address by it). */
  originVerify?: boolean | undefined;
  /** SES SendRawEmail through the stage's identity and configuration set. */
  sendMail: boolean;
  /** ses:GetSendQuota, to learn the account's maximum send rate. */
  sendQuota: boolean;
  /** The send queue: fill it, and/or drain it as an event source. */
  queue: ReadonlyArray<'send' | 'consume'>;
}

export const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  // Public pages and the editor API ("send now" renders and fans out inside the request).
  http: {
    tables: {
      subscribers: 'readWrite',
      suppressions: 'readWrite',
      rateLimits: 'readWrite',
      editions: 'readWrite',
      deliveries: 'read',
    },
    site: 'readWrite',
    content: 'read',
    secret: true,
    originVerify: true,
    sendMail: true,
    sendQuota: false,
    queue: ['send'],
  },
  // Suppresses on bounces and complaints; settles ledger rows by SES message id.
  sesEvents: {
    tables: { subscribers: 'readWrite', suppressions: 'readWrite', deliveries: 'readWrite' },
    secret: false,
    sendMail: false,
    sendQuota: false,
    queue: [],
  },
  // Builds the site; creates and fans out the edition of each newly published post.
  publish: {
    tables: { subscribers: 'read', editions: 'readWrite' },
    site: 'readWrite',
    content: 'read',
    secret: false,
    sendMail: false,
    sendQuota: false,
    queue: ['send'],
  },
  // Creates, renders and fans out the scheduled digests.
  edition: {
    tables: { subscribers: 'read', editions: 'readWrite' },
    site: 'readWrite',
    content: 'read',
    secret: false,
    sendMail: false,
    sendQuota: false,
    queue: ['send'],
  },
  // Claims and sends deliveries; puts back the recipients of a paused edition with a delay. The
  // publication's sender and title come with its environment, so it reads no content.
  sendWorker: {
    tables: { subscribers: 'read', editions: 'read', deliveries: 'readWrite' },
    site: 'read',
    secret: true,
    sendMail: true,
    sendQuota: true,
    queue: ['consume', 'send'],
  },
};
