import { describe, expect, it } from 'vitest';
import { MalformedSendBatchError } from '../../../core/delivery/delivery-errors.js';
import { parseSendBatch } from '../../../core/delivery/parse-send-batch.js';
import { tagValue } from '../../../core/delivery/ses-tags.js';

describe('send batch bodies', () => {
  it('accepts a batch and keeps each recipient once', () => {
    const r = { subscriberId: '0b5e-uuid', emailKey: 'ab'.repeat(32) };
    expect(parseSendBatch({ editionId: 'weekly-2026-W48', variantKey: 'all', recipients: [r, r] })).toEqual({
      editionId: 'weekly-2026-W48',
      variantKey: 'all',
      recipients: [r],
    });
  });

  it.each([
    [null, 'body'],
    [{ editionId: 'x/../y', variantKey: 'all', recipients: [] }, 'editionId'],
    [{ editionId: 'e', variantKey: 'a b', recipients: [] }, 'variantKey'],
    [{ editionId: 'e', variantKey: 'all', recipients: 'many' }, 'recipients'],
    [
      { editionId: 'e', variantKey: 'all', recipients: [{ subscriberId: 'x\r\nBcc: y', emailKey: 'k' }] },
      'recipients[0].subscriberId',
    ],
    [{ editionId: 'e', variantKey: 'all', recipients: [{ subscriberId: 's' }] }, 'recipients[0].emailKey'],
  ])('refuses %j, naming %s', (body, field) => {
    expect(() => parseSendBatch(body)).toThrow(MalformedSendBatchError);
    try {
      parseSendBatch(body);
    } catch (error) {
      expect((error as MalformedSendBatchError).field).toBe(field);
    }
  });
});

describe('SES tag values', () => {
  it('keeps the allowed characters and replaces the rest', () => {
    expect(tagValue('weekly-2026-W48')).toBe('weekly-2026-W48');
    expect(tagValue('post-café/x y')).toBe('post-caf__x_y');
    expect(tagValue('v1.2')).toBe('v1_2');
    expect(tagValue('')).toBe('_');
    expect(tagValue('a'.repeat(300))).toHaveLength(256);
  });
});
