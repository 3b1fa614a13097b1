/**
 * @module config/integrations
 * Every integration's config schema, one line each, in upstream's build order (config/receiver/receiver.go):
 * the order integrations of a receiver are listed in, and the order `<type>_configs` keys are serialised.
 */
import { discord } from '../notifiers/discord/config';
import { email } from '../notifiers/email/config';
import { incidentio } from '../notifiers/incidentio/config';
import { jira } from '../notifiers/jira/config';
import { mattermost } from '../notifiers/mattermost/config';
import { msteams } from '../notifiers/msteams/config';
import { msteamsv2 } from '../notifiers/msteamsv2/config';
import { opsgenie } from '../notifiers/opsgenie/config';
import { pagerduty } from '../notifiers/pagerduty/config';
import { pushover } from '../notifiers/pushover/config';
import { rocketchat } from '../notifiers/rocketchat/config';
import { slack } from '../notifiers/slack/config';
import { sns } from '../notifiers/sns/config';
import { telegram } from '../notifiers/telegram/config';
import { victorops } from '../notifiers/victorops/config';
import { webex } from '../notifiers/webex/config';
import { webhook } from '../notifiers/webhook/config';
import { wechat } from '../notifiers/wechat/config';
import type { IntegrationSpec } from './integration-spec';

export const integrations: readonly IntegrationSpec[] = [
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
];

/**
 * Integrations Tocsin parses but cannot send yet: a config using one is rejected at load with a clear error
 * (checked once, in loader.ts), never silently dropped. Empty the entry when its notifier lands in
 * src/notifiers/registry.ts.
 */
export const UNSUPPORTED_INTEGRATIONS: readonly IntegrationSpec['type'][] = [];
