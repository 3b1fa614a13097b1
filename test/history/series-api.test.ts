/**
 * GET /api/v2/tocsin/history/series (the History page's chart) on the app in-process with a real SQLite file:
 * the answer's shape over stored events, and 400s naming the bad parameter.
 */
import { type Harness, startApp } from '../helpers/app-harness';
import { storyEvents, storyFiringBody, storyWindow } from './series-story';

describe('history series API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp();
    await h.app.core.history.storage.append(storyEvents());
  });
  afterAll(() => h.close());

  const get = (q: string) => fetch(`${h.url}/api/v2/tocsin/history/series?${q}`);
  const window = storyWindow;

  it('answers alerts firing per bucket by alertname or label', async () => {
    const r = await get(`kind=alerts&${window}`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(storyFiringBody);
    expect(((await (await get(`by=team&${window}`)).json()) as { series: unknown }).series).toEqual([{ name: 'db', values: [0, 1, 1, 1, 0] }]);
  });

  it('answers notification attempts per receiver with failures', async () => {
    const body = (await (await get(`kind=notifications&${window}`)).json()) as { by: string; series: unknown };
    expect(body.by).toBe('receiver');
    expect(body.series).toEqual([{ name: 'pager', values: [0, 2, 0, 0, 0], failures: [0, 1, 0, 0, 0] }]);
  });

  it('defaults to the last hour in about 120 buckets', async () => {
    const body = (await (await get('')).json()) as { stepSeconds: number; since: string; until: string; series: unknown[] };
    expect(body.stepSeconds).toBe(30);
    expect(Date.parse(body.until) - Date.parse(body.since)).toBeGreaterThanOrEqual(3600_000);
    expect(body.series).toEqual([]);
  });

  it.each([
    ['kind=nope', 'bad kind'],
    ['by=not-a-label', 'bad by'],
    ['kind=notifications&by=alertname', 'bad by'],
    ['since=yesterday', 'bad since'],
    ['until=2026-13-01', 'bad until'],
    ['since=1h&until=2h', 'bad since'],
    ['step=5x', 'bad step'],
    ['step=1ms', 'bad step'],
    ['since=14d&step=1m', 'bad step'],
    ['top=0', 'bad top'],
    ['top=51', 'bad top'],
  ])('answers 400 naming the parameter for %s', async (q, msg) => {
    const r = await get(q);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain(msg);
  });
});
