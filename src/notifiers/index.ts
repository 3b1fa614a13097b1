/**
 * @module notifiers
 * Every integration, one line each, in upstream's build order (config/receiver/receiver.go): the order integrations
 * of a receiver are listed in, and the order `<type>_configs` keys are serialised. Adding an integration is one
 * folder (src/notifiers/<type>/, whose index.ts exports its definition) plus one line here; the config keys, the
 * registry of factories and the metric label values are derived from this array.
 */
import { discord } from './discord';
import { email } from './email';
import { incidentio } from './incidentio';
import { jira } from './jira';
import { mattermost } from './mattermost';
import { msteams } from './msteams';
import { msteamsv2 } from './msteamsv2';
import { opsgenie } from './opsgenie';
import { pagerduty } from './pagerduty';
import { pushover } from './pushover';
import { rocketchat } from './rocketchat';
import { slack } from './slack';
import { sns } from './sns';
import { telegram } from './telegram';
import { victorops } from './victorops';
import { webex } from './webex';
import { webhook } from './webhook';
import { wechat } from './wechat';
import type { IntegrationInstance, SettingsOf } from './definition';

export const definitions = [
  webhook,
  email,
  pagerduty,
  opsgenie,
  wechat,
  slack,
  victorops,
  pushover,
  sns,
  telegram,
  discord,
  webex,
  msteams,
  msteamsv2,
  jira,
  incidentio,
  rocketchat,
  mattermost,
] as const;

export type Definition = (typeof definitions)[number];

/** Every integration; the YAML key is `${IntegrationType}_configs`. */
export type IntegrationType = Definition['type'];

/** The validated settings of one integration type. */
export type IntegrationSettings<T extends IntegrationType> = SettingsOf<Extract<Definition, { type: T }>>;

/** One integration of a receiver, as loaded: a union discriminated by `type`, or one type's. */
export type IntegrationConfig<T extends IntegrationType = IntegrationType> = { [K in T]: IntegrationInstance<K, IntegrationSettings<K>> }[T];

/** The integration types, in build order. */
export const integrationTypes: readonly IntegrationType[] = definitions.map((d) => d.type);
