/**
 * @module notifiers/sns/notifier
 * Amazon SNS sender (upstream notify/sns/sns.go, which uses aws-sdk-go-v2): render -> buildPublishBody -> one
 * SigV4-signed POST of the query-protocol Publish action to api_url (templated) or https://sns.<region>.amazonaws.com/.
 * Credentials: sigv4 access_key/secret_key, sigv4.profile, AWS_* variables or the default profile; with
 * sigv4.role_arn they first assume that role through STS (kept until 5 minutes before it expires). Region:
 * sigv4.region, else AWS_REGION / AWS_DEFAULT_REGION. An AWS error answer becomes
 * `unexpected status code <code>: <AWS message>` with Retrier rules (5xx retried). Not supported: the EC2/ECS
 * metadata credential endpoints, SSO and web identity (use keys, a profile or the environment).
 */
import type { Notifier, NotifyContext } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';
import { goEncodeQuery } from '../../go/url';
import { classifyResponse, HttpSender, redactUrl } from '../shared/http-sender';
import { type RendererFactory, templated } from '../shared/render';
import type { SNSSettings } from './config';
import { buildPublishBody, MAX_MESSAGE_BYTES } from './payload';
import { type AwsCredentials, resolveCredentials, signV4, xmlText } from './sigv4';

export interface SNSDeps {
  userAgent: string;
  logger: Logger;
  render: RendererFactory;
  /** per-request timeout in ms (0 = none) */
  timeout?: number;
  /** environment for the AWS_* variables (default process.env) */
  env?: NodeJS.ProcessEnv;
}

const FORM = 'application/x-www-form-urlencoded';

function failure(message: string): NotifyError {
  return new NotifyError(message, { retryable: true, reason: 'other' });
}

export class SNSNotifier implements Notifier {
  readonly #s: SNSSettings;
  readonly #deps: SNSDeps;
  readonly #sender: HttpSender;
  #assumed: { creds: AwsCredentials; until: number } | undefined;

  constructor(cfg: { settings: SNSSettings }, deps: SNSDeps) {
    this.#s = cfg.settings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent });
  }

  get #env(): NodeJS.ProcessEnv {
    return this.#deps.env ?? process.env;
  }

  #secrets(creds?: AwsCredentials): string[] {
    const out = [this.#s.sigv4?.secret_key?.reveal() ?? ''];
    if (creds) out.push(creds.secretAccessKey, creds.sessionToken ?? '');
    return out.filter((x) => x.length > 0);
  }

  async #post(ctx: NotifyContext, url: string, body: string, region: string, service: string, creds: AwsCredentials): Promise<string> {
    const headers = { 'content-type': FORM };
    const signed = signV4({ method: 'POST', url, headers, body, region, service, now: ctx.now }, creds);
    const res = await this.#sender.send(url, body, { ctx, timeout: this.#deps.timeout ?? 0, timeoutLabel: 'sns', headers: { ...headers, ...signed } });
    if (res.status >= 200 && res.status < 300) return res.body;
    const hide = (m: string) => this.#secrets(creds).reduce((acc, k) => acc.split(k).join('<secret>'), redactUrl(m, url));
    // upstream hands the AWS error message (not the XML) to the Retrier
    const err = classifyResponse(res.status, hide(xmlText(res.body, 'Message') ?? res.body));
    throw err ?? failure(`unexpected status code ${res.status}`);
  }

  async #credentials(ctx: NotifyContext, region: string): Promise<AwsCredentials> {
    const v = this.#s.sigv4 ?? {};
    const base = resolveCredentials({
      ...(v.access_key ? { accessKey: v.access_key } : {}),
      ...(v.secret_key ? { secretKey: v.secret_key.reveal() } : {}),
      ...(v.profile ? { profile: v.profile } : {}),
      env: this.#env,
    });
    if (!base) throw failure('failed to load AWS credentials: set sigv4.access_key/secret_key, sigv4.profile or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    if (!v.role_arn) return base;
    if (this.#assumed && ctx.now < this.#assumed.until) return this.#assumed.creds;
    const host = v.use_fips_sts_endpoint ? `sts-fips.${region}.amazonaws.com` : `sts.${region}.amazonaws.com`;
    const url = this.#env.AWS_ENDPOINT_URL_STS ?? this.#env.AWS_ENDPOINT_URL ?? `https://${host}/`;
    const params: [string, string][] = [
      ['Action', 'AssumeRole'],
      ['RoleArn', v.role_arn],
      ['RoleSessionName', `tocsin-${ctx.now}`],
      ['Version', '2011-06-15'],
    ];
    if (v.external_id) params.push(['ExternalId', v.external_id]);
    let xml: string;
    try {
      xml = await this.#post(ctx, url, goEncodeQuery(params), region, 'sts', base);
    } catch (e) {
      if (e instanceof NotifyError) throw new NotifyError(`failed to assume role: ${e.message}`, { retryable: e.retryable, reason: e.reason, ...(e.status !== undefined ? { status: e.status } : {}) });
      throw e;
    }
    const accessKeyId = xmlText(xml, 'AccessKeyId');
    const secretAccessKey = xmlText(xml, 'SecretAccessKey');
    const sessionToken = xmlText(xml, 'SessionToken');
    if (!accessKeyId || !secretAccessKey) throw failure('failed to assume role: no credentials in the STS answer');
    const creds: AwsCredentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    const expires = Date.parse(xmlText(xml, 'Expiration') ?? '');
    this.#assumed = { creds, until: Number.isFinite(expires) ? expires - 5 * 60_000 : ctx.now + 10 * 60_000 };
    return creds;
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const region = this.#s.sigv4?.region || this.#env.AWS_REGION || this.#env.AWS_DEFAULT_REGION || '';
    if (!region) throw failure('region not configured in sns.sigv4.region or in default credentials chain');
    const apiUrl = templated("'api_url'", () => render.text(this.#s.api_url ?? ''));
    const built = templated('SNS message', () => buildPublishBody(this.#s, render, ctx.groupKey));
    if (built.truncated) this.#deps.logger.warn({ group_key: ctx.groupKey, integration: 'sns', max_bytes: this.#s.phone_number ? 1600 : MAX_MESSAGE_BYTES }, 'Truncated message');
    const creds = await this.#credentials(ctx, region);
    const url = apiUrl || this.#env.AWS_ENDPOINT_URL_SNS || this.#env.AWS_ENDPOINT_URL || `https://sns.${region}.amazonaws.com/`;
    const answer = await this.#post(ctx, url, built.body, region, 'sns', creds);
    this.#deps.logger.debug({ group_key: ctx.groupKey, integration: 'sns', message_id: xmlText(answer, 'MessageId') ?? '' }, 'SNS message successfully published');
  }
}
