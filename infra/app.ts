/**
 * The CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). Configuration problems are printed as
 * a list and end the process, instead of a stack trace.
 */
import { ConfigError, ContentError } from '../core/errors.js';
import { createGazetteApp } from './create-app.js';

try {
  createGazetteApp().app.synth();
} catch (error) {
  if (error instanceof ConfigError || error instanceof ContentError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
