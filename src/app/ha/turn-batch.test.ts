import { TurnBatch } from './turn-batch';

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('TurnBatch', () => {
  test('the items of one turn go in one run; each caller gets its own result', async () => {
    const runs: number[][] = [];
    const b = new TurnBatch<number, number>(async (xs) => {
      runs.push(xs);
      return xs.map((x) => x * 10);
    });
    const got = await Promise.all([b.add(1), b.add(2), b.add(3)]);
    expect(got).toEqual([10, 20, 30]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  test('maxInFlight: items added while runs are under way wait and go together in the next one', async () => {
    const runs: number[][] = [];
    const ends: (() => void)[] = [];
    const b = new TurnBatch<number>(
      (xs) =>
        new Promise((resolve) => {
          runs.push(xs);
          ends.push(() => resolve(undefined));
        }),
      { maxInFlight: 1 },
    );
    const all = [b.add(1)];
    await turn();
    expect(runs).toEqual([[1]]);
    all.push(b.add(2));
    await turn();
    all.push(b.add(3));
    await turn();
    expect(runs).toEqual([[1]]); // one under way: 2 and 3 wait
    ends[0]!();
    await turn();
    await turn();
    expect(runs).toEqual([[1], [2, 3]]);
    ends[1]!();
    await Promise.all(all);
  });

  test('a failed run rejects each of its callers; the next run goes on', async () => {
    let fail = true;
    const b = new TurnBatch<number>(async () => {
      if (fail) throw new Error('down');
      return undefined;
    }, { maxInFlight: 1 });
    await expect(Promise.all([b.add(1), b.add(2)])).rejects.toThrow('down');
    fail = false;
    await expect(b.add(3)).resolves.toBeUndefined();
  });
});
