import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { physicalTableName, TABLE_NAMES, TABLES, type TableName } from '../../adapters/aws/tables.js';
import { type BucketRole, bucketName, tablePrefix } from '../config/resource-names.js';

export interface StoredResources {
  tables: Record<TableName, dynamodb.ITableV2>;
  contentBucket: s3.IBucket;
  siteBucket: s3.IBucket;
  logsBucket: s3.IBucket;
}

/** The stateful stack's tables (with their indexes, for the grants) and buckets, by name. */
export function storedResources(scope: Construct, stage: string): StoredResources {
  const tables = Object.fromEntries(
    TABLE_NAMES.map((t) => [
      t,
      dynamodb.TableV2.fromTableAttributes(scope, `${pascal(t)}Table`, {
        tableName: physicalTableName(tablePrefix(stage), t),
        globalIndexes: TABLES[t].globalIndexes.map((i) => i.name),
      }),
    ]),
  ) as Record<TableName, dynamodb.ITableV2>;
  const bucket = (role: BucketRole) =>
    s3.Bucket.fromBucketName(scope, `${pascal(role)}Bucket`, bucketName(stage, role));
  return { tables, contentBucket: bucket('content'), siteBucket: bucket('site'), logsBucket: bucket('logs') };
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
