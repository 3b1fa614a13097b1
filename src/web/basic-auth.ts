/**
 * @module web/basic-auth
 * HTTP basic auth against the web config's bcrypt hashes, as exporter-toolkit's web/handler.go does it:
 * - the scheme is matched case-insensitively (Go's Request.BasicAuth: `basic`, `BASIC` ...);
 * - an unknown user is checked against a decoy hash of the configured users' (highest) cost, so it takes as long
 *   as a known user with a wrong password: usernames cannot be found by timing;
 * - comparisons run on worker threads (bcrypt-pool.ts), never on the event loop;
 * - successful checks are cached (a hash of user, password and bcrypt hash; at most {@link CACHE_SIZE}, oldest
 *   evicted), so a correct login costs bcrypt once. Failures are not cached: guesses cannot evict good entries.
 * Answers 401 with `WWW-Authenticate: Basic`; 429 when too many checks are already waiting (exporter-toolkit's
 * answer when its rate limiter refuses).
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { BcryptPool } from './bcrypt-pool';

/** successful checks kept (exporter-toolkit keeps 100 entries) */
export const CACHE_SIZE = 100;

/** Go's default bcrypt cost, used for the decoy when no configured hash states one */
const DEFAULT_COST = 10;

/** user and password of an `Authorization: Basic <base64>` header (Go's parseBasicAuth), else undefined */
export function parseBasicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  if (!header || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const b64 = header.slice(6);
  // base64.StdEncoding: padded standard alphabet only
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) return undefined;
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

/** the cost of a bcrypt hash (`$2y$10$...` → 10), undefined when it has none */
export function bcryptCost(hash: string): number | undefined {
  const m = /^\$2[abxy]?\$(\d{2})\$/.exec(hash);
  return m ? Number(m[1]) : undefined;
}

/**
 * Why `hash` is not a bcrypt hash Go's crypto/bcrypt accepts (exporter-toolkit refuses the web config then:
 * validateUsers calls bcrypt.Cost), else undefined. A user with a malformed hash would answer at once, unlike the others.
 */
export function bcryptHashError(hash: string): string | undefined {
  if (hash.length < 59) return 'crypto/bcrypt: hashedSecret too short to be a bcrypted password';
  if (hash[0] !== '$') return `crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '${hash[0]}'`;
  if (hash[1]! > '2') return `crypto/bcrypt: bcrypt algorithm version '${hash[1]}' requested is newer than current version '2'`;
  const cost = bcryptCost(hash);
  if (cost === undefined || !/^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return 'crypto/bcrypt: malformed bcrypt hash';
  if (cost < 4 || cost > 31) return `crypto/bcrypt: cost ${cost} is outside allowed inclusive range 4..31`;
  return undefined;
}

/**
 * A well-formed bcrypt hash that no password matches in practice, of the given cost: comparing against it costs
 * what comparing against a real hash of that cost does.
 */
export function decoyHash(cost: number): string {
  return `$2b$${String(cost).padStart(2, '0')}$${'tocsindecoysaltdecoyse'}${'tocsindecoyhashdecoyhashdecoyha'}`;
}

export type BasicAuthResult = 'ok' | 'denied' | 'busy';

export class BasicAuthChecker {
  readonly #users: ReadonlyMap<string, string>;
  readonly #pool: BcryptPool;
  readonly #decoy: string;
  /** cache keys of successful checks, oldest first */
  readonly #ok = new Set<string>();

  constructor(users: ReadonlyMap<string, string>, pool: BcryptPool) {
    this.#users = users;
    this.#pool = pool;
    const costs = [...users.values()].map(bcryptCost).filter((c): c is number => c !== undefined);
    this.#decoy = decoyHash(costs.length > 0 ? Math.max(...costs) : DEFAULT_COST);
  }

  async check(header: string | undefined): Promise<BasicAuthResult> {
    const creds = parseBasicAuth(header);
    if (!creds) return 'denied';
    const hash = this.#users.get(creds.user);
    const key = createHash('sha256').update(`${creds.user}\0${creds.pass}\0${hash ?? ''}`).digest('hex');
    if (hash !== undefined && this.#ok.has(key)) return 'ok';
    // an unknown user costs a comparison too, against the decoy
    const match = await this.#pool.compare(creds.pass, hash ?? this.#decoy);
    if (match === 'busy') return 'busy';
    if (!match || hash === undefined) return 'denied';
    if (this.#ok.size >= CACHE_SIZE) this.#ok.delete(this.#ok.values().next().value as string);
    this.#ok.add(key);
    return 'ok';
  }
}

/** Express middleware over a {@link BasicAuthChecker}. */
/** res.locals key of the authenticated basic-auth user (read by the silence API for the history) */
export const AUTH_USER = 'tocsinAuthUser';

export function basicAuthMiddleware(users: ReadonlyMap<string, string>, pool: BcryptPool): RequestHandler {
  const checker = new BasicAuthChecker(users, pool);
  return (req: Request, res: Response, next: NextFunction) => {
    checker.check(req.headers.authorization).then(
      (r) => {
        if (r === 'ok') {
          res.locals[AUTH_USER] = parseBasicAuth(req.headers.authorization)?.user;
          next();
          return;
        }
        if (r === 'busy') {
          res.status(429).type('text/plain; charset=utf-8').send('Too Many Requests\n');
          return;
        }
        res.setHeader('WWW-Authenticate', 'Basic');
        res.status(401).type('text/plain; charset=utf-8').send('Unauthorized\n');
      },
      () => {
        res.setHeader('WWW-Authenticate', 'Basic');
        res.status(401).type('text/plain; charset=utf-8').send('Unauthorized\n');
      },
    );
  };
}
