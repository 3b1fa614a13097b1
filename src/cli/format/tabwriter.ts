import { runeCount } from '../../types/runes';

/**
 * Column alignment compatible with Go's text/tabwriter as amtool configures it
 * (minwidth 0, tabwidth 0, padding 2, padchar ' ', no flags; upstream cli/format/format_simple.go).
 *
 * Every cell terminated by a tab belongs to a column; a column block is a run of consecutive lines
 * that all have a terminated cell in that column, and its width is the widest cell plus the padding.
 * The text after a line's last tab is written as is. Widths count code points, as Go counts runes.
 */
export function alignColumns(text: string, padding = 2): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = new Array(lines.length);
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] as string[];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j] as string;
        s += c;
        if (j < cells.length - 1 && j < widths.length) s += ' '.repeat((widths[j] as number) - runeCount(c));
      }
      out[i] = s;
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i] as string[]).length - 1) continue;
      // line i opens a block for this column
      writeLines(start, i);
      start = i;
      let width = 0;
      for (; i < line1; i++) {
        const cells = lines[i] as string[];
        if (column >= cells.length - 1) break;
        width = Math.max(width, runeCount(cells[column] as string) + padding);
      }
      widths.push(width);
      format(start, i);
      widths.pop();
      start = i;
      i--; // the outer loop's i++ re-examines line i
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}

