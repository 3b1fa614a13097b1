/**
 * @module notifiers/sns/payload
 * The SNS Publish request of the AWS query protocol, as aws-sdk-go-v2 serialises upstream's PublishInput
 * (notify/sns/sns.go): form-encoded, keys sorted (url.Values.Encode). Message ≤ 256 KiB (1600 bytes for SMS),
 * cut at a byte limit without a marker and flagged by a `truncated` = "true" message attribute; a FIFO topic
 * (`.fifo`) gets MessageGroupId and MessageDeduplicationId = sha256(groupKey); Subject only when configured.
 * Attribute names and values are templates; attributes go out sorted by name as MessageAttributes.entry.N.
 */
import { createHash } from 'node:crypto';
import { compareStrings } from '../../types/labels';
import { goEncodeQuery } from '../../go/url';
import type { Renderer } from '../shared/render';

export const MAX_MESSAGE_BYTES = 256 * 1024;
export const MAX_SMS_BYTES = 1600;

export interface SNSPayloadSettings {
  topic_arn?: string;
  phone_number?: string;
  target_arn?: string;
  subject?: string;
  message?: string;
  attributes?: Readonly<Record<string, string>>;
}

/** At most n bytes, never splitting a code point. */
function cutBytes(s: string, n: number): string {
  let used = 0;
  let out = '';
  for (const cp of s) {
    const len = Buffer.byteLength(cp, 'utf8');
    if (used + len > n) break;
    used += len;
    out += cp;
  }
  return out;
}

export function buildPublishBody(s: SNSPayloadSettings, r: Pick<Renderer, 'text'>, groupKey: string): { body: string; truncated: boolean } {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const attributes = new Map<string, string>();
  for (const [k, v] of Object.entries(s.attributes ?? {})) attributes.set(t(k), t(v));
  const p: [string, string][] = [
    ['Action', 'Publish'],
    ['Version', '2010-03-31'],
  ];
  let limit = MAX_MESSAGE_BYTES;
  if (s.topic_arn) {
    const arn = t(s.topic_arn);
    p.push(['TopicArn', arn]);
    if (arn.endsWith('.fifo')) {
      const hash = createHash('sha256').update(groupKey).digest('hex');
      p.push(['MessageDeduplicationId', hash], ['MessageGroupId', hash]);
    }
  }
  if (s.phone_number) {
    p.push(['PhoneNumber', t(s.phone_number)]);
    limit = MAX_SMS_BYTES;
  }
  if (s.target_arn) p.push(['TargetArn', t(s.target_arn)]);
  let message = t(s.message);
  const truncated = Buffer.byteLength(message, 'utf8') > limit;
  if (truncated) {
    message = cutBytes(message, limit);
    attributes.set('truncated', 'true');
  }
  p.push(['Message', message]);
  const names = [...attributes.keys()].sort(compareStrings);
  names.forEach((name, i) => {
    const e = `MessageAttributes.entry.${i + 1}`;
    p.push([`${e}.Name`, name], [`${e}.Value.DataType`, 'String'], [`${e}.Value.StringValue`, attributes.get(name)!]);
  });
  if (s.subject) p.push(['Subject', t(s.subject)]);
  return { body: goEncodeQuery(p), truncated };
}
