import { useReplicas } from './testing/database';

describe('PgReplicas', () => {
  const replicas = useReplicas(3);

  test('heartbeats make replicas live; one that stops is dropped after the window; leave() at once', async () => {
    await Promise.all(replicas.map((r, i) => r.replicas.heartbeat(`10.0.0.${i + 1}:9093`)));
    const live = await replicas[0]!.replicas.live(60_000);
    expect(live.map((r) => [r.name, r.address])).toEqual([
      ['r1', '10.0.0.1:9093'],
      ['r2', '10.0.0.2:9093'],
      ['r3', '10.0.0.3:9093'],
    ]);
    const first = live[0]!;
    await new Promise((r) => setTimeout(r, 600));
    // r1 and r2 beat again (r2 from a new address); r3 stays silent
    await replicas[0]!.replicas.heartbeat('10.0.0.1:9093');
    await replicas[1]!.replicas.heartbeat('10.0.0.9:9093');
    const now = await replicas[2]!.replicas.live(500);
    expect(now.map((r) => [r.name, r.address])).toEqual([
      ['r1', '10.0.0.1:9093'],
      ['r2', '10.0.0.9:9093'],
    ]);
    expect(now[0]!.startedAt).toBe(first.startedAt);
    expect(now[0]!.lastSeen).toBeGreaterThan(first.lastSeen);
    await replicas[1]!.replicas.leave();
    expect((await replicas[2]!.replicas.live(500)).map((r) => r.name)).toEqual(['r1']);
  });
});
