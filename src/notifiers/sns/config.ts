/**
 * @module notifiers/sns/config
 * `sns_configs` (upstream notify/sns/config.go): exactly one of topic_arn, phone_number, target_arn; sigv4 auth.
 * send_resolved defaults to true.
 */
import { inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema } from '../../schema/schema';
import { httpConfigField } from '../shared/http-config';

const sigv4Schema = objectSchema({
  name: 'sigv4',
  fields: {
    region: f.string(),
    access_key: f.string(),
    secret_key: f.secret(),
    profile: f.string(),
    role_arn: f.string(),
    external_id: f.string(),
    use_fips_sts_endpoint: f.bool(),
  },
  check(o, at) {
    if ((o.access_key === undefined) !== (o.secret_key === undefined)) {
      at.fail('must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config');
    }
  },
});

export const snsSchema = objectSchema({
  name: 'sns_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    api_url: f.string(),
    sigv4: f.object(sigv4Schema, { default: true }),
    topic_arn: f.string(),
    phone_number: f.string(),
    target_arn: f.string(),
    subject: f.string({ default: tmpl('sns.default.subject') }),
    message: f.string({ default: tmpl('sns.default.message') }),
    attributes: f.stringMap(),
    use_aws_http_client: f.bool({ default: false }),
  },
  check(o, at) {
    const set = ['target_arn', 'topic_arn', 'phone_number'].filter((k) => o[k] !== undefined && o[k] !== '').length;
    // upstream's XOR chain accepts exactly one (or all three); we require exactly one
    if (set !== 1) at.fail('must provide either a Target ARN, Topic ARN, or Phone Number for SNS config');
    inheritHttpConfig(o, at);
  },
});

/** The validated settings of one `sns_configs` entry: defaults and global fallbacks applied. */
export type SNSSettings = Decoded<typeof snsSchema>;
