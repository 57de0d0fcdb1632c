import { describe, expect, it } from 'vitest';
import { confirmPath, createTestApp, form } from './web-test-app.js';

describe('smoke', () => {
  it('subscribes and confirms', async () => {
    const { app, mailer, store } = createTestApp();
    const res = await app.request('/subscribe', form({ email: 'ann@example.com', cadence: 'weekly' }));
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(mailer.sent).toHaveLength(1);
    const path = await confirmPath(mailer);
    const get = await app.request(path);
    expect(get.status).toBe(200);
    const token = new URLSearchParams(path.split('?')[1]).get('token')!;
    const post = await app.request('/confirm', form({ token }));
    expect(post.status, await post.text()).toBe(200);
    expect(store.all()[0]?.status).toBe('active');
  });
});
