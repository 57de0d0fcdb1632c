import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  type IndexDefinition,
  type KeyAttribute,
  physicalTableName,
  TABLE_NAMES,
  TABLES,
  type TableDefinition,
  type TableName,
} from './tables.js';

/** A table did not become ACTIVE in time. */
export class TableNotReadyError extends Error {
  override readonly name = 'TableNotReadyError';
}

export interface CreateTablesResult {
  created: string[];
  existing: string[];
}

/**
 * Creates every table of {@link TABLES} under `prefix` that does not exist yet, then waits until
 * each one and its indexes are ACTIVE. Meant for the local emulator and tests; on AWS the CDK
 * stack owns the tables (and their TTL, which dynalite does not implement).
 */
export async function createTables(
  client: DynamoDBClient,
  prefix: string,
  options: { timeoutMs?: number; tables?: readonly TableName[] } = {},
): Promise<CreateTablesResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const result: CreateTablesResult = { created: [], existing: [] };
  await Promise.all(
    (options.tables ?? TABLE_NAMES).map(async (table) => {
      const name = physicalTableName(prefix, table);
      if (await describe(client, name)) {
        result.existing.push(name);
      } else {
        try {
          await client.send(new CreateTableCommand(createTableInput(name, TABLES[table])));
          result.created.push(name);
        } catch (error) {
          // Someone else created it between our look and our create: that is fine.
          if (!(error instanceof ResourceInUseException)) throw error;
          result.existing.push(name);
        }
      }
      await waitUntilActive(client, name, deadline);
    }),
  );
  result.created.sort();
  result.existing.sort();
  return result;
}

/** The CreateTable request for one table definition. */
export function createTableInput(name: string, table: TableDefinition) {
  const attributes = new Map<string, KeyAttribute>();
  const keep = (k: KeyAttribute | undefined) => {
    if (k) attributes.set(k.name, k);
  };
  keep(table.partitionKey);
  keep(table.sortKey);
  for (const index of table.globalIndexes) {
    keep(index.partitionKey);
    keep(index.sortKey);
  }
  const AttributeDefinitions: AttributeDefinition[] = [...attributes.values()].map((a) => ({
    AttributeName: a.name,
    AttributeType: a.type,
  }));
  return {
    TableName: name,
    BillingMode: table.billing,
    AttributeDefinitions,
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalIndexes.length > 0
      ? { GlobalSecondaryIndexes: table.globalIndexes.map(indexInput) }
      : {}),
  };
}

function keySchema(partition: KeyAttribute, sort: KeyAttribute | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partition.name, KeyType: 'HASH' },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function indexInput(index: IndexDefinition): GlobalSecondaryIndex {
  const p = index.projection;
  return {
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection:
      p.type === 'INCLUDE'
        ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...p.attributes] }
        : { ProjectionType: p.type },
  };
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, name: string, deadline: number): Promise<void> {
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const table = await describe(client, name);
    const ready =
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (ready) return;
    if (Date.now() + delay > deadline) {
      throw new TableNotReadyError(
        `table ${name} is ${table?.TableStatus ?? 'missing'}, not ACTIVE, after waiting`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
