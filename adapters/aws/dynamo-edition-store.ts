import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EditionNotFoundError } from '../../core/delivery/delivery-errors.js';
import type { Edition, EditionState, EditionVariant, ShardProgress } from '../../core/edition.js';
import { CADENCES, type Cadence } from '../../core/model.js';
import type { EditionStore, WriteResult } from '../../core/ports.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { EDITIONS_BY_CADENCE_INDEX, EDITIONS_BY_CREATION_INDEX } from './tables.js';

/** Most editions one `list` call returns. */
export const MAX_EDITION_LIST = 1000;

/** Shard keys as fan-out writes them: `"00"` … `"99"`. */
const SHARD_KEY = /^\d{2}$/;

/**
 * Editions in the `editions` table, one item per deterministic id. `create` is a conditional put
 * (a second trigger finds the first edition); every later change is an UpdateItem on the fields
 * it concerns, so fan-out shards, variants and state changes written concurrently never
 * overwrite each other. The item also carries `variantKeys`, a string set that makes
 * {@link addVariant} a single conditional write.
 */
export class DynamoEditionStore implements EditionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Edition | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return res.Item ? toEdition(res.Item) : undefined;
  }

  create(edition: Edition): Promise<WriteResult> {
    return putIfAbsent(this.db, this.tableName, toItem(edition), 'id');
  }

  /**
   * The cadence's edition with the latest window end, from the `byCadence` index. Index reads are
   * eventually consistent: an edition created a moment ago may not show yet. That is safe, since
   * the next edition's id is deterministic and its creation conditional.
   */
  async latest(cadence: Cadence): Promise<Edition | undefined> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: EDITIONS_BY_CADENCE_INDEX,
        KeyConditionExpression: 'cadence = :c',
        ExpressionAttributeValues: { ':c': cadence },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = res.Items?.[0];
    return item ? toEdition(item) : undefined;
  }

  /**
   * The newest editions by creation time: `limit` items from the `byCreatedAt` index of each
   * cadence, merged. Reads at most 3 × `limit` items, however many editions exist.
   */
  async list(limit: number): Promise<Edition[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EDITION_LIST) {
      throw new RangeError(`list limit must be a whole number within 1…${MAX_EDITION_LIST}, got ${limit}`);
    }
    const perCadence = await Promise.all(
      CADENCES.map(async (cadence) => {
        const items: Array<Record<string, unknown>> = [];
        let start: Record<string, unknown> | undefined;
        do {
          const res = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: EDITIONS_BY_CREATION_INDEX,
              KeyConditionExpression: 'cadence = :c',
              ExpressionAttributeValues: { ':c': cadence },
              ScanIndexForward: false,
              Limit: limit - items.length,
              ExclusiveStartKey: start,
            }),
          );
          items.push(...(res.Items ?? []));
          start = res.LastEvaluatedKey;
        } while (start && items.length < limit);
        return items.map(toEdition);
      }),
    );
    return perCadence
      .flat()
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))
      .slice(0, limit);
  }

  /** `SET shards.#shard = :progress`: the same call twice writes the same numbers. */
  async recordShard(id: string, shard: string, progress: ShardProgress): Promise<void> {
    if (!SHARD_KEY.test(shard))
      throw new RangeError(`shard key must be two digits, got ${JSON.stringify(shard)}`);
    await this.update(id, {
      UpdateExpression: 'SET #shards.#shard = :progress',
      ExpressionAttributeNames: { '#shards': 'shards', '#shard': shard },
      ExpressionAttributeValues: { ':progress': { done: progress.done, planned: progress.planned } },
    });
  }

  /**
   * Sets the state and its timestamp: `pausedAt` while paused (removed on resume), `doneAt` when
   * done. Unconditional but for the edition having to exist.
   */
  async setState(id: string, state: EditionState, at: Date): Promise<void> {
    const names: Record<string, string> = { '#state': 'state', '#pausedAt': 'pausedAt' };
    const values: Record<string, unknown> = { ':state': state };
    let expression: string;
    if (state === 'paused') {
      values[':at'] = at.toISOString();
      expression = 'SET #state = :state, #pausedAt = :at';
    } else if (state === 'done') {
      names['#doneAt'] = 'doneAt';
      values[':at'] = at.toISOString();
      expression = 'SET #state = :state, #doneAt = :at REMOVE #pausedAt';
    } else {
      expression = 'SET #state = :state REMOVE #pausedAt';
    }
    await this.update(id, {
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** Keeps the first completion time when fan-out is repeated. */
  async markFannedOut(id: string, at: Date): Promise<void> {
    await this.update(id, {
      UpdateExpression: 'SET #fannedOutAt = if_not_exists(#fannedOutAt, :at)',
      ExpressionAttributeNames: { '#fannedOutAt': 'fannedOutAt' },
      ExpressionAttributeValues: { ':at': at.toISOString() },
    });
  }

  /** Appends the variant unless its key is already in `variantKeys`: one conditional write. */
  async addVariant(id: string, variant: EditionVariant): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression:
            'SET #variants = list_append(if_not_exists(#variants, :none), :variant) ADD #variantKeys :keys',
          ConditionExpression: 'attribute_exists(id) AND NOT contains(#variantKeys, :key)',
          ExpressionAttributeNames: { '#variants': 'variants', '#variantKeys': 'variantKeys' },
          ExpressionAttributeValues: {
            ':none': [],
            ':variant': [toVariantItem(variant)],
            ':keys': new Set([variant.key]),
            ':key': variant.key,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Either the key is there already (a no-op by contract) or the edition does not exist.
      if (!(await this.exists(id))) throw new EditionNotFoundError(id, { cause: error });
    }
  }

  private async update(
    id: string,
    input: {
      UpdateExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    },
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          // Without it an update of an unknown id would create a stub item.
          ConditionExpression: 'attribute_exists(id)',
          ...input,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new EditionNotFoundError(id, { cause: error });
      throw error;
    }
  }

  private async exists(id: string): Promise<boolean> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { id },
        ConsistentRead: true,
        ProjectionExpression: 'id',
      }),
    );
    return res.Item !== undefined;
  }
}

