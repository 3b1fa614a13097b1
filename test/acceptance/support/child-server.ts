/**
 * Tocsin in a child process for the kill test: same assembly as the harness, state in TOCSIN_DIR, config
 * text in TOCSIN_CONFIG. Prints "LISTENING <url>" when ready.
 */
import { TestAlertmanager } from './harness';

async function main() {
  const am = new TestAlertmanager(process.env.TOCSIN_CONFIG!, [], { dir: process.env.TOCSIN_DIR! });
  await am.start();
  process.stdout.write(`LISTENING ${am.url}\n`);
}
void main();
