/**
 * Issue 6, "the end-to-end suites run in CI": test/cli/e2e.test.ts (tocsinctl side by side with the real amtool)
 * runs against Debian's real Alertmanager by default. This file runs the very same suite against the compiled
 * Tocsin server (bin/tocsin, dist/), so the default `jest` run covers both targets: real amtool drives Tocsin
 * (alert add/query, silence add/query/update/expire/import, config show/routes, check-config) and its output is
 * compared with tocsinctl's. Jest gives each test file its own process.env, so this does not leak.
 */
import { ensureBuilt } from '../helpers/build';

ensureBuilt(); // the harness runs dist/ when it exists: make sure it is current
process.env.TOCSINCTL_E2E_TARGET = 'tocsin';
require('../cli/e2e.test');
