/**
 * @module config/global
 * The `global` block (§1.3; upstream config/config.go GlobalConfig and DefaultGlobalConfig): resolve_timeout and
 * http_config, then each integration's own keys (its definition's `globals`). Secret pairs (`x` / `x_file`) report
 * `at most one of x & x_file must be configured`.
 */
import { definitions, type IntegrationType } from '../notifiers/index';
import { defaultHttpConfig, httpConfigSchema } from '../notifiers/shared/http-config';
import { f, type Field, type ObjectSchema } from '../schema/schema';

/**
 * Upstream GlobalConfig's field order, by integration (what `original` serialises in). An integration not listed
 * puts its keys after these, in build order.
 */
const UPSTREAM_ORDER: readonly IntegrationType[] = ['jira', 'email', 'slack', 'pagerduty', 'opsgenie', 'wechat', 'victorops', 'telegram', 'webex', 'rocketchat', 'mattermost'];

const rank = (t: IntegrationType) => {
  const i = UPSTREAM_ORDER.indexOf(t);
  return i === -1 ? UPSTREAM_ORDER.length : i;
};
const withGlobals = definitions.filter((d) => d.globals !== undefined).sort((a, b) => rank(a.type) - rank(b.type));

const fields: Record<string, Field> = {
  resolve_timeout: f.duration({ default: 5 * 60_000 }),
  http_config: { ...f.object(httpConfigSchema), default: defaultHttpConfig, present: true },
};
for (const d of withGlobals) Object.assign(fields, d.globals?.fields);

export const globalSchema: ObjectSchema = {
  name: 'global',
  fields,
  check(o, at) {
    for (const d of withGlobals) d.globals?.check?.(o, at);
  },
};
