/**
 * @module notifiers/sns/sigv4
 * AWS Signature Version 4 for the SNS and STS query APIs (what upstream gets from aws-sdk-go-v2), and the
 * credential sources Tocsin supports: static keys from `sigv4`, a named profile or the default profile of the
 * shared credentials file, and the AWS_* environment variables. Checked against AWS's published vectors
 * (signature v4 test suite get-vanilla/post-vanilla, S3's "GET Object" example).
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignInput {
  method: string;
  url: string;
  /** lower-case names; all are signed (host and x-amz-date are added) */
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  /** epoch ms */
  now: number;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it (unreserved: A-Z a-z 0-9 - _ . ~). */
function uriEncode(s: string, keepSlash: boolean): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function amzDate(now: number): string {
  return new Date(now).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/** The headers to add to the request: x-amz-date, x-amz-security-token (with a session) and authorization. */
export function signV4(input: SignInput, creds: AwsCredentials): Record<string, string> {
  const u = new URL(input.url);
  const date = amzDate(input.now);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = { ...input.headers, host: u.host, 'x-amz-date': date };
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const names = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((n) => `${n}:${String(headers[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const query = [...u.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const path = uriEncode(decodeURIComponent(u.pathname || '/'), true);
  const canonical = [input.method, path, query, canonicalHeaders, signedHeaders, sha256(input.body)].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  const out: Record<string, string> = { 'x-amz-date': date };
  if (creds.sessionToken) out['x-amz-security-token'] = creds.sessionToken;
  out.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return out;
}

/** One profile of an INI file (~/.aws/credentials). */
export function iniProfile(text: string, profile: string): Record<string, string> | undefined {
  let current: string | undefined;
  let found: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      current = section[1]!.replace(/^profile\s+/, '');
      if (current === profile) found ??= {};
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && current === profile && found) found[kv[1]!.toLowerCase()] = kv[2]!;
  }
  return found;
}

export interface CredentialSource {
  accessKey?: string;
  secretKey?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
}

/** Static keys, else the named profile, else AWS_ACCESS_KEY_ID/…, else the AWS_PROFILE or default profile. */
export function resolveCredentials(src: CredentialSource): AwsCredentials | undefined {
  const env = src.env ?? process.env;
  if (src.accessKey && src.secretKey) return { accessKeyId: src.accessKey, secretAccessKey: src.secretKey };
  const fromProfile = (name: string): AwsCredentials | undefined => {
    let text: string;
    try {
      text = readFileSync(env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'), 'utf8');
    } catch {
      return undefined;
    }
    const p = iniProfile(text, name);
    if (!p?.aws_access_key_id || !p.aws_secret_access_key) return undefined;
    return { accessKeyId: p.aws_access_key_id, secretAccessKey: p.aws_secret_access_key, ...(p.aws_session_token ? { sessionToken: p.aws_session_token } : {}) };
  };
  if (src.profile) return fromProfile(src.profile);
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  }
  return fromProfile(env.AWS_PROFILE ?? 'default');
}

/** The text of the first <tag>…</tag> in an AWS XML answer, entities decoded. */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!m) return undefined;
  return m[1]!
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_x, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}
