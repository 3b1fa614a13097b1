import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type ConfigProblem } from '../types/errors';
import { loadConfigString } from '../config/loader';
import { allowedAliasRatio, MAX_DEPTH } from './limits';

/** route tree bomb: `fanout` aliases per level, `depth` levels (fanout^depth routes from a few hundred bytes) */
function routeBomb(fanout: number, depth: number): string {
  let text = 'receivers:\n  - name: d\nroute:\n  receiver: d\n  routes:\n  - &r0 {receiver: d}\n';
  for (let i = 1; i <= depth; i++) text += `  - &r${i} {routes: [${Array(fanout).fill(`*r${i - 1}`).join(',')}]}\n`;
  return text;
}

function problems(text: string): ConfigProblem[] {
  try {
    loadConfigString(text, '/cfg/bomb.yml');
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('alias expansion limit (yaml.v2 rule)', () => {
  test('a 400-byte route bomb (262,144 routes) is refused at once with file:line:column (it took 20 s and 1 GB)', () => {
    const text = routeBomb(4, 9);
    expect(text.length).toBeLessThan(450);
    const t0 = performance.now();
    const ps = problems(text);
    const ms = performance.now() - t0;
    expect(ps).toEqual([
      expect.objectContaining({ file: '/cfg/bomb.yml', line: 11, column: 27, message: 'yaml: document contains excessive aliasing', hint: expect.stringMatching(/^aliases expand this document to \d+ nodes/) }),
    ]);
    expect(ms).toBeLessThan(2000);
  });

  test('the limit holds wherever the aliases are: free-form blocks, merge keys, and the limit is checked before any walk', () => {
    const lists = (indent: string) => {
      let t = `${indent}a0: &a0 [x, x, x, x, x, x, x, x, x]\n`;
      for (let i = 1; i <= 7; i++) t += `${indent}a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
      return t;
    };
    const head = 'route: {receiver: d}\nreceivers:\n  - name: d\n';
    const inPayload = `${head}    webhook_configs:\n      - url: http://x/\n        payload:\n${lists('          ')}`;
    const inTracing = `${head}tracing:\n${lists('  ')}`;
    let merges = `${head}    webhook_configs:\n      - url: http://x/\n        payload:\n          m0: &m0 {k: [x, x, x, x, x, x, x, x]}\n`;
    for (let i = 1; i <= 12; i++) merges += `          m${i}: &m${i} {<<: *m${i - 1}, l: [*m${i - 1}, *m${i - 1}, *m${i - 1}]}\n`;
    for (const text of [inPayload, inTracing, merges]) {
      const t0 = performance.now();
      expect(problems(text).map((p) => p.message)).toEqual(['yaml: document contains excessive aliasing']);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  test('ordinary sharing still loads: 60 receivers reusing one anchored http_config and one route block', () => {
    let text = 'route:\n  receiver: r0\n  routes:\n';
    for (let i = 0; i < 60; i++) text += i === 0 ? '  - &child {receiver: r0, group_by: [a, b, c], matchers: [x="1"], continue: true}\n' : '  - *child\n';
    text += 'receivers:\n';
    for (let i = 0; i < 60; i++) {
      const http = i === 0 ? '&h {basic_auth: {username: u, password: p}, tls_config: {insecure_skip_verify: true}, follow_redirects: false, proxy_url: "http://proxy:3128"}' : '*h';
      text += `  - name: r${i}\n    webhook_configs: [{url: "http://x/${i}", http_config: ${http}}]\n`;
    }
    const l = loadConfigString(text, '/cfg/shared.yml');
    expect(l.config.route.routes).toHaveLength(60);
    const last = l.config.receivers[59]!.integrations[0]!;
    expect(last.type === 'webhook' && last.settings.http_config).toMatchObject({ follow_redirects: false, proxy_url: 'http://proxy:3128' });
  });

  test(`nesting: ${MAX_DEPTH} levels load (free-form or route trees), one more is a located error, never a stack overflow`, () => {
    const tracing = (levels: number) => `route: {receiver: d}\nreceivers: [{name: d}]\ntracing: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;
    // the root map, route's map, its routes list, then a map and a list per level
    const routes = (levels: number) => `route: {receiver: d, routes: [${'{routes: ['.repeat((levels - 3) / 2)}${']}'.repeat((levels - 3) / 2)}]}\nreceivers: [{name: d}]\n`;
    expect(problems(tracing(MAX_DEPTH))).toEqual([]);
    expect(problems(routes(MAX_DEPTH - 1))).toEqual([]);
    expect(problems(tracing(MAX_DEPTH + 1))).toEqual([expect.objectContaining({ line: 3, column: 10 + MAX_DEPTH - 1, message: `yaml: exceeded max depth of ${MAX_DEPTH}` })]);
    expect(problems(routes(MAX_DEPTH + 1)).map((p) => p.message)).toEqual([`yaml: exceeded max depth of ${MAX_DEPTH}`]);
    // through aliases: each link of the chain adds a level
    let chain = `route: {receiver: d}\nreceivers: [{name: d}]\ntracing:\n  a0: &a0 ${'['.repeat(MAX_DEPTH - 10)}${']'.repeat(MAX_DEPTH - 10)}\n`;
    for (let i = 1; i <= 20; i++) chain += `  a${i}: &a${i} [*a${i - 1}]\n`;
    expect(problems(chain).map((p) => p.message)).toEqual([`yaml: exceeded max depth of ${MAX_DEPTH}`]);
  });

  test('yaml.v2 allowed ratio: 99% up to 400k nodes, 10% from 4M, linear between', () => {
    expect(allowedAliasRatio(1000)).toBe(0.99);
    expect(allowedAliasRatio(400_000)).toBe(0.99);
    expect(allowedAliasRatio(2_200_000)).toBeCloseTo(0.545, 6);
    expect(allowedAliasRatio(4_000_000)).toBe(0.1);
    expect(allowedAliasRatio(9_000_000)).toBe(0.1);
  });

  describe('same verdict as amtool (real yaml.v2) on route trees around the limit', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'tocsin-alias-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    test.each([
      [4, 4],
      [4, 5],
      [9, 3],
      [2, 7],
      [2, 8],
      [2, 9],
      [3, 5],
      [3, 6],
      [5, 4],
      [6, 3],
    ])('fanout %i, depth %i', (fanout, depth) => {
      const text = routeBomb(fanout, depth);
      const file = join(dir, `r${fanout}-${depth}.yml`);
      writeFileSync(file, text);
      let amtool: string;
      try {
        amtool = execFileSync('amtool', ['check-config', file], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        amtool = String((e as { stdout?: string }).stdout);
      }
      const ours = problems(text).map((p) => p.message);
      expect(ours.length === 0 ? 'SUCCESS' : ours.join()).toBe(amtool.includes('SUCCESS') ? 'SUCCESS' : 'yaml: document contains excessive aliasing');
      expect(amtool).toMatch(/SUCCESS|excessive aliasing/);
    });
  });
});
