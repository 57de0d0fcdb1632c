import { describe, expect, it } from 'vitest';
import { createTableInput } from '../../../../adapters/aws/create-tables.js';
import {
  FANOUT_INDEX,
  fanoutKeyOf,
  MESSAGE_ID_INDEX,
  physicalTableName,
  TABLE_NAMES,
  TABLES,
  tableNames,
} from '../../../../adapters/aws/tables.js';
import { FANOUT_SHARDS } from '../../../../core/subscriber.js';

describe('table definitions', () => {
  it('names tables with the stage prefix', () => {
    expect(physicalTableName('gazette-dev-', 'subscribers')).toBe('gazette-dev-subscribers');
    expect(tableNames('p-')).toEqual({
      subscribers: 'p-subscribers',
      suppressions: 'p-suppressions',
      rateLimits: 'p-rateLimits',
      editions: 'p-editions',
      deliveries: 'p-deliveries',
    });
  });

  it('keys subscribers by emailKey with a sparse fan-out index carrying what fan-out reads', () => {
    const input = createTableInput('t', TABLES.subscribers);
    expect(input.KeySchema).toEqual([{ AttributeName: 'emailKey', KeyType: 'HASH' }]);
    expect(input.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: FANOUT_INDEX,
        KeySchema: [
          { AttributeName: 'fanoutKey', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['email', 'cadence', 'topics', 'status'] },
      },
    ]);
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'emailKey', AttributeType: 'S' },
      { AttributeName: 'fanoutKey', AttributeType: 'S' },
      { AttributeName: 'id', AttributeType: 'S' },
    ]);
  });

  it('keys deliveries by (editionId, subscriberId) with an index by SES MessageId', () => {
    const input = createTableInput('t', TABLES.deliveries);
    expect(input.KeySchema).toEqual([
      { AttributeName: 'editionId', KeyType: 'HASH' },
      { AttributeName: 'subscriberId', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema])).toEqual([
      [MESSAGE_ID_INDEX, [{ AttributeName: 'messageId', KeyType: 'HASH' }]],
    ]);
  });

  it('gives the rate limits a TTL attribute and every table on-demand billing', () => {
    expect(TABLES.rateLimits.ttlAttribute).toBe('expiresAt');
    for (const name of TABLE_NAMES) {
      const input = createTableInput(name, TABLES[name]);
      expect(input.BillingMode).toBe('PAY_PER_REQUEST');
      // Every key attribute is defined exactly once, and nothing else is (DynamoDB refuses both).
      const defined = input.AttributeDefinitions.map((a) => a.AttributeName);
      expect(new Set(defined).size).toBe(defined.length);
      const used = new Set([
        ...input.KeySchema.map((k) => k.AttributeName),
        ...(input.GlobalSecondaryIndexes ?? []).flatMap((i) =>
          (i.KeySchema ?? []).map((k) => k.AttributeName),
        ),
      ]);
      expect(new Set(defined)).toEqual(used);
    }
  });

  it('builds fan-out keys as cadence#two-digit shard, within the shard range', () => {
    expect(fanoutKeyOf('weekly', 7)).toBe('weekly#07');
    expect(fanoutKeyOf('immediate', 0)).toBe('immediate#00');
    expect(fanoutKeyOf('daily', FANOUT_SHARDS - 1)).toBe(`daily#${FANOUT_SHARDS - 1}`);
    expect(() => fanoutKeyOf('daily', FANOUT_SHARDS)).toThrow(RangeError);
    expect(() => fanoutKeyOf('daily', -1)).toThrow(RangeError);
    expect(() => fanoutKeyOf('daily', 1.5)).toThrow(RangeError);
  });
});
