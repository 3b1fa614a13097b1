/**
 * @module config/receiver
 * The `<receiver>` schema (§1.8), composed from the integration registry: one `<type>_configs` list per
 * integration. Conversion lists integrations in upstream's build order with their index in their own list.
 */
import { integrations } from './integrations';
import { f, type Field, type ObjectSchema } from '../schema/schema';
import type { IntegrationConfig, ReceiverConfig } from './types';

const integrationFields: Record<string, Field> = {};
for (const spec of integrations) {
  integrationFields[`${spec.type}_configs`] = f.list(spec.schema, { nullItem: spec.nullItem ?? 'empty' });
}

export const receiverSchema: ObjectSchema = {
  name: 'receiver',
  fields: {
    name: f.string({ required: 'missing name in receiver' }),
    labels: f.stringMap(),
    ...integrationFields,
  },
  check(o, at) {
    const labels = (o.labels as Record<string, string> | undefined) ?? {};
    const name = (o.name as string | undefined) ?? '';
    if (name && labels.name !== undefined && labels.name !== name) {
      at.failField('labels', `receiver label "name" must match receiver name "${name}", got "${labels.name}"`);
    }
    if (name) o.labels = { ...labels, name };
  },
};

export function toReceiverConfig(o: Record<string, unknown>): ReceiverConfig {
  const list: IntegrationConfig[] = [];
  for (const spec of integrations) {
    const items = (o[`${spec.type}_configs`] as Record<string, unknown>[] | undefined) ?? [];
    items.forEach((settings, index) => {
      // the seam between decoded records and the settings type the definition's schema declares
      list.push({ type: spec.type, index, send_resolved: settings.send_resolved === true, settings } as IntegrationConfig);
    });
  }
  const out: ReceiverConfig = { name: o.name as string, integrations: list };
  if (o.labels !== undefined) out.labels = o.labels as Record<string, string>;
  return out;
}
