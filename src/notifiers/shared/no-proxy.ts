/**
 * @module notifiers/shared/no-proxy
 * `http_config.no_proxy` as prometheus/common applies it: with no_proxy set, the proxy function is
 * golang.org/x/net/http/httpproxy's Config{HTTPProxy, HTTPSProxy: proxy_url, NoProxy}.ProxyFunc(), which never
 * proxies localhost or a loopback IP, and skips hosts matching the comma-separated list: "*" (all), an IP, a CIDR,
 * or a domain with an optional port ("example.com" matches it and its subdomains, ".example.com" and
 * "*.example.com" only subdomains). Without no_proxy every request goes through proxy_url (http.ProxyURL).
 */
import { BlockList, isIP } from 'node:net';

/** Whether a request to `url` goes direct under this no_proxy list (only called when no_proxy is set). */
export function bypassProxy(noProxy: string, url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  if (host === 'localhost') return true;
  const ipKind = isIP(host);
  if (ipKind === 4 ? host.startsWith('127.') : ipKind === 6 && host === '::1') return true;
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      const [net, bits] = entry.split('/') as [string, string];
      const kind = isIP(net);
      if (kind && ipKind === kind) {
        const list = new BlockList();
        try {
          list.addSubnet(net, Number(bits), kind === 4 ? 'ipv4' : 'ipv6');
        } catch {
          continue;
        }
        if (list.check(host, kind === 4 ? 'ipv4' : 'ipv6')) return true;
      }
      continue;
    }
    if (isIP(entry)) {
      if (entry === host) return true;
      continue;
    }
    let entryPort = '';
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m) {
      entry = m[1]!;
      entryPort = m[2]!;
    }
    if (isIP(entry.replace(/^\[|\]$/g, ''))) {
      if (entry.replace(/^\[|\]$/g, '') === host && (entryPort === '' || entryPort === port)) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    const matchHost = !entry.startsWith('.');
    const suffix = matchHost ? `.${entry}` : entry;
    if ((host.endsWith(suffix) || (matchHost && host === entry)) && (entryPort === '' || entryPort === port)) return true;
  }
  return false;
}
