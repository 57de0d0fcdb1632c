import { describe, expect, it } from 'vitest';
import { ENV } from '../../../adapters/config/env.js';
import { parseSigningKeys } from '../../../adapters/config/load-signing-keys.js';
import { readRuntimeConfig } from '../../../adapters/config/read-runtime-config.js';
import { ConfigError } from '../../../core/errors.js';

const valid = {
  AWS_REGION: 'eu-central-1',
  GAZETTE_TABLE_PREFIX: 'gazette-prod-',
  GAZETTE_SITE_BUCKET: 'gazette-prod-site-111122223333',
  GAZETTE_PUBLIC_URL: 'https://letters.example.org/',
  GAZETTE_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:gazette-links-AbCdEf',
};

function problemsOf(
  env: Record<string, string | undefined>,
  required: Parameters<typeof readRuntimeConfig>[1] = [],
) {
  try {
    readRuntimeConfig(env, required);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('no ConfigError');
}

describe('readRuntimeConfig', () => {
  it('reads a valid environment', () => {
    const config = readRuntimeConfig(
      { ...valid, GAZETTE_SEND_RATE: '14', GAZETTE_SES_CONFIGURATION_SET: 'gazette-prod' },
      ['sesConfigurationSet'],
    );
    expect(config).toMatchObject({
      region: 'eu-central-1',
      tablePrefix: 'gazette-prod-',
      publicUrl: 'https://letters.example.org/',
      sendRate: 14,
      sesConfigurationSet: 'gazette-prod',
      endpoints: {},
    });
  });

  it('lists every missing variable in one error, by name', () => {
    expect(problemsOf({}, ['queueUrl'])).toEqual([
      'AWS_REGION is not set',
      'GAZETTE_TABLE_PREFIX is not set',
      'GAZETTE_SITE_BUCKET is not set',
      'GAZETTE_PUBLIC_URL is not set',
      'GAZETTE_SECRET_ARN is not set',
      'GAZETTE_QUEUE_URL is not set',
    ]);
  });

  it('names each malformed variable and what it should be', () => {
    const problems = problemsOf({
      ...valid,
      AWS_REGION: 'Europe',
      GAZETTE_PUBLIC_URL: 'https://letters.example.org',
      GAZETTE_SEND_RATE: '-3',
      GAZETTE_DYNAMODB_ENDPOINT: 'http://10.0.0.5:8000',
      GAZETTE_SECRET_ARN: 'my-secret',
    });
    expect(problems).toHaveLength(5);
    expect(problems.find((p) => p.startsWith('AWS_REGION'))).toContain('AWS region');
    expect(problems.find((p) => p.startsWith('GAZETTE_PUBLIC_URL'))).toContain('must end with "/"');
    expect(problems.find((p) => p.startsWith('GAZETTE_SEND_RATE'))).toContain('positive');
    expect(problems.find((p) => p.startsWith('GAZETTE_DYNAMODB_ENDPOINT'))).toContain('loopback');
    expect(problems.find((p) => p.startsWith('GAZETTE_SECRET_ARN'))).toContain('Secrets Manager ARN');
  });

  it('exports every variable name once, all GAZETTE_ but the region', () => {
    const names = Object.values(ENV);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name === 'AWS_REGION' || name.startsWith('GAZETTE_')).toBe(true);
  });
});

describe('parseSigningKeys', () => {
  const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
  it('takes a bare key, a { secret } object, or current and retired keys', () => {
    expect(parseSigningKeys(secret)).toEqual({ current: { id: 'k1', secret }, retired: [] });
    expect(parseSigningKeys(JSON.stringify({ secret }))).toEqual({
      current: { id: 'k1', secret },
      retired: [],
    });
    expect(
      parseSigningKeys(
        JSON.stringify({ current: { id: 'k2', secret }, retired: [{ id: 'k1', secret: `${secret}x` }] }),
      ),
    ).toEqual({ current: { id: 'k2', secret }, retired: [{ id: 'k1', secret: `${secret}x` }] });
  });

  it('refuses anything else with a ConfigError', () => {
    expect(() => parseSigningKeys('{not json')).toThrow(ConfigError);
    expect(() => parseSigningKeys('{"current": {"id": "k1"}}')).toThrow(/current\.secret is missing/);
  });
});
