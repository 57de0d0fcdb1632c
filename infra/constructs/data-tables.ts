import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  type AttributeType,
  type IndexDefinition,
  type KeyAttribute,
  physicalTableName,
  TABLE_NAMES,
  TABLES,
  type TableDefinition,
  type TableName,
} from '../../adapters/aws/tables.js';

const ATTRIBUTE_TYPES: Record<AttributeType, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

function index(definition: IndexDefinition): dynamodb.GlobalSecondaryIndexPropsV2 {
  const p = definition.projection;
  return {
    indexName: definition.name,
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
    ...(p.type === 'INCLUDE'
      ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...p.attributes] }
      : {
          projectionType: p.type === 'ALL' ? dynamodb.ProjectionType.ALL : dynamodb.ProjectionType.KEYS_ONLY,
        }),
  };
}

export interface DataTablesProps {
  /** Prefix of every physical table name, e.g. `gazette-prod-`. */
  tablePrefix: string;
}

/**
 * Every table of adapters/aws/tables.ts as a `TableV2`: on-demand, point-in-time recovery,
 * TTL where the description names an attribute, deletion protection and RETAIN (a subscriber
 * list is not something a stack update may lose).
 */
export class DataTables extends Construct {
  readonly tables: Record<TableName, dynamodb.TableV2>;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    this.tables = Object.fromEntries(
      TABLE_NAMES.map((name) => [name, this.table(name, TABLES[name], props.tablePrefix)]),
    ) as Record<TableName, dynamodb.TableV2>;
  }

  private table(name: TableName, definition: TableDefinition, prefix: string): dynamodb.TableV2 {
    return new dynamodb.TableV2(this, name, {
      tableName: physicalTableName(prefix, name),
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      globalSecondaryIndexes: definition.globalIndexes.map(index),
      ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
