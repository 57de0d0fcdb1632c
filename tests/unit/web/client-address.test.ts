import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  clientAddress,
  ORIGIN_VERIFY_HEADER,
  VIEWER_ADDRESS_HEADER,
  viewerAddressOf,
} from '../../../web/client-address.js';
import { createApp } from '../../../web/create-app.js';
import { createTestApp, form, fromIp } from '../../support/web-test-app.js';

const VERIFY = 'k9QxT2mB7vLr4ZpW8sNc3YhF6dJa1GeU5tKo0RiX';
const EDGE = '64.252.70.12';

/** An app that answers with the address clientAddress finds for each request. */
function echoApp(originVerify?: string) {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, { originVerify }) ?? '(none)'));
  return app;
}

async function addressOf(app: Hono, headers: Record<string, string>, sourceIp = EDGE): Promise<string> {
  return (await app.request('/', { headers }, fromIp(sourceIp))).text();
}

describe('viewerAddressOf', () => {
  it('takes the address of CloudFront-Viewer-Address, IPv4 and unbracketed IPv6', () => {
    expect(viewerAddressOf('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(viewerAddressOf('2001:db8:85a3::8a2e:370:7334:443')).toBe('2001:db8:85a3::8a2e:370:7334');
    expect(viewerAddressOf('2406:2d40:728d:fa10::c4a:42838')).toBe('2406:2d40:728d:fa10::c4a');
  });

  it('refuses anything that is not one address and a port', () => {
    for (const value of [
      undefined,
      '',
      '198.51.100.10',
      ':443',
      '198.51.100.10:',
      '198.51.100.10:70000',
      '198.51.100.10:44x',
      'evil.example:443',
      '203.0.113.1:443, 198.51.100.10:46532',
      '[2001:db8::1]:443',
      '198.51.100.10 :443',
    ]) {
      expect(viewerAddressOf(value), String(value)).toBeUndefined();
    }
  });

  it('never returns something that is not an IP address', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (value) => {
        const ip = viewerAddressOf(value);
        return ip === undefined || /^[0-9a-f:.]+$/i.test(ip);
      }),
    );
  });
});

describe('clientAddress behind CloudFront', () => {
  it('takes the viewer address only with the right origin-verify value', async () => {
    const app = echoApp(VERIFY);
    const viewer = { [VIEWER_ADDRESS_HEADER]: '198.51.100.10:46532' };
    expect(await addressOf(app, { ...viewer, [ORIGIN_VERIFY_HEADER]: VERIFY })).toBe('198.51.100.10');
    // Header names are case-insensitive, as API Gateway lower-cases them.
    expect(
      await addressOf(app, {
        'cloudfront-viewer-address': '198.51.100.11:1',
        'x-gazette-origin-verify': VERIFY,
      }),
    ).toBe('198.51.100.11');
    // Straight to the API: no value, a wrong one, a prefix, one longer, another case.
    for (const verify of [undefined, 'guess', VERIFY.slice(0, -1), `${VERIFY}x`, VERIFY.toLowerCase(), '']) {
      const headers = verify === undefined ? viewer : { ...viewer, [ORIGIN_VERIFY_HEADER]: verify };
      expect(await addressOf(app, headers), String(verify)).toBe(EDGE);
    }
  });

  it('without a configured value, the header proves nothing', async () => {
    const app = echoApp(undefined);
    const headers = { [VIEWER_ADDRESS_HEADER]: '198.51.100.10:46532', [ORIGIN_VERIFY_HEADER]: VERIFY };
    expect(await addressOf(app, headers)).toBe(EDGE);
    expect(await addressOf(echoApp(''), { ...headers, [ORIGIN_VERIFY_HEADER]: '' })).toBe(EDGE);
  });

  it('a verified request with a malformed viewer address counts by its source', async () => {
    const app = echoApp(VERIFY);
    for (const viewer of ['', 'nonsense', '203.0.113.1:443, 198.51.100.10:46532']) {
      const headers = { [VIEWER_ADDRESS_HEADER]: viewer, [ORIGIN_VERIFY_HEADER]: VERIFY };
      expect(await addressOf(app, headers), viewer).toBe(EDGE);
    }
    expect(await addressOf(app, { [ORIGIN_VERIFY_HEADER]: VERIFY })).toBe(EDGE);
  });

  it('never reads X-Forwarded-For', async () => {
    const app = echoApp(VERIFY);
    expect(await addressOf(app, { 'X-Forwarded-For': '198.51.100.99' })).toBe(EDGE);
  });
});

describe('the subscribe limit behind CloudFront', () => {
  const limits = {
    subscribePerIp: { limit: 2, windowSeconds: 600 },
    subscribePerAddress: { limit: 100, windowSeconds: 3600 },
  };
  const through = (viewer: string, verify = VERIFY) =>
    form(
      { email: `${viewer.replace(/\W/g, '-')}-${Math.random()}@example.com` },
      {
        [VIEWER_ADDRESS_HEADER]: `${viewer}:50000`,
        [ORIGIN_VERIFY_HEADER]: verify,
      },
    );

  it('counts each reader, not the edge location they share', async () => {
    const t = createTestApp({ rateLimits: limits });
    const app = createApp({ ...t.deps, originVerify: VERIFY });
    const statuses: number[] = [];
    // Six readers behind the same edge server: each gets their own two.
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 2; j++) {
        statuses.push((await app.request('/subscribe', through(`198.51.100.${i}`), fromIp(EDGE))).status);
      }
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The third from one reader is refused; the others are not affected.
    expect((await app.request('/subscribe', through('198.51.100.0'), fromIp(EDGE))).status).toBe(429);
    expect((await app.request('/subscribe', through('198.51.100.7'), fromIp(EDGE))).status).toBe(200);
  });

  it('a caller that goes around CloudFront cannot pose as many readers', async () => {
    const t = createTestApp({ rateLimits: limits });
    const app = createApp({ ...t.deps, originVerify: VERIFY });
    const attacker = '203.0.113.66';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await app.request('/subscribe', through(`198.51.100.${i}`, 'forged'), fromIp(attacker))).status,
      );
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it('an IPv6 reader is counted by its /64, as before', async () => {
    const t = createTestApp({ rateLimits: limits });
    const app = createApp({ ...t.deps, originVerify: VERIFY });
    const statuses: number[] = [];
    for (const host of ['1', '2', '3']) {
      statuses.push((await app.request('/subscribe', through(`2001:db8:1:2::${host}`), fromIp(EDGE))).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
