/**
 * Every DynamoDB table Gazette uses, as plain data. The local bootstrap creates tables from it
 * (create-tables.ts) and the CDK stack maps the same description to `dynamodb.TableV2`, so the two
 * cannot drift. Adding a table = adding an entry to {@link TABLES}; both sides pick it up.
 *
 * This module imports no SDK: the CDK app can load it without pulling in a client.
 */
import type { Cadence } from '../../core/model.js';
import { FANOUT_SHARDS } from '../../core/subscriber.js';

export type AttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: AttributeType;
}

export type Projection =
  | { type: 'ALL' }
  | { type: 'KEYS_ONLY' }
  /** Keys of the table and the index are always projected; list only the other attributes. */
  | { type: 'INCLUDE'; attributes: readonly string[] };

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: Projection;
}

export interface TableDefinition {
  /** Name without the stage prefix, e.g. `subscribers`. */
  logicalName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalIndexes: readonly IndexDefinition[];
  /** Attribute holding an expiry in epoch seconds; DynamoDB deletes the item some time after. */
  ttlAttribute?: string;
  billing: 'PAY_PER_REQUEST';
}

/** The sparse fan-out index of `subscribers`: only active subscribers carry `fanoutKey`. */
export const FANOUT_INDEX = 'byFanout';
/** The index of `editions` by cadence, sorted by window end (ISO instants sort as text). */
export const EDITIONS_BY_CADENCE_INDEX = 'byCadence';
/** The index of `editions` by cadence, sorted by creation (the editor lists the newest first). */
export const EDITIONS_BY_CREATION_INDEX = 'byCreatedAt';
/** The index of `deliveries` by SES MessageId, so that SES events can settle a delivery. */
export const MESSAGE_ID_INDEX = 'byMessageId';

export const TABLES = {
  subscribers: {
    logicalName: 'subscribers',
    partitionKey: { name: 'emailKey', type: 'S' },
    globalIndexes: [
      {
        name: FANOUT_INDEX,
        partitionKey: { name: 'fanoutKey', type: 'S' },
        sortKey: { name: 'id', type: 'S' },
        // What fan-out needs to address a recipient; emailKey and id come with the keys.
        projection: { type: 'INCLUDE', attributes: ['email', 'cadence', 'topics', 'status'] },
      },
    ],
    billing: 'PAY_PER_REQUEST',
  },
  suppressions: {
    logicalName: 'suppressions',
    partitionKey: { name: 'emailKey', type: 'S' },
    globalIndexes: [],
    billing: 'PAY_PER_REQUEST',
  },
  rateLimits: {
    logicalName: 'rateLimits',
    partitionKey: { name: 'key', type: 'S' },
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
    billing: 'PAY_PER_REQUEST',
  },
  editions: {
    logicalName: 'editions',
    partitionKey: { name: 'id', type: 'S' },
    globalIndexes: [
      {
        // The latest edition of a cadence is where its next window starts.
        name: EDITIONS_BY_CADENCE_INDEX,
        partitionKey: { name: 'cadence', type: 'S' },
        sortKey: { name: 'windowEnd', type: 'S' },
        projection: { type: 'ALL' },
      },
      {
        // Newest first per cadence: listing reads `limit` items per cadence, never the table.
        name: EDITIONS_BY_CREATION_INDEX,
        partitionKey: { name: 'cadence', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
        projection: { type: 'ALL' },
      },
    ],
    billing: 'PAY_PER_REQUEST',
  },
  deliveries: {
    logicalName: 'deliveries',
    partitionKey: { name: 'editionId', type: 'S' },
    sortKey: { name: 'subscriberId', type: 'S' },
    globalIndexes: [
      {
        name: MESSAGE_ID_INDEX,
        partitionKey: { name: 'messageId', type: 'S' },
        projection: { type: 'ALL' },
      },
    ],
    billing: 'PAY_PER_REQUEST',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** `${prefix}${logicalName}`, e.g. `gazette-dev-subscribers`. */
export function physicalTableName(prefix: string, table: TableName): string {
  return `${prefix}${TABLES[table].logicalName}`;
}

/** Physical names of every table for a stage prefix. */
export function tableNames(prefix: string): Record<TableName, string> {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, physicalTableName(prefix, t)])) as Record<
    TableName,
    string
  >;
}

/**
 * The fan-out index key: `<cadence>#<shard, 2 digits>`, e.g. `weekly#07`. Set only while a
 * subscriber is active, so the index holds exactly the people to mail.
 */
export function fanoutKeyOf(cadence: Cadence, shard: number): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= FANOUT_SHARDS) {
    throw new RangeError(`fan-out shard ${shard} is outside 0…${FANOUT_SHARDS - 1}`);
  }
  return `${cadence}#${String(shard).padStart(2, '0')}`;
}
