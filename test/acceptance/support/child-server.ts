/**
 * Tocsin (the real App) in a child process for the kill test: state in TOCSIN_DIR, config
 * text in TOCSIN_CONFIG. Prints "LISTENING <url>" when ready.
 */
import { AppAlertmanager } from './app-backend';

async function main() {
  const am = new AppAlertmanager(process.env.TOCSIN_CONFIG!, [], { dir: process.env.TOCSIN_DIR! });
  await am.start();
  process.stdout.write(`LISTENING ${am.url}\n`);
}
void main();
