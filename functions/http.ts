/**
 * Lambda entry point of the web app (API Gateway HTTP API). Wiring only: config, ports, the
 * signing keys from Secrets Manager, and the publication and templates bundled next to this file
 * (`content/` and `templates/` copied beside the handler at bundling time, or under
 * GAZETTE_BUNDLE_DIR). Built once per container, on the first request.
 */

import { join } from 'node:path';
import type { Hono } from 'hono';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createDynamoDocumentClient } from '../adapters/aws/clients.js';
import { DynamoSubscriberDirectory } from '../adapters/aws/dynamo-subscriber-directory.js';
import { tableNames } from '../adapters/aws/tables.js';
import { createLambdaEditor } from '../adapters/compose/create-lambda-editor.js';
import {
  clientsConfig,
  createAwsSubscriberPorts,
  createSecretsClient,
} from '../adapters/config/create-aws-ports.js';
import { loadOriginVerify } from '../adapters/config/load-origin-verify.js';
import { loadSigningKeys } from '../adapters/config/load-signing-keys.js';
import { createPowertoolsLogger } from '../adapters/config/powertools-logger.js';
import { readRuntimeConfig } from '../adapters/config/read-runtime-config.js';
import { HmacTokenSigner } from '../adapters/crypto/hmac-token-signer.js';
import { readContentDir } from '../adapters/fs/read-content-dir.js';
import { readTemplates } from '../adapters/fs/read-templates.js';
import { loadContent } from '../core/content/load-content.js';
import { publishedTopics } from '../core/subscriptions/published-topics.js';
import { createApp } from '../web/create-app.js';

const logger = createPowertoolsLogger('gazette-web');
const clock = { now: () => new Date() };

async function buildApp(): Promise<Hono> {
  const config = readRuntimeConfig(process.env, ['sesConfigurationSet']);
  // An ESM bundle knows its folder; Lambda's working directory is the bundle root otherwise.
  const bundle = config.bundleDir ?? import.meta.dirname ?? process.cwd();
  const secrets = createSecretsClient(config);
  const [content, templates, keys, originVerify] = await Promise.all([
    readContentDir(join(bundle, 'content')).then(loadContent),
    readTemplates(join(bundle, 'templates')),
    loadSigningKeys(secrets, config.secretArn),
    config.originVerifySecretArn ? loadOriginVerify(secrets, config.originVerifySecretArn) : undefined,
  ]);
  const ports = createAwsSubscriberPorts(config);
  const editor = await createLambdaEditor({
    config,
    bundleDir: bundle,
    emailTemplates: templates.email,
    clock,
    logger,
  });
  return createApp({
    publication: content.publication,
    baseUrl: config.publicUrl,
    ...ports,
    signer: new HmacTokenSigner(keys.current, keys.retired),
    clock,
    logger,
    siteTemplates: templates.site,
    emailTemplates: templates.email,
    topics: () => publishedTopics(content.posts, clock.now()),
    ipHashKey: keys.current.secret,
    originVerify,
    editor,
    // The editors' console rides on the editor API (same IAM-authorized routes).
    console: editor
      ? {
          posts: () => content.posts,
          directory: new DynamoSubscriberDirectory(
            createDynamoDocumentClient(clientsConfig(config)),
            tableNames(config.tablePrefix).subscribers,
          ),
          sessionSecret: keys.current.secret,
        }
      : undefined,
  });
}

let app: Promise<Hono> | undefined;

export const handler = async (event: LambdaEvent, context: LambdaContext) => {
  app ??= buildApp().catch((error: unknown) => {
    app = undefined;
    throw error;
  });
  return handle(await app)(event, context);
};
