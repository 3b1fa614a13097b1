/**
 * Reading the template files a config's `templates:` globs name (upstream template.FromGlobs: filepath.Glob,
 * then ParseGlob reads each match). I/O problems carry Go's texts (`read dir: is a directory`), never a bare
 * Node errno such as EISDIR.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { glob } from './glob';

export interface TemplateFile {
  /** index of the glob that matched it */
  readonly glob: number;
  /** the path as matched */
  readonly file: string;
  /** the template set name: the base name, as Go's ParseGlob */
  readonly name: string;
  readonly text: string;
}

/** A glob or template file that could not be read or parsed. */
export interface TemplateFileProblem {
  /** index of the glob */
  readonly glob: number;
  /** the template file, when the problem is located in it (a parse error) */
  readonly file?: string;
  /** 1-based position in `file`; 0 when unknown */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Go's os error texts for the errno codes a template read can meet. */
const GO_ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'not a directory',
};

/** os.ReadFile's error as Go prints it: a directory opens but fails to read. */
function readError(file: string, e: NodeJS.ErrnoException): string {
  if (e.code === 'EISDIR') return `read ${file}: is a directory`;
  return `open ${file}: ${(e.code && GO_ERRNO_TEXT[e.code]) ?? e.message}`;
}

/** Reads every file the globs match, in glob order (each glob's matches sorted); collects every problem. */
export function readTemplateFiles(globs: readonly string[]): { files: TemplateFile[]; problems: TemplateFileProblem[] } {
  const files: TemplateFile[] = [];
  const problems: TemplateFileProblem[] = [];
  globs.forEach((g, i) => {
    let matches: string[];
    try {
      matches = glob(g);
    } catch (e) {
      problems.push({ glob: i, line: 0, column: 0, message: (e as Error).message });
      return;
    }
    for (const file of matches) {
      try {
        files.push({ glob: i, file, name: path.basename(file), text: readFileSync(file, 'utf8') });
      } catch (e) {
        problems.push({ glob: i, line: 0, column: 0, message: readError(file, e as NodeJS.ErrnoException) });
      }
    }
  });
  return { files, problems };
}

/** 1-based line and column (in characters) of a UTF-16 offset. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const lines = before.split('\n');
  return { line: lines.length, column: [...lines[lines.length - 1]!].length + 1 };
}
