/**
 * The core of `tocsinctl template render`: what `amtool template render` prints (upstream
 * cli/template_render.go). Without data, amtool's built-in example data is used (alert times relative
 * to now).
 */
import { KV, TAlert, TAlerts, TemplateData, templateDataFromJson } from './data';
import { GoTime } from './time-values';
import { TemplateSet } from './template-set';

export interface RenderTemplateCommandOptions {
  /** --template.glob values */
  readonly globs: readonly string[];
  /** --template.text */
  readonly text: string;
  /** contents of the --template.data file (JSON of template.Data) */
  readonly dataJson?: string;
  /** --template.type */
  readonly type?: 'text' | 'html';
  /** epoch ms for the default data's times; defaults to Date.now() */
  readonly now?: number;
}

/** amtool's defaultData (cli/template_render.go). */
export function amtoolDefaultData(now: number): TemplateData {
  const t = (ms: number): GoTime => new GoTime(ms);
  return new TemplateData(
    'receiver',
    'alertstatus',
    new TAlerts([
      new TAlert(
        'firing',
        new KV({
          label1: 'value1',
          label2: 'value2',
          instance: 'foo.bar:1234',
          commonlabelkey1: 'commonlabelvalue1',
          commonlabelkey2: 'commonlabelvalue2',
        }),
        new KV({
          annotation1: 'value1',
          annotation2: 'value2',
          commonannotationkey1: 'commonannotationvalue1',
          commonannotationkey2: 'commonannotationvalue2',
        }),
        t(now - 5 * 60_000),
        t(now),
        'https://generatorurl.com',
        'fingerprint1',
      ),
      new TAlert(
        'resolved',
        new KV({ foo: 'bar', baz: 'qux', commonlabelkey1: 'commonlabelvalue1', commonlabelkey2: 'commonlabelvalue2' }),
        new KV({
          aaa: 'bbb',
          ccc: 'ddd',
          commonannotationkey1: 'commonannotationvalue1',
          commonannotationkey2: 'commonannotationvalue2',
        }),
        t(now - 10 * 60_000),
        t(now),
        'https://generatorurl.com',
        'fingerprint2',
      ),
    ]),
    '',
    new KV({ grouplabelkey1: 'grouplabelvalue1', grouplabelkey2: 'grouplabelvalue2' }),
    new KV({ commonlabelkey1: 'commonlabelvalue1', commonlabelkey2: 'commonlabelvalue2' }),
    new KV({ commonannotationkey1: 'commonannotationvalue1', commonannotationkey2: 'commonannotationvalue2' }),
    new KV({}),
    'https://example.com',
  );
}

/** Renders like amtool and returns exactly what it prints (no trailing newline added). Throws TemplateError. */
export function renderTemplateCommand(opts: RenderTemplateCommandOptions): string {
  const set = TemplateSet.loadSync({ globs: opts.globs, includeDefaults: true });
  const data =
    opts.dataJson === undefined ? amtoolDefaultData(opts.now ?? Date.now()) : templateDataFromJson(JSON.parse(opts.dataJson));
  return opts.type === 'html' ? set.renderHtml(opts.text, data) : set.renderText(opts.text, data);
}
