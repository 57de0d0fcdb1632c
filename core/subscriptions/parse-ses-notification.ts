import { z } from 'zod';

/** One SES sending event that matters to the subscriber list or the delivery ledger. */
export type SesFeedback =
  | {
      type: 'bounce';
      /** `Permanent` suppresses; `Transient` and `Undetermined` count as soft bounces. */
      bounceType: string;
      bounceSubType: string;
      recipients: Array<{ address: string; diagnostic?: string | undefined }>;
      mail: SesMailRef;
      at: string;
    }
  | {
      type: 'complaint';
      feedbackType?: string | undefined;
      recipients: Array<{ address: string }>;
      mail: SesMailRef;
      at: string;
    }
  | { type: 'delivery'; recipients: Array<{ address: string }>; mail: SesMailRef; at: string }
  /** Send, Open, Click, Reject, DeliveryDelay…: understood, nothing to do. */
  | { type: 'other'; eventType: string; mail: SesMailRef };

/** The original mail an event is about. */
export interface SesMailRef {
  messageId: string;
  /** Message tags (configuration-set event publishing only): name → first value. */
  tags: Record<string, string>;
}

/** The event understood, or what is wrong with the input (never thrown). */
export type ParsedSesNotification = { ok: true; feedback: SesFeedback } | { ok: false; reason: string };

const recipient = z.object({ emailAddress: z.string().min(1) }).loose();
const mail = z
  .object({
    messageId: z.string().min(1),
    tags: z.record(z.string(), z.array(z.string())).optional(),
  })
  .loose();
const bounce = z
  .object({
    bounceType: z.string().min(1),
    bounceSubType: z.string().optional(),
    bouncedRecipients: z.array(recipient.extend({ diagnosticCode: z.string().optional() }).loose()).min(1),
    timestamp: z.string().min(1),
  })
  .loose();
const complaint = z
  .object({
    complainedRecipients: z.array(recipient).min(1),
    timestamp: z.string().min(1),
    complaintFeedbackType: z.string().optional(),
  })
  .loose();
const delivery = z.object({ recipients: z.array(z.string().min(1)), timestamp: z.string().min(1) }).loose();

/**
 * Reads one SES notification in any of the shapes it arrives in: the SNS envelope
 * (`{ Type: 'Notification', Message: '<json>' }`), an SNS record of a Lambda event (`{ Sns: … }`),
 * an EventBridge event (`{ source: 'aws.ses', detail: … }`), the bare SES event (`eventType`, from a
 * configuration set) or notification (`notificationType`, from identity feedback), or any of
 * these as a JSON string. Unknown fields are ignored (SES may add some); what is malformed is
 * reported, never thrown.
 */
export function parseSesNotification(input: unknown): ParsedSesNotification {
  const unwrapped = unwrap(input, 0);
  if (!unwrapped.ok) return unwrapped;
  const event = unwrapped.value;
  const type = event.eventType ?? event.notificationType;
  if (typeof type !== 'string' || type === '') {
    return { ok: false, reason: 'neither eventType nor notificationType is present' };
  }
  const parsedMail = mail.safeParse(event.mail);
  if (!parsedMail.success) return { ok: false, reason: `${type}: ${issuePath('mail', parsedMail.error)}` };
  const ref: SesMailRef = {
    messageId: parsedMail.data.messageId,
    tags: Object.fromEntries(
      Object.entries(parsedMail.data.tags ?? {}).flatMap(([name, values]) =>
        values[0] === undefined ? [] : [[name, values[0]]],
      ),
    ),
  };
  switch (type) {
    case 'Bounce': {
      const b = bounce.safeParse(event.bounce);
      if (!b.success) return { ok: false, reason: `Bounce: ${issuePath('bounce', b.error)}` };
      return {
        ok: true,
        feedback: {
          type: 'bounce',
          bounceType: b.data.bounceType,
          bounceSubType: b.data.bounceSubType ?? '',
          recipients: b.data.bouncedRecipients.map((r) => ({
            address: r.emailAddress,
            diagnostic: r.diagnosticCode,
          })),
          mail: ref,
          at: b.data.timestamp,
        },
      };
    }
    case 'Complaint': {
      const c = complaint.safeParse(event.complaint);
      if (!c.success) return { ok: false, reason: `Complaint: ${issuePath('complaint', c.error)}` };
      return {
        ok: true,
        feedback: {
          type: 'complaint',
          feedbackType: c.data.complaintFeedbackType,
          recipients: c.data.complainedRecipients.map((r) => ({ address: r.emailAddress })),
          mail: ref,
          at: c.data.timestamp,
        },
      };
    }
    case 'Delivery': {
      const d = delivery.safeParse(event.delivery);
      if (!d.success) return { ok: false, reason: `Delivery: ${issuePath('delivery', d.error)}` };
      return {
        ok: true,
        feedback: {
          type: 'delivery',
          recipients: d.data.recipients.map((address) => ({ address })),
          mail: ref,
          at: d.data.timestamp,
        },
      };
    }
    default:
      return { ok: true, feedback: { type: 'other', eventType: type, mail: ref } };
  }
}

type Unwrapped = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

function unwrap(input: unknown, depth: number): Unwrapped {
  if (depth > 4) return { ok: false, reason: 'nested too deeply' };
  if (typeof input === 'string') {
    try {
      return unwrap(JSON.parse(input), depth + 1);
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const value = input as Record<string, unknown>;
  if (typeof value.Sns === 'object' && value.Sns !== null) return unwrap(value.Sns, depth + 1);
  if (typeof value.Type === 'string') {
    if (value.Type !== 'Notification')
      return { ok: false, reason: `SNS message of type ${value.Type}, not a notification` };
    if (typeof value.Message !== 'string')
      return { ok: false, reason: 'SNS notification without a Message string' };
    return unwrap(value.Message, depth + 1);
  }
  if (value.source === 'aws.ses' && typeof value.detail === 'object' && value.detail !== null) {
    return unwrap(value.detail, depth + 1);
  }
  return { ok: true, value };
}

function issuePath(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix}: invalid`;
  const path = [prefix, ...issue.path.map(String)].join('.');
  return `${path}: ${issue.message}`;
}
