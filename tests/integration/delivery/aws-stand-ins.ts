/**
 * Two small AWS stand-ins on 127.0.0.1 for running the Lambda entry points in tests, where no
 * emulator exists: SQS (SendMessageBatch, AWS JSON protocol; the SDK sends to the queue URL's
 * host) keeping what it is sent, and Secrets Manager (GetSecretValue) answering one secret.
 * The functions reach them through their ordinary configuration: the queue URL, and the SDK's
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { sqsRecord } from '../../support/sqs-record.js';

export interface StandInServer {
  endpoint: string;
  close(): Promise<void>;
}

async function listen(
  handle: (target: string, body: Record<string, unknown>) => [number, unknown],
): Promise<StandInServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // An empty or non-JSON body is answered as the handler decides.
      }
      const [status, answer] = handle(String(req.headers['x-amz-target'] ?? ''), body);
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface SqsStandIn extends StandInServer {
  queueUrl: string;
  /** Message bodies received, oldest first, with their delay. */
  readonly messages: Array<{ messageId: string; body: string; delaySeconds: number }>;
  /** Takes every message received so far as one SQS event (as the event source mapping would), emptying the list. */
  takeEvent(): SQSEvent;
}

export async function startSqsStandIn(): Promise<SqsStandIn> {
  const messages: Array<{ messageId: string; body: string; delaySeconds: number }> = [];
  const server = await listen((target, body) => {
    if (target !== 'AmazonSQS.SendMessageBatch') {
      return [400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `${target} is not served here` }];
    }
    const entries = (body.Entries ?? []) as Array<{ Id: string; MessageBody: string; DelaySeconds?: number }>;
    const Successful = entries.map((entry) => {
      const messageId = randomUUID();
      messages.push({ messageId, body: entry.MessageBody, delaySeconds: entry.DelaySeconds ?? 0 });
      return {
        Id: entry.Id,
        MessageId: messageId,
        MD5OfMessageBody: createHash('md5').update(entry.MessageBody, 'utf8').digest('hex'),
      };
    });
    return [200, { Successful, Failed: [] }];
  });
  const queueUrl = `${server.endpoint}/000000000000/gazette-send`;
  return {
    ...server,
    queueUrl,
    messages,
    takeEvent() {
      const taken = messages.splice(0);
      return {
        Records: taken.map((m) => sqsRecord(m.messageId, m.body)),
      };
    },
  };
}

/** Secrets Manager answering GetSecretValue for one secret id. */
export async function startSecretsStandIn(secretArn: string, secretString: string): Promise<StandInServer> {
  return listen((target, body) => {
    if (target !== 'secretsmanager.GetSecretValue' || body.SecretId !== secretArn) {
      return [
        400,
        {
          __type: 'ResourceNotFoundException',
          message: 'Secrets Manager can not find the specified secret.',
        },
      ];
    }
    return [
      200,
      { ARN: secretArn, Name: 'gazette-links', SecretString: secretString, VersionId: randomUUID() },
    ];
  });
}
