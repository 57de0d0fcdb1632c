/** A send-queue message that names an edition the store does not have. */
export class EditionNotFoundError extends Error {
  override readonly name = 'EditionNotFoundError';
  constructor(
    readonly editionId: string,
    options?: { cause?: unknown },
  ) {
    super(`edition ${JSON.stringify(editionId)} not found`, options);
  }
}

/** A rendered variant that is missing from the object store, or is not a rendered edition. */
export class VariantUnavailableError extends Error {
  override readonly name = 'VariantUnavailableError';
  constructor(
    readonly objectKey: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`edition variant ${objectKey}: ${detail}`, options);
  }
}

/** A send-queue message body that is not a SendBatch: `field` names what is wrong. */
export class MalformedSendBatchError extends Error {
  override readonly name = 'MalformedSendBatchError';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`send batch: ${field}: ${detail}`);
  }
}
