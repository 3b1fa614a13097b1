import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NotifyError } from '../../types/errors';
import { runNotifierContract } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, T0, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { SNSNotifier } from './notifier';
import { buildPublishBody, MAX_MESSAGE_BYTES, MAX_SMS_BYTES } from './payload';
import { iniProfile, resolveCredentials, signV4, xmlText } from './sigv4';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/sns');
const ACCESS = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYsnsSECRET';
const OK = { body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>94f20ce6-13c5</MessageId></PublishResult></PublishResponse>', headers: { 'content-type': 'text/xml' } };
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';

function sns(item: Record<string, unknown>, o: TestDepsOptions & { env?: NodeJS.ProcessEnv } = {}) {
  return new SNSNotifier(integrationConfig('sns', { sigv4: { region: 'eu-west-1', access_key: ACCESS, secret_key: SECRET }, topic_arn: TOPIC, ...item }), { ...templatedDeps(o), env: o.env ?? {} });
}
const everyField = (url: string) => ({
  api_url: url,
  topic_arn: 'arn:aws:sns:eu-west-1:123456789012:alerts-{{ .CommonLabels.job }}.fifo',
  subject: '[{{ .Status }}] {{ .GroupLabels.alertname }} & more',
  message: '{{ range .Alerts }}{{ .Labels.instance }} {{ end }}~*+ é',
  attributes: { severity: '{{ .CommonLabels.severity }}', '{{ .CommonLabels.job }}_team': 'sre', a: 'b c' },
});

runNotifierContract({
  name: 'sns',
  create: ({ url, userAgent, timeout, logger }) => sns({ api_url: url }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  okResponse: OK,
  contentType: 'application/x-www-form-urlencoded',
  expectRequest: (r) => {
    expect(r.url).toBe('/');
    expect(String(r.headers.authorization)).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${ACCESS}/20261124/eu-west-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`));
    expect(r.headers['x-amz-date']).toBe('20261124T220743Z');
  },
  goldens: [
    { name: 'defaults, firing', file: join(GOLDEN, 'default-firing.golden.txt'), alerts: FIRING },
    { name: 'defaults, resolved', file: join(GOLDEN, 'default-resolved.golden.txt'), alerts: RESOLVED },
    { name: 'defaults, mixed', file: join(GOLDEN, 'default-mixed.golden.txt'), alerts: MIXED },
    { name: 'every field (FIFO topic), mixed', file: join(GOLDEN, 'every-field-mixed.golden.txt'), alerts: MIXED, create: ({ url, userAgent, logger }) => sns(everyField(url), { userAgent, logger }) },
    {
      name: 'phone number',
      file: join(GOLDEN, 'phone-number-firing.golden.txt'),
      alerts: FIRING,
      create: ({ url, userAgent, logger }) => sns({ api_url: url, topic_arn: '', phone_number: '+15555550100', message: 'x{{ .Status }}' }, { userAgent, logger }),
    },
  ],
});

describe('signV4', () => {
  const suite = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const at = Date.UTC(2015, 7, 30, 12, 36, 0);
  test.each([
    ['GET', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['POST', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ])('AWS SigV4 test suite %s-vanilla', (method, sig) => {
    const h = signV4({ method, url: 'https://example.amazonaws.com/', headers: {}, body: '', region: 'us-east-1', service: 'service', now: at }, suite);
    expect(h.authorization).toBe(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`);
    expect(h['x-amz-date']).toBe('20150830T123600Z');
  });
  test("S3's documented GET Object example (extra signed headers)", () => {
    const h = signV4(
      {
        method: 'GET',
        url: 'https://examplebucket.s3.amazonaws.com/test.txt',
        headers: { range: 'bytes=0-9', 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
        body: '',
        region: 'us-east-1',
        service: 's3',
        now: Date.UTC(2013, 4, 24),
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

describe('SNSNotifier', () => {
  const srv = useFakeReceiver();
  beforeEach(() => {
    srv.respond = () => ({ status: 200, ...OK });
  });

  test('notify() reports the AWS error message with Retrier rules', async () => {
    srv.respond = () => ({
      status: 400,
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: TopicArn &amp; more</Message></Error><RequestId>1</RequestId></ErrorResponse>',
    });
    const e = (await sns({ api_url: srv.url }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe('unexpected status code 400: Invalid parameter: TopicArn & more');
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('clientError');
  });

  test('notify() assumes sigv4.role_arn through STS first, then signs with the session', async () => {
    const expires = new Date(T0 + 3600_000).toISOString();
    srv.respond = (r) =>
      r.url === '/sts/'
        ? {
            status: 200,
            body: `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>tempsecret</SecretAccessKey><SessionToken>tok+en/=</SessionToken><Expiration>${expires}</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`,
          }
        : { status: 200, ...OK };
    const n = sns({ api_url: `${srv.url}/sns/`, sigv4: { region: 'eu-west-1', access_key: ACCESS, secret_key: SECRET, role_arn: 'arn:aws:iam::123456789012:role/am', external_id: 'ext-1' } }, { env: { AWS_ENDPOINT_URL_STS: `${srv.url}/sts/` } });
    await n.notify(notifyContext(), FIRING);
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests.map((r) => r.url)).toEqual(['/sts/', '/sns/', '/sns/']);
    const sts = new URLSearchParams(srv.requests[0]!.body);
    expect(Object.fromEntries(sts)).toEqual({ Action: 'AssumeRole', ExternalId: 'ext-1', RoleArn: 'arn:aws:iam::123456789012:role/am', RoleSessionName: `tocsin-${T0 + 1000}`, Version: '2011-06-15' });
    expect(String(srv.requests[0]!.headers.authorization)).toContain(`Credential=${ACCESS}/20261124/eu-west-1/sts/aws4_request`);
    expect(String(srv.requests[1]!.headers.authorization)).toContain('Credential=ASIATEMP/20261124/eu-west-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,');
    expect(srv.requests[1]!.headers['x-amz-security-token']).toBe('tok+en/=');
  });

  test('notify() takes credentials and region from the environment or the shared credentials file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-'));
    try {
      const f = join(dir, 'credentials');
      writeFileSync(f, '[default]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = s1\n\n[ops]\naws_access_key_id=AKIDOPS\naws_secret_access_key=s2\naws_session_token=t2\n');
      const env = { AWS_SHARED_CREDENTIALS_FILE: f, AWS_REGION: 'ap-south-1' };
      await sns({ api_url: srv.url, sigv4: {} }, { env }).notify(notifyContext(), FIRING);
      await sns({ api_url: srv.url, sigv4: { profile: 'ops' } }, { env }).notify(notifyContext(), FIRING);
      await sns({ api_url: srv.url, sigv4: {} }, { env: { ...env, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's3' } }).notify(notifyContext(), FIRING);
      expect(srv.requests.map((r) => String(r.headers.authorization).split(',')[0])).toEqual([
        'AWS4-HMAC-SHA256 Credential=AKIDEFAULT/20261124/ap-south-1/sns/aws4_request',
        'AWS4-HMAC-SHA256 Credential=AKIDOPS/20261124/ap-south-1/sns/aws4_request',
        'AWS4-HMAC-SHA256 Credential=AKIDENV/20261124/ap-south-1/sns/aws4_request',
      ]);
      expect(srv.requests[1]!.headers['x-amz-security-token']).toBe('t2');
      const e = (await sns({ api_url: srv.url, sigv4: {} }, { env: {} })
        .notify(notifyContext(), FIRING)
        .catch((x: unknown) => x)) as NotifyError;
      expect(e.message).toBe('region not configured in sns.sigv4.region or in default credentials chain');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildPublishBody', () => {
  const r = { text: (s: string) => s };
  test.each([
    ['topic', { topic_arn: 'arn:t' }, MAX_MESSAGE_BYTES],
    ['SMS', { phone_number: '+1' }, MAX_SMS_BYTES],
  ] as const)('%s: message cut at %i bytes (no split code point) and flagged truncated', (_n, target, max) => {
    const fits = buildPublishBody({ ...target, message: 'a'.repeat(max) }, r, 'k');
    expect(fits.truncated).toBe(false);
    const over = buildPublishBody({ ...target, message: `${'a'.repeat(max - 1)}é` }, r, 'k');
    expect(over.truncated).toBe(true);
    const p = new URLSearchParams(over.body);
    expect(p.get('Message')).toBe('a'.repeat(max - 1));
    expect(p.get('MessageAttributes.entry.1.Name')).toBe('truncated');
    expect(p.get('MessageAttributes.entry.1.Value.StringValue')).toBe('true');
  });
  test('a FIFO topic gets group and deduplication ids = sha256(group key); no subject when not configured', () => {
    const p = new URLSearchParams(buildPublishBody({ topic_arn: 'arn:x.fifo', message: 'm' }, r, 'k').body);
    expect(p.get('MessageGroupId')).toBe('8254c329a92850f6d539dd376f4816ee2764517da5e0235514af433164480d7a');
    expect(p.get('MessageDeduplicationId')).toBe(p.get('MessageGroupId'));
    expect(p.has('Subject')).toBe(false);
  });
  test('xmlText, iniProfile, resolveCredentials', () => {
    expect(xmlText('<a><Message>x &lt;y&gt; &amp;amp;</Message></a>', 'Message')).toBe('x <y> &amp;');
    expect(iniProfile('[profile x]\nk = v # c\n[y]\nk=w', 'x')).toEqual({ k: 'v' });
    expect(resolveCredentials({ accessKey: 'a', secretKey: 'b', env: {} })).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
    expect(resolveCredentials({ env: { AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' } })).toBeUndefined();
  });
});
