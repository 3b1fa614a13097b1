/**
 * With basic auth on, a silence's history events name the authenticated user who created or expired it, next to
 * the silence's own createdBy.
 */
import bcrypt from 'bcryptjs';
import { basicAuthMiddleware } from '../../src/web/basic-auth';
import { BcryptPool } from '../../src/web/bcrypt-pool';
import { type Harness, startApp } from '../helpers/app-harness';

describe('silence history under basic auth', () => {
  let h: Harness;
  let pool: BcryptPool;
  const auth = `Basic ${Buffer.from('ops:secret-pw').toString('base64')}`;
  beforeAll(async () => {
    pool = new BcryptPool();
    const users = new Map([['ops', await bcrypt.hash('secret-pw', 4)]]);
    h = await startApp({ options: { before: [basicAuthMiddleware(users, pool)] } });
  });
  afterAll(async () => {
    await h.close();
    await pool.close();
  });

  it('records the authenticated user on silence_created and silence_expired', async () => {
    const r = await fetch(`${h.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: auth },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        createdBy: 'Ann Example',
        comment: 'maintenance',
      }),
    });
    expect(r.status).toBe(200);
    const { silenceID } = (await r.json()) as { silenceID: string };
    expect((await fetch(`${h.url}/api/v2/silence/${silenceID}`, { method: 'DELETE', headers: { Authorization: auth } })).status).toBe(200);
    let events: { kind: string; silenceId: string; data: Record<string, unknown> }[] = [];
    const end = Date.now() + 10_000;
    while (events.length < 2 && Date.now() < end) {
      await new Promise((res) => setTimeout(res, 100));
      const page = await fetch(`${h.url}/api/v2/tocsin/history?kind=silence_created&kind=silence_expired`, { headers: { Authorization: auth } });
      events = ((await page.json()) as { events: typeof events }).events;
    }
    expect(events.map((e) => [e.kind, e.silenceId, e.data.createdBy, e.data.user])).toEqual([
      ['silence_expired', silenceID, 'Ann Example', 'ops'],
      ['silence_created', silenceID, 'Ann Example', 'ops'],
    ]);
    // the password never reaches the history
    expect(JSON.stringify(events)).not.toContain('secret-pw');
  });
});
