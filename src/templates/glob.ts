/**
 * filepath.Glob: `*`, `?`, `[...]` within path segments (no `**`); results sorted like Go's.
 */
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

function hasMeta(s: string): boolean {
  return /[*?[\\]/.test(s);
}

function segmentRegex(seg: string): RegExp {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) throw new Error('syntax error in pattern');
      let cls = seg.slice(i + 1, end);
      if (cls.startsWith('^')) cls = '^' + cls.slice(1);
      re += '[' + cls.replace(/\\/g, '\\\\') + ']';
      i = end;
    } else if (c === '\\') {
      i++;
      re += (seg[i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

export function glob(pattern: string): string[] {
  if (!hasMeta(pattern)) {
    try {
      statSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const abs = path.isAbsolute(pattern);
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases = [abs ? '/' : '.'];
  const start = abs ? 1 : 0;
  for (let i = start; i < parts.length; i++) {
    const seg = parts[i]!;
    const next: string[] = [];
    for (const b of bases) {
      if (!hasMeta(seg)) {
        const p = b === '.' && !abs && i === 0 ? seg : path.join(b, seg);
        try {
          statSync(p);
          next.push(p);
        } catch {
          // no match
        }
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(b).sort();
      } catch {
        continue;
      }
      const re = segmentRegex(seg);
      for (const n of names) if (re.test(n)) next.push(b === '.' && !abs && i === 0 ? n : path.join(b, n));
    }
    bases = next;
  }
  return bases;
}
