import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tocsinPackageVersion } from './package-version';

describe('tocsinPackageVersion()', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-pkgver-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('from this source tree: the repository package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(tocsinPackageVersion()).toBe(pkg.version);
  });

  test('walks up past other packages to the one named tocsin', () => {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'tocsin', version: '9.8.7' }));
    const nested = path.join(dir, 'dist', 'app');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(dir, 'dist', 'package.json'), JSON.stringify({ name: 'other', version: '1.0.0' }));
    writeFileSync(path.join(nested, 'package.json'), '{not json');
    expect(tocsinPackageVersion(nested)).toBe('9.8.7');
  });

  test('0.0.0 when no tocsin package.json is found', () => {
    expect(tocsinPackageVersion(dir)).toBe('0.0.0');
  });
});
