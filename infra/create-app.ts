import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Publication } from '../core/model.js';
import { readPublication } from './config/read-publication.js';
import { publicUrlOf, readStageConfig, type StageConfig } from './config/stage-config.js';
import { acknowledgeCdkProviders } from './nag/acknowledge-cdk-providers.js';
import { acknowledgeGrantWildcards } from './nag/acknowledge-grant-wildcards.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { DEFAULT_CONTENT_DIR, StatelessStack } from './stacks/stateless-stack.js';

export interface GazetteApp {
  app: App;
  config: StageConfig;
  publication: Publication;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export interface CreateAppOptions extends AppProps {
  /** The content folder whose publication.yaml is deployed (default: content/ of the repository). */
  contentDir?: string;
  /** Run cdk-nag's AwsSolutions checks at synthesis (default true). */
  nag?: boolean;
}

/**
 * The Gazette CDK app for the stage chosen by context: a stateful and a stateless stack, named
 * `Gazette-<stage>-Stateful` and `Gazette-<stage>-Stateless`, checked by cdk-nag's AwsSolutions
 * rules (a finding that is not acknowledged with its reason fails the synthesis).
 * @throws ConfigError listing every missing or wrong context value; ContentError for a bad
 * publication.yaml.
 */
export function createGazetteApp(options: CreateAppOptions = {}): GazetteApp {
  const { contentDir = DEFAULT_CONTENT_DIR, nag = true, ...appProps } = options;
  const app = new App(appProps);
  const publication = readPublication(contentDir);
  const config = readStageConfig((key) => app.node.tryGetContext(key), {
    fromAddress: publication.email.from.address,
  });
  const env = {
    account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: config.region ?? process.env.CDK_DEFAULT_REGION,
  };
  const prefix = `Gazette-${config.stage}`;

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    description: `Gazette (${config.stage}): subscribers, ledger, buckets, secret, SES identity; all retained`,
    terminationProtection: true,
    config,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    description: `Gazette (${config.stage}): functions, HTTP API, CloudFront, queue, schedules, alarms`,
    config,
    publication,
    stateful,
    publicUrl: publicUrlOf(config, publication.url),
    contentDir,
  });
  stateless.addStackDependency(stateful);
  Tags.of(app).add('gazette:stage', config.stage);

  for (const stack of [stateful, stateless]) {
    acknowledgeGrantWildcards(stack);
    acknowledgeCdkProviders(stack);
  }
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, config, publication, stateful, stateless };
}
