import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import {
  DEFAULT_SEND_RATE_FALLBACK,
  publicUrlOf,
  readStageConfig,
  SES_SANDBOX_SEND_RATE,
  senderProblem,
} from '../../infra/config/stage-config.js';
import { createGazetteApp } from '../../infra/create-app.js';
import { cdkJsonContext } from './synth-gazette.js';

const valid = {
  sesIdentity: 'dispatch.example.com',
  sendRateShare: 0.8,
  workerMaxConcurrency: 2,
  alarmEmail: 'ops@example.com',
};

function reader(context: Record<string, unknown>) {
  return (key: string) => context[key];
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('stage configuration from context', () => {
  it("reads cdk.json's dev stage", () => {
    const config = readStageConfig(reader(cdkJsonContext()), {
      fromAddress: 'dispatch@dispatch.example.com',
    });
    expect(config.stage).toBe('dev');
    expect(config.sesIdentity).toEqual({ kind: 'domain', domain: 'dispatch.example.com' });
    expect(config.sendRateShare).toBeGreaterThan(0);
    expect(config.sendRateShare).toBeLessThanOrEqual(1);
    expect(config.siteDomain).toBeUndefined();
    expect(config.sandboxRecipients).toEqual([]);
  });

  it('lets flat -c values override the stage, numbers given as text included', () => {
    const config = readStageConfig(
      reader({
        'gazette:stage': 'prod',
        'gazette:stages': { prod: valid },
        'gazette:sendRateShare': '0.5',
        'gazette:workerMaxConcurrency': '8',
        'gazette:alarmEmail': 'pager@example.com',
        'gazette:sandboxRecipients': 'a@example.com, b@example.com',
      }),
    );
    expect(config).toMatchObject({
      stage: 'prod',
      sendRateShare: 0.5,
      workerMaxConcurrency: 8,
      alarmEmail: 'pager@example.com',
      sandboxRecipients: ['a@example.com', 'b@example.com'],
    });
  });

  it('points links at the domain, else the stage publicUrl, else publication.yaml', () => {
    const base = { 'gazette:stage': 'qa', 'gazette:stages': { qa: valid } };
    const plain = readStageConfig(reader(base));
    expect(publicUrlOf(plain, 'https://news.example.com/')).toBe('https://news.example.com/');
    const cloudfront = readStageConfig(
      reader({ ...base, 'gazette:publicUrl': 'https://d1234abcd.cloudfront.net/' }),
    );
    expect(publicUrlOf(cloudfront, 'https://news.example.com/')).toBe('https://d1234abcd.cloudfront.net/');
    const domain = readStageConfig(
      reader({
        ...base,
        'gazette:siteDomain': 'qa.example.com',
        'gazette:certificateArn':
          'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      }),
    );
    expect(publicUrlOf(domain, 'https://news.example.com/')).toBe('https://qa.example.com/');
    expect(
      problemsOf(() => readStageConfig(reader({ ...base, 'gazette:publicUrl': 'http://x.example.com' }))),
    ).toEqual([
      "stage 'qa': publicUrl must be an https URL ending with / and without query, such as https://d1234.cloudfront.net/",
    ]);
  });

  it("falls back to SES's usual first production rate, to the sandbox rate in the sandbox, or as told", () => {
    const stage = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      readStageConfig(
        reader({ 'gazette:stage': 'qa', 'gazette:stages': { qa: { ...valid, ...fields } }, ...extra }),
      ).sendRateFallback;
    expect(DEFAULT_SEND_RATE_FALLBACK).toBe(14);
    expect(SES_SANDBOX_SEND_RATE).toBe(1);
    expect(stage({})).toBe(14);
    // A stage that names sandbox recipients is in the sandbox: 1 mail a second is all it has.
    expect(stage({ sandboxRecipients: ['tester@example.org'] })).toBe(1);
    expect(stage({ sendRateFallback: 40 })).toBe(40);
    expect(stage({ sandboxRecipients: ['tester@example.org'], sendRateFallback: 2 })).toBe(2);
    expect(stage({ sendRateFallback: 40 }, { 'gazette:sendRateFallback': '0.5' })).toBe(0.5);
    expect(stage({ sendRateFallback: '' })).toBe(14);
    for (const wrong of [0, -1, 10_001, 'fast', [3]]) {
      expect(
        problemsOf(() => stage({ sendRateFallback: wrong })),
        String(wrong),
      ).toEqual([expect.stringMatching(/^stage 'qa': sendRateFallback must be (greater than 0|a number)/)]);
    }
  });

  it('takes an address as SES identity', () => {
    const config = readStageConfig(
      reader({
        'gazette:stage': 'dev',
        'gazette:stages': { dev: { ...valid, sesIdentity: 'news@example.org' } },
      }),
    );
    expect(config.sesIdentity).toEqual({ kind: 'address', address: 'news@example.org' });
  });

  it('lists every missing value at once, naming the stage', () => {
    const problems = problemsOf(() =>
      readStageConfig(reader({ 'gazette:stage': 'prod', 'gazette:stages': { prod: {} } })),
    );
    expect(problems).toEqual([
      "stage 'prod': sesIdentity is required",
      "stage 'prod': sendRateShare is required",
      "stage 'prod': workerMaxConcurrency is required",
      "stage 'prod': alarmEmail is required",
    ]);
  });

  it('lists every wrong value at once, with what was expected', () => {
    const problems = problemsOf(() =>
      readStageConfig(
        reader({
          'gazette:stage': 'Prod_1',
          'gazette:stages': {
            Prod_1: {
              siteDomain: 'https://news.example.com/',
              certificateArn:
                'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
              hostedZoneId: 'Z0123456789ABC',
              sesIdentity: 'not an identity',
              sendRateShare: 1.5,
              workerMaxConcurrency: 1,
              alarmEmail: 'nobody',
              sandboxRecipients: ['ok@example.com', 'broken'],
              account: '12345',
              region: 'mars-1',
              colour: 'blue',
            },
          },
        }),
      ),
    );
    const expected = [
      /colour is not a stage field/,
      /gazette:stage must be lower-case letters/,
      /siteDomain must be a lower-case host name/,
      /sesIdentity must be a domain .* or an e-mail address/,
      /sendRateShare must be greater than 0 and at most 1/,
      /workerMaxConcurrency must be a whole number from 2 to 1000/,
      /alarmEmail must be an e-mail address/,
      /sandboxRecipients: "broken" is not an e-mail address/,
      /account must be a 12-digit AWS account id/,
      /region must be an AWS region/,
    ];
    for (const pattern of expected)
      expect(
        problems.some((p) => pattern.test(p)),
        String(pattern),
      ).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(expected.length);
    expect(problems.every((p) => p.startsWith("stage 'Prod_1': "))).toBe(true);
  });

  it('checks values that only make sense together', () => {
    const problems = problemsOf(() =>
      readStageConfig(
        reader({
          'gazette:stage': 'prod',
          'gazette:stages': {
            prod: {
              ...valid,
              siteDomain: 'news.example.com',
              certificateArn:
                'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
              hostedZoneName: 'example.org',
            },
          },
        }),
      ),
    );
    expect(problems).toEqual([
      "stage 'prod': certificateArn must be in us-east-1 (CloudFront reads certificates only there), not eu-west-1",
      "stage 'prod': hostedZoneId and hostedZoneName go together: give both or neither",
      "stage 'prod': siteDomain news.example.com is not inside the hosted zone example.org",
    ]);
    const noCertificate = problemsOf(() =>
      readStageConfig(
        reader({
          'gazette:stage': 'prod',
          'gazette:stages': { prod: { ...valid, siteDomain: 'news.example.com' } },
        }),
      ),
    );
    expect(noCertificate).toEqual([
      "stage 'prod': certificateArn is required with siteDomain (CloudFront serves a custom domain only with one)",
    ]);
  });

  it('reports a stage that is not selected or not an object', () => {
    expect(problemsOf(() => readStageConfig(reader({})))).toContain('gazette:stage is required');
    expect(
      problemsOf(() => readStageConfig(reader({ 'gazette:stage': 'dev', 'gazette:stages': { dev: 'yes' } }))),
    ).toContain("stage 'dev': gazette:stages.dev must be an object of fields");
  });

  it("checks that the SES identity covers publication.yaml's sender", () => {
    expect(senderProblem('example.com', 'news@example.com')).toBeUndefined();
    expect(senderProblem('example.com', 'news@mail.example.com')).toBeUndefined();
    expect(senderProblem('news@example.com', 'News@Example.com')).toBeUndefined();
    expect(senderProblem('example.com', 'news@example.org')).toMatch(/does not cover .* news@example.org/);
    expect(senderProblem('badexample.com', 'news@example.com')).toMatch(/does not cover/);
    expect(senderProblem('news@example.com', 'desk@example.com')).toMatch(/does not cover/);
    const problems = problemsOf(() =>
      readStageConfig(
        reader({
          'gazette:stage': 'dev',
          'gazette:stages': { dev: { ...valid, sesIdentity: 'example.org' } },
        }),
        {
          fromAddress: 'dispatch@dispatch.example.com',
        },
      ),
    );
    expect(problems).toEqual([
      "stage 'dev': sesIdentity example.org does not cover publication.yaml's email.from.address dispatch@dispatch.example.com: use the domain dispatch.example.com or the address itself",
    ]);
  });

  it('stops the app before building anything when the context is wrong', () => {
    const problems = problemsOf(() =>
      createGazetteApp({
        context: { 'gazette:stage': 'qa', 'gazette:stages': { qa: { sendRateShare: 0 } } },
      }),
    );
    expect(problems).toEqual([
      "stage 'qa': sesIdentity is required",
      "stage 'qa': sendRateShare must be greater than 0 and at most 1 (the share of the SES maximum send rate)",
      "stage 'qa': workerMaxConcurrency is required",
      "stage 'qa': alarmEmail is required",
    ]);
  });
});
