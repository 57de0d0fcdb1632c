/**
 * An SES client whose network is stubbed: the request is serialized, signed and sent through the
 * SDK's whole middleware stack, and the request handler answers at once with SES's real
 * SendRawEmail response. What it costs is the SDK call's CPU, with no socket and no wait.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { SESClient } from '@aws-sdk/client-ses';
import { HttpResponse } from '@smithy/core/transport';

const XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';

export function stubbedSesClient(): { client: SESClient; requests: () => number } {
  let requests = 0;
  const requestHandler = {
    async handle() {
      requests += 1;
      const xml =
        `<SendRawEmailResponse xmlns="${XMLNS}"><SendRawEmailResult><MessageId>${randomUUID()}-000000</MessageId>` +
        `</SendRawEmailResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></SendRawEmailResponse>`;
      return {
        response: new HttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'text/xml', 'content-length': String(Buffer.byteLength(xml)) },
          body: Readable.from([Buffer.from(xml)]),
        }),
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
  };
  const client = new SESClient({
    region: 'us-east-1',
    endpoint: 'https://email.us-east-1.amazonaws.com',
    credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-secret' },
    requestHandler,
    maxAttempts: 1,
  });
  return { client, requests: () => requests };
}
