import type { EditionProgress } from '../../core/edition.js';
import type { CreateEditionResult, EditionRequest } from '../../core/editions/create-edition.js';
import type { PauseResult } from '../../core/editions/pause-edition.js';
import type { PreviewResult } from '../../core/editions/preview-edition.js';
import type { SendTestResult } from '../../core/editions/send-test.js';

/**
 * How editors prove who they are.
 * - `bearer`: locally, a random token generated at start and printed (`Authorization: Bearer …`).
 * - `iam`: on AWS, API Gateway's IAM authorizer checks the SigV4 signature before the function
 *   runs; the app also requires the caller's identity in the Lambda event, so a route reached
 *   any other way (a misconfigured API) is refused.
 */
export type EditorAuth = { kind: 'bearer'; token: string } | { kind: 'iam' };

/** One edition in the editor's list (`EditionSummary` of adapters/compose fits). */
export interface EditionListing {
  id: string;
  state: EditionProgress['state'];
  progress: EditionProgress;
}

/** The use cases the editor API calls (`DeliveryServices` of adapters/compose fits). */
export interface EditorServices {
  /** Create (idempotent) and fan out: "send now". */
  createEdition(request: EditionRequest): Promise<CreateEditionResult>;
  preview(request: EditionRequest): Promise<PreviewResult>;
  sendTest(input: { editionId: string; to: readonly unknown[] }): Promise<SendTestResult>;
  progress(editionId: string): Promise<EditionProgress | undefined>;
  listEditions(limit: number): Promise<readonly EditionListing[]>;
  pause(editionId: string): Promise<PauseResult>;
  resume(editionId: string): Promise<PauseResult>;
}

/** What the web app needs to serve the editor API under `/editor/editions`. */
export interface EditorDeps {
  auth: EditorAuth;
  services: EditorServices;
}
