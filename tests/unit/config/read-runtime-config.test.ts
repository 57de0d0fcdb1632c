import { describe, expect, it } from 'vitest';
import { ENV } from '../../../adapters/config/env.js';
import { parseSigningKeys } from '../../../adapters/config/load-signing-keys.js';
import { readRuntimeConfig } from '../../../adapters/config/read-runtime-config.js';
import { workerPublicationJson, workerPublicationOf } from '../../../adapters/config/worker-publication.js';
import { ConfigError } from '../../../core/errors.js';
import type { Publication } from '../../../core/model.js';

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

  it('never answers with a generic message: every check says what it wants', () => {
    const garbage = '\u0000 not-a-value \u2028';
    const env: Record<string, string> = {};
    // Any folder name will do for the bundle folder; every other variable has a shape.
    const shaped = Object.values(ENV).filter((v) => v !== ENV.bundleDir);
    for (const variable of shaped) env[variable] = garbage;
    const problems = problemsOf(env);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([...shaped].sort());
    for (const problem of problems) expect(problem).not.toMatch(/Invalid input|invalid_/i);
    expect(problemsOf({ ...valid, GAZETTE_WORKER_MAX_CONCURRENCY: '2.5' })).toEqual([
      'GAZETTE_WORKER_MAX_CONCURRENCY: must be a whole number of workers (got "2.5")',
    ]);
    expect(problemsOf({ ...valid, GAZETTE_SEND_RATE_SHARE: 'most' })[0]).toMatch(
      /^GAZETTE_SEND_RATE_SHARE: must be a share of the SES send rate/,
    );
  });

  it('exports every variable name once, all GAZETTE_ but the region', () => {
    const names = Object.values(ENV);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name === 'AWS_REGION' || name.startsWith('GAZETTE_')).toBe(true);
  });
});

describe("GAZETTE_PUBLICATION (the send worker's publication fields)", () => {
  const publication: Publication = {
    title: 'Tom\'s "Dispatch" — Wöchentlich',
    description: 'd',
    url: 'https://letters.example.org/',
    language: 'en',
    timeZone: 'UTC',
    author: { name: 'A' },
    email: { from: { name: 'Tom, Desk', address: 'tom@letters.example.org' } },
    postalAddress: 'x',
    schedule: {},
    feed: { items: 10, content: 'full' },
  };

  it('round-trips what the stack writes, and only the fields the worker needs', () => {
    const json = workerPublicationJson(publication);
    expect(Object.keys(JSON.parse(json))).toEqual(['title', 'email']);
    const config = readRuntimeConfig({ ...valid, GAZETTE_PUBLICATION: json }, ['publication']);
    expect(config.publication).toEqual(workerPublicationOf(publication));
    const withReplyTo = { ...publication, email: { ...publication.email, replyTo: 'desk@example.org' } };
    expect(
      readRuntimeConfig({ ...valid, GAZETTE_PUBLICATION: workerPublicationJson(withReplyTo) }).publication,
    ).toEqual({ title: publication.title, email: withReplyTo.email });
  });

  it('is required where the function says so', () => {
    expect(problemsOf(valid, ['publication'])).toEqual(['GAZETTE_PUBLICATION is not set']);
  });

  it('refuses what would break a mail header or is not the shape, naming every problem', () => {
    const problems = (value: unknown) =>
      problemsOf({
        ...valid,
        GAZETTE_PUBLICATION: typeof value === 'string' ? value : JSON.stringify(value),
      });
    expect(problems('{"title": ')).toEqual([expect.stringMatching(/^GAZETTE_PUBLICATION: is not JSON/)]);
    expect(problems([1])).toEqual([
      expect.stringMatching(/^GAZETTE_PUBLICATION: must be a JSON object with title and email/),
    ]);
    const [bad] = problems({
      title: 'Line\r\nBcc: victim@example.org',
      email: { from: { name: '', address: 'not an address' }, replyTo: 'x@y@z' },
    });
    expect(bad).toContain('title must be one line without control characters');
    expect(bad).toContain('email.from.name is empty');
    expect(bad).toContain('email.from.address must be an e-mail address');
    expect(bad).toContain('email.replyTo must be an e-mail address');
    expect(problems({ title: 'T' })).toEqual([expect.stringContaining('email must be an object with from')]);
    expect(
      problems({ title: 'x'.repeat(301), email: { from: { name: 'N', address: 'a@b.example' } } }),
    ).toEqual([expect.stringContaining('title is longer than 300 characters')]);
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
