import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  loadOriginVerify,
  MIN_ORIGIN_VERIFY_LENGTH,
  parseOriginVerify,
} from '../../../adapters/config/load-origin-verify.js';
import { ConfigError } from '../../../core/errors.js';

const ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:gazette-origin-verify-AbCdEf';
const VALUE = 'k9QxT2mB7vLr4ZpW8sNc3YhF6dJa1GeU5tKo0RiXqWeRtYuI';

/** A Secrets Manager client whose requests are answered in-process, counting them. */
function clientAnswering(answers: Array<() => unknown>) {
  const client = new SecretsManagerClient({ region: 'eu-central-1' });
  let calls = 0;
  client.send = (async (command: unknown) => {
    expect(command).toBeInstanceOf(GetSecretValueCommand);
    const answer = answers[calls++];
    if (!answer) throw new Error('unexpected call');
    return answer();
  }) as typeof client.send;
  return { client, calls: () => calls };
}

describe('parseOriginVerify', () => {
  it('takes the generated value, trimmed', () => {
    expect(parseOriginVerify(`${VALUE}\n`, ARN)).toBe(VALUE);
  });

  it('refuses a value that cannot be a header or could be guessed, naming the secret', () => {
    for (const bad of [
      '',
      'short',
      'a'.repeat(MIN_ORIGIN_VERIFY_LENGTH - 1),
      `${VALUE} x`,
      `${VALUE}\r\nX: y`,
      `${VALUE}é`,
    ]) {
      expect(() => parseOriginVerify(bad, ARN), JSON.stringify(bad)).toThrow(ConfigError);
    }
    expect(() => parseOriginVerify('short', ARN)).toThrow(
      /gazette-origin-verify-AbCdEf.*32 to 1783 characters, not 5/,
    );
  });
});

describe('loadOriginVerify', () => {
  it('asks Secrets Manager once per container', async () => {
    const fake = clientAnswering([() => ({ SecretString: VALUE })]);
    const arn = `${ARN}-once`;
    expect(await loadOriginVerify(fake.client, arn)).toBe(VALUE);
    expect(await loadOriginVerify(fake.client, arn)).toBe(VALUE);
    expect(fake.calls()).toBe(1);
  });

  it('does not keep a failure: the next request asks again', async () => {
    const fake = clientAnswering([
      () => {
        throw new Error('throttled');
      },
      () => ({}),
      () => ({ SecretString: VALUE }),
    ]);
    const arn = `${ARN}-retry`;
    await expect(loadOriginVerify(fake.client, arn)).rejects.toThrow('throttled');
    await expect(loadOriginVerify(fake.client, arn)).rejects.toThrow(/has no SecretString/);
    expect(await loadOriginVerify(fake.client, arn)).toBe(VALUE);
    expect(fake.calls()).toBe(3);
  });
});