function toVariantItem(v: EditionVariant): Record<string, unknown> {
  return { key: v.key, postSlugs: [...v.postSlugs], subject: v.subject, objectKey: v.objectKey };
}

function toItem(edition: Edition): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: edition.id,
    cadence: edition.cadence,
    kind: edition.kind,
    windowStart: edition.windowStart,
    windowEnd: edition.windowEnd,
    postSlugs: [...edition.postSlugs],
    variants: edition.variants.map(toVariantItem),
    state: edition.state,
    trigger: edition.trigger,
    createdAt: edition.createdAt,
    // Always a map, so that `SET shards.#shard` has a parent to write into.
    shards: Object.fromEntries(
      Object.entries(edition.shards ?? {}).map(([k, p]) => [k, { done: p.done, planned: p.planned }]),
    ),
    fannedOutAt: edition.fannedOutAt,
    pausedAt: edition.pausedAt,
    doneAt: edition.doneAt,
  };
  // DynamoDB has no empty sets: the attribute appears with the first variant.
  if (edition.variants.length > 0) item.variantKeys = new Set(edition.variants.map((v) => v.key));
  return item;
}

function toEdition(item: Record<string, unknown>): Edition {
  const shards: Record<string, ShardProgress> = {};
  for (const [k, v] of Object.entries((item.shards ?? {}) as Record<string, Record<string, unknown>>)) {
    shards[k] = { done: v.done === true, planned: Number(v.planned ?? 0) };
  }
  const optional = (name: 'fannedOutAt' | 'pausedAt' | 'doneAt') =>
    typeof item[name] === 'string' ? { [name]: item[name] as string } : {};
  return {
    id: String(item.id),
    cadence: item.cadence as Cadence,
    kind: item.kind as Edition['kind'],
    windowStart: String(item.windowStart),
    windowEnd: String(item.windowEnd),
    postSlugs: Array.isArray(item.postSlugs) ? item.postSlugs.map(String) : [],
    variants: Array.isArray(item.variants)
      ? (item.variants as Array<Record<string, unknown>>).map((v) => ({
          key: String(v.key),
          postSlugs: Array.isArray(v.postSlugs) ? v.postSlugs.map(String) : [],
          subject: String(v.subject),
          objectKey: String(v.objectKey),
        }))
      : [],
    state: item.state as EditionState,
    trigger: item.trigger as Edition['trigger'],
    createdAt: String(item.createdAt),
    shards,
    ...optional('fannedOutAt'),
    ...optional('pausedAt'),
    ...optional('doneAt'),
  };
}
