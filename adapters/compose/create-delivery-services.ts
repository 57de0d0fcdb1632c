/**
 * The delivery engine's use cases wired from ports, in one place, so the Lambda functions, the
 * local stack and the benchmarks put it together identically. This module loads the MJML
 * renderer (fan-out, previews); the send function uses create-delivery-worker.ts instead.
 */
import type { FanOutResult } from '../../core/delivery/fan-out.js';
import { createFanOut } from '../../core/delivery/fan-out.js';
import type { SendWorker } from '../../core/delivery/send-worker.js';
import {
  createSesEventSettler,
  type SesDeliveryEvent,
  type SettleResult,
} from '../../core/delivery/settle-from-ses-event.js';
import type { EditionProgress, EditionTrigger } from '../../core/edition.js';
import {
  type CreateEditionDeps,
  type CreateEditionResult,
  createEditionCreator,
  type EditionRequest,
} from '../../core/editions/create-edition.js';
import { createPostEditionsCreator } from '../../core/editions/create-post-editions.js';
import { createProgressReader } from '../../core/editions/get-progress.js';
import {
  createEditionPauser,
  createEditionResumer,
  type PauseResult,
} from '../../core/editions/pause-edition.js';
import { createEditionPreviewer, type PreviewResult } from '../../core/editions/preview-edition.js';
import type { RenderVariant } from '../../core/editions/render-variant.js';
import {
  createScheduledEditionRunner,
  type ScheduledEditionInput,
} from '../../core/editions/run-scheduled-edition.js';
import { createTestSender, type SendTestResult } from '../../core/editions/send-test.js';
import { templateVariantRenderer } from '../../core/editions/template-variant-renderer.js';
import { ConfigError } from '../../core/errors.js';
import { createDeliveryWorker } from './create-delivery-worker.js';
import type { DeliveryOptions, DeliveryPorts } from './delivery-ports.js';
import { createEditionLister, type EditionSummary } from './list-editions.js';

/** Every use case of the delivery engine, ready to call. */
export interface DeliveryServices {
  /** Creates an edition (idempotent) and fans it out; an editor's "send now" by default. */
  createEdition(
    request: EditionRequest,
    options?: { trigger?: EditionTrigger; scheduledTime?: Date },
  ): Promise<CreateEditionResult>;
  /** What a digest schedule calls (EventBridge Scheduler on AWS, the cron locally). */
  runScheduledEdition(input: ScheduledEditionInput): Promise<CreateEditionResult>;
  /** What a publish calls with the posts it published for the first time. */
  createPostEditions: ReturnType<typeof createPostEditionsCreator>;
  /** Puts an edition's audience on the send queue (resumes the shards not done). */
  fanOut(editionId: string): Promise<FanOutResult>;
  /**
   * The queue consumer: one per process, its rate and caches shared by every batch. Made on
   * first use, from `options.worker` and `ports.signer` (a ConfigError when either is missing or
   * the settings are wrong).
   */
  readonly sendWorker: SendWorker;
  progress(editionId: string): Promise<EditionProgress | undefined>;
  listEditions(limit: number): Promise<EditionSummary[]>;
  pause(editionId: string): Promise<PauseResult>;
  resume(editionId: string): Promise<PauseResult>;
  preview(request: EditionRequest): Promise<PreviewResult>;
  sendTest(input: { editionId: string; to: readonly unknown[] }): Promise<SendTestResult>;
  /** Settles a delivery from an SES event carrying the `edition` and `subscriber` tags. */
  settleSesEvent(event: SesDeliveryEvent): Promise<SettleResult>;
  /** The renderer fan-out and previews use (the publication's templates, MJML + Liquid). */
  renderVariant: RenderVariant;
}

/**
 * Wires every use case of the delivery engine from already-built ports. Cheap: closures over
 * the ports, except the send worker, whose token bucket and caches should live as long as the
 * process; build the services once per process (or once per invocation for the functions that
 * do not send).
 */
export function createDeliveryServices(ports: DeliveryPorts, options: DeliveryOptions): DeliveryServices {
  const { publication, loadPosts } = options;
  const renderVariant: RenderVariant = async (request) => {
    const templates =
      typeof options.emailTemplates === 'function' ? await options.emailTemplates() : options.emailTemplates;
    return templateVariantRenderer(publication, templates)(request);
  };
  const fanOut = createFanOut({
    editions: ports.editions,
    subscribers: ports.subscribers,
    queue: ports.queue,
    objects: ports.objects,
    renderVariant,
    loadPosts,
    publication,
    clock: ports.clock,
    logger: ports.logger,
  });
  const creation: CreateEditionDeps = {
    editions: ports.editions,
    publication,
    loadPosts,
    clock: ports.clock,
    fanOut,
    logger: ports.logger,
  };
  const progress = createProgressReader({
    editions: ports.editions,
    ledger: ports.ledger,
    clock: ports.clock,
  });
  const state = { editions: ports.editions, clock: ports.clock };
  let worker: SendWorker | undefined;
  return {
    createEdition: createEditionCreator(creation),
    runScheduledEdition: createScheduledEditionRunner(creation),
    createPostEditions: createPostEditionsCreator(creation),
    fanOut,
    get sendWorker() {
      const problems = [
        ...(options.worker ? [] : ['send worker: no worker settings given (at least sendRatePerSecond)']),
        ...(ports.signer ? [] : ["send worker: no signer for the recipients' links"]),
      ];
      if (!options.worker || !ports.signer) throw new ConfigError(problems);
      worker ??= createDeliveryWorker(
        { ...ports, signer: ports.signer },
        { ...options, worker: options.worker },
      );
      return worker;
    },
    progress,
    listEditions: createEditionLister({ editions: ports.editions, progress }),
    pause: createEditionPauser(state),
    resume: createEditionResumer(state),
    preview: createEditionPreviewer({
      editions: ports.editions,
      objects: ports.objects,
      publication,
      loadPosts,
      renderVariant,
      clock: ports.clock,
    }),
    sendTest: createTestSender({
      editions: ports.editions,
      objects: ports.objects,
      renderVariant,
      publication,
      loadPosts,
      mailer: ports.mailer,
      clock: ports.clock,
      logger: ports.logger,
    }),
    settleSesEvent: createSesEventSettler({ ledger: ports.ledger, clock: ports.clock, logger: ports.logger }),
    renderVariant,
  };
}
