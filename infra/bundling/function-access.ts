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
  /** SES SendRawEmail through the stage's identity and configuration set. */
  sendMail: boolean;
  /** ses:GetSendQuota, to learn the account's maximum send rate. */
  sendQuota: boolean;
  /** The send queue: fill it, or drain it as an event source. */
  queue?: 'send' | 'consume' | undefined;
  /** Invoke the edition function asynchronously (an editor's "send now"). */
  invokeEdition: boolean;
}

export const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  http: {
    tables: {
      subscribers: 'readWrite',
      suppressions: 'readWrite',
      rateLimits: 'readWrite',
      editions: 'readWrite',
      deliveries: 'read',
    },
    site: 'read',
    secret: true,
    sendMail: true,
    sendQuota: false,
    invokeEdition: true,
  },
  sesEvents: {
    tables: { subscribers: 'readWrite', suppressions: 'readWrite', deliveries: 'readWrite' },
    secret: false,
    sendMail: false,
    sendQuota: false,
    invokeEdition: false,
  },
  publish: {
    tables: { editions: 'readWrite' },
    site: 'readWrite',
    content: 'read',
    secret: false,
    sendMail: false,
    sendQuota: false,
    invokeEdition: true,
  },
  edition: {
    tables: { subscribers: 'read', editions: 'readWrite' },
    site: 'readWrite',
    content: 'read',
    secret: false,
    sendMail: false,
    sendQuota: false,
    queue: 'send',
    invokeEdition: false,
  },
  sendWorker: {
    tables: { subscribers: 'read', suppressions: 'read', editions: 'readWrite', deliveries: 'readWrite' },
    site: 'read',
    secret: true,
    sendMail: true,
    sendQuota: true,
    queue: 'consume',
    invokeEdition: false,
  },
};
