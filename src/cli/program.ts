import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, Option } from 'commander';
import { completionScript } from './completion';
import { configFilePaths, loadFlagDefaults } from './config-file';
import { type CliIo, CommandContext, type GlobalOptions, tocsinVersion } from './context';
import { CliError } from './errors';
import { DEFAULT_DATE_FORMAT } from './format/formatters';
import * as H from './help';

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/**
 * Command implementations are loaded by the command that runs (tocsinctl's startup time is mostly module
 * loading): the config loader and template engine only by status/config/template commands, the matcher
 * parser only by commands that parse matchers.
 */
const statusCommands = () => import('./commands/status');
const alertCommands = () => import('./commands/alert');
const silenceCommands = () => import('./commands/silence');
const historyCommands = () => import('./commands/history');
const scheduleCommands = () => import('./commands/silence-schedule');
const notificationCommands = () => import('./commands/notification');
const ackCommands = () => import('./commands/ack');
/** SQLite (a native module) only for `storage check` */
const storageCommands = () => import('./commands/storage');
/** SQLite and the snapshot decoder only for `import alertmanager-storage` */
const importCommands = () => import('./commands/import');
/** pg and SQLite only for `storage copy` */
const storageCopyCommand = () => import('./commands/storage-copy');

type Action = (ctx: CommandContext, cmd: Command, ...args: unknown[]) => Promise<unknown>;

/** Sets options the user did not give from the config file's flag defaults (upstream cli/config). */
function applyConfigDefaults(action: Command, flags: Map<string, string>): void {
  for (let cmd: Command | null = action; cmd; cmd = cmd.parent) {
    for (const opt of cmd.options) {
      if (opt.negate || !opt.long) continue;
      const value = flags.get(opt.long.replace(/^--/, ''));
      if (value === undefined) continue;
      const attr = opt.attributeName();
      const source = cmd.getOptionValueSource(attr);
      if (source !== undefined && source !== 'default') continue;
      let v: unknown = value;
      if (opt.isBoolean()) {
        if (!/^(true|false|1|0)$/i.test(value)) {
          throw new CliError(`config file: ${opt.long.slice(2)}: expected a boolean, got '${value}'`);
        }
        v = /^(true|1)$/i.test(value);
      } else if (opt.variadic || Array.isArray(cmd.getOptionValue(attr))) {
        v = [value];
      }
      if (opt.argChoices && !opt.argChoices.includes(String(v))) {
        throw new CliError(`config file: ${opt.long.slice(2)}: '${value}' is not one of ${opt.argChoices.join(', ')}`);
      }
      cmd.setOptionValueWithSource(attr, v, 'config');
    }
  }
}

/** Builds the command tree for one run. `state.exitCode` carries an action's non-error exit status. */
export function buildProgram(io: CliIo, state: { exitCode: number }): Command {
  const program = new Command('tocsinctl');
  program
    .description(H.ROOT_HELP)
    .configureHelp({
      helpWidth: 80,
      showGlobalOptions: true,
      sortSubcommands: false,
      // "check-config [options] [check-files...]" would leave too narrow a column to wrap the descriptions in
      subcommandTerm: (c) => (c.name() === 'check-config' ? `${c.name()} [check-files...]` : new Help().subcommandTerm(c)),
    })
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(`tocsinctl: ${s}`),
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .version(
      `tocsinctl, version ${tocsinVersion()} (Tocsin; speaks the Alertmanager API v2 like amtool 0.27+)`,
      '--version',
      'Show the version and exit',
    )
    .option('-v, --verbose', 'Verbose running information (requests on stderr)')
    .option('--alertmanager.url <url>', 'Alertmanager to talk to')
    .addOption(
      new Option('-o, --output <format>', 'Output formatter').choices(['simple', 'extended', 'json']).default('simple'),
    )
    .option('--timeout <duration>', 'Timeout for the executed command (Go duration)', '30s')
    .option('--http.config.file <filename>', 'HTTP client configuration file (Prometheus http_config format)')
    .option('--version-check', 'Check the server version. Use --no-version-check to disable.', true)
    .option('--no-version-check', 'Do not check the server version')
    .option('--date.format <layout>', 'Format of date output (Go layout)', DEFAULT_DATE_FORMAT)
    .option('--enable-feature <list>', 'Matcher parser: utf8-strict-mode or classic-mode (default: fallback)')
    .addHelpText('after', H.ROOT_EXAMPLES);

  program.hook('preAction', (_root, action) => {
    applyConfigDefaults(action, loadFlagDefaults(io.configPaths ?? configFilePaths(io.home)));
  });

  const act =
    (fn: Action) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const ctx = new CommandContext(io, cmd.optsWithGlobals() as GlobalOptions);
      try {
        const code = await fn(ctx, cmd, ...args.slice(0, -2));
        if (typeof code === 'number') state.exitCode = code;
      } finally {
        await ctx.close();
      }
    };

  // alert
  const alert = program.command('alert').description('Add or query alerts.').addHelpText('after', H.ALERT_EXAMPLES);
  alert
    .command('query', { isDefault: true })
    .description(H.ALERT_QUERY_HELP)
    .argument('[matcher-groups...]', 'Query filter')
    .option('-i, --inhibited', 'Show inhibited alerts')
    .option('-s, --silenced', 'Show silenced alerts')
    .option('-a, --active', 'Show active alerts')
    .option('-u, --unprocessed', 'Show unprocessed alerts')
    .option('-r, --receiver <regex>', 'Show alerts matching receiver (supports regex syntax)')
    .addHelpText('after', H.ALERT_QUERY_EXAMPLES)
    .action(act(async (ctx, cmd, groups) => (await alertCommands()).alertQuery(ctx, groups as string[], cmd.opts())));
  alert
    .command('add')
    .description('Add a new alert. If the first label is not name=value it is the alertname.')
    .argument('[labels...]', 'List of labels to be included with the alert')
    .option('--generator-url <url>', 'Set the URL of the source that generated the alert')
    .option('--start <time>', 'Set when the alert should start (RFC3339, 2006-01-02T15:04:05-07:00)')
    .option('--end <time>', 'Set when the alert should end (RFC3339, 2006-01-02T15:04:05-07:00)')
    .option('--annotation <name=value>', 'Set an annotation to be included with the alert (repeatable)', collect)
    .addHelpText('after', H.ALERT_ADD_EXAMPLES)
    .action(act(async (ctx, cmd, labels) => (await alertCommands()).alertAdd(ctx, labels as string[], cmd.opts())));

  // silence
  const silence = program
    .command('silence')
    .summary('Add, expire or view silences.')
    .description('Add, expire or view silences. For more information and additional flags see query help.')
    .addHelpText('after', H.SILENCE_EXAMPLES);
  silence
    .command('add')
    .description(H.SILENCE_ADD_HELP)
    .argument('[matcher-groups...]', 'Matchers of the silence')
    .option('-a, --author <author>', 'Username for CreatedBy field', io.user)
    .addOption(new Option('--require-comment', 'Require comment to be set').default(true).hideHelp())
    .addOption(new Option('--no-require-comment', 'Do not require a comment').hideHelp())
    .option('-d, --duration <duration>', 'Duration of silence (Prometheus duration)', '1h')
    .option('--start <time>', 'Set when the silence should start (RFC3339)')
    .option('--end <time>', 'Set when the silence should end, overrides --duration (RFC3339)')
    .option('-c, --comment <comment>', 'A comment to help describe the silence')
    .option('--annotation <name=value>', 'Set an annotation to be included with the silence (repeatable)', collect)
    .addHelpText('after', H.SILENCE_ADD_EXAMPLES)
    .action(act(async (ctx, cmd, groups) => (await silenceCommands()).silenceAdd(ctx, groups as string[], cmd.opts())));
  silence
    .command('expire')
    .description('Expire silences, given as arguments or, if none, on stdin.')
    .argument('[silence-ids...]', 'IDs of silences to expire')
    .addHelpText('after', H.SILENCE_EXPIRE_EXAMPLES)
    .action(act(async (ctx, _cmd, ids) => (await silenceCommands()).silenceExpire(ctx, ids as string[])));
  silence
    .command('import')
    .description(H.SILENCE_IMPORT_HELP)
    .argument('[input-file]', 'JSON file with silences (default: stdin)')
    .option('-f, --force', 'Force adding new silences even if they already exist')
    .option('-w, --worker <n>', 'Number of concurrent workers to use for import', '8')
    .addHelpText('after', H.SILENCE_IMPORT_EXAMPLES)
    .action(
      act(async (ctx, cmd, file) =>
        (await silenceCommands()).silenceImport(ctx, file as string | undefined, cmd.opts(), (p) => readFileSync(p, 'utf8')),
      ),
    );
  silence
    .command('query', { isDefault: true })
    .description(H.SILENCE_QUERY_HELP)
    .argument('[matcher-groups...]', 'Query filter')
    .option('--expired', 'Show expired silences instead of active')
    .option('-q, --quiet', 'Only show silence IDs')
    .option('--created-by <author>', 'Show silences that belong to this creator')
    .option('--id <id>', 'Get a single silence by its ID')
    .option('--within <duration>', 'Show silences that will expire or have expired within a duration')
    .addHelpText('after', H.SILENCE_QUERY_EXAMPLES)
    .action(act(async (ctx, cmd, groups) => (await silenceCommands()).silenceQuery(ctx, groups as string[], cmd.opts())));
  silence
    .command('update')
    .description('Update silences: change start, end or comment (IDs as arguments or on stdin).')
    .argument('[update-ids...]', 'Silence IDs to update')
    .option('-q, --quiet', 'Only show silence IDs')
    .option('-d, --duration <duration>', 'Duration of silence, from its start (Prometheus duration)')
    .option('--start <time>', 'Set when the silence should start (RFC3339)')
    .option('--end <time>', 'Set when the silence should end, overrides --duration (RFC3339)')
    .option('-c, --comment <comment>', 'A comment to help describe the silence')
    .addHelpText('after', H.SILENCE_UPDATE_EXAMPLES)
    .action(act(async (ctx, cmd, ids) => (await silenceCommands()).silenceUpdate(ctx, ids as string[], cmd.opts())));
  // silence schedule (Tocsin only): recurring silences, /api/v2/tocsin/silence-schedules
  const schedule = silence
    .command('schedule')
    .summary('Add, list or delete recurring silences (Tocsin).')
    .description(H.SCHEDULE_HELP)
    .addHelpText('after', H.SCHEDULE_EXAMPLES);
  schedule
    .command('add')
    .description('Add a schedule; prints its ID. Matchers as for `silence add`.')
    .argument('[matcher-groups...]', 'Matchers of the silences')
    .option('-a, --author <author>', 'Username for CreatedBy field', io.user)
    .option('--rrule <rule>', 'RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;BYDAY=SU;BYHOUR=2')
    .option('--cron <expr>', 'Or a cron expression read in the time zone, e.g. "0 2 * * 0"')
    .option('-d, --duration <duration>', 'Duration of each silence (Prometheus duration)', '1h')
    .option('--time-zone <zone>', 'IANA time zone the rule is read in, e.g. Europe/Berlin', 'UTC')
    .option('--start <time>', "The rule's start (RFC3339; default: midnight today in the time zone)")
    .option('-c, --comment <comment>', 'A comment to help describe the silences')
    .addHelpText('after', H.SCHEDULE_EXAMPLES)
    .action(act(async (ctx, cmd, groups) => (await scheduleCommands()).scheduleAdd(ctx, groups as string[], cmd.opts())));
  schedule
    .command('list', { isDefault: true })
    .description('List the schedules with their next occurrence.')
    .option('-q, --quiet', 'Only show schedule IDs')
    .addHelpText('after', H.SCHEDULE_EXAMPLES)
    .action(act(async (ctx, cmd) => (await scheduleCommands()).scheduleList(ctx, cmd.opts())));
  schedule
    .command('delete')
    .description('Delete schedules; their pending silences are expired (the one in progress runs to its end unless --expire-active).')
    .argument('[schedule-ids...]', 'IDs of schedules to delete')
    .option('--expire-active', 'Also expire the silence of an occurrence in progress')
    .addHelpText('after', H.SCHEDULE_EXAMPLES)
    .action(act(async (ctx, cmd, ids) => (await scheduleCommands()).scheduleDelete(ctx, ids as string[], cmd.opts())));

  // check-config
  program
    .command('check-config')
    .summary('Validate Alertmanager config files.')
    .description('Validate Alertmanager config files (and the templates they name); stdin if no file.')
    .argument('[check-files...]', 'Files to be validated')
    .option('--tocsin.config.file <file>', 'Tocsin: also check this tocsin.yml (Tocsin-only settings) against the receivers of the files')
    .addHelpText('after', H.CHECK_CONFIG_EXAMPLES)
    .action(act(async (ctx, cmd, files) => (await statusCommands()).checkConfigCommand(ctx, files as string[], (cmd.opts() as Record<string, string | undefined>)['tocsin.config.file'])));

  // cluster
  const cluster = program
    .command('cluster')
    .description('View cluster status and peers.')
    .addHelpText('after', H.CLUSTER_EXAMPLES);
  cluster
    .command('show', { isDefault: true })
    .description('View cluster status and peers.')
    .addHelpText('after', H.CLUSTER_EXAMPLES)
    .action(act(async (ctx) => (await statusCommands()).clusterShow(ctx)));

  // config
  const config = program
    .command('config')
    .summary('View current config and routes.')
    .description(H.CONFIG_HELP)
    .addHelpText('after', H.CONFIG_EXAMPLES);
  config
    .command('show', { isDefault: true })
    .description(H.CONFIG_HELP)
    .addHelpText('after', H.CONFIG_EXAMPLES)
    .action(act(async (ctx) => (await statusCommands()).configShow(ctx)));
  const routes = config
    .command('routes')
    .description(H.ROUTES_HELP)
    .option('--config.file <file>', 'Config file to be tested')
    .addHelpText('after', H.ROUTES_EXAMPLES);
  routes
    .command('show', { isDefault: true })
    .description(H.ROUTES_HELP)
    .addHelpText('after', H.ROUTES_EXAMPLES)
    .action(act(async (ctx, cmd) => (await statusCommands()).routesShow(ctx, cmd.optsWithGlobals()['config.file'] as string | undefined)));
  routes
    .command('test')
    .description(H.ROUTES_TEST_HELP)
    .argument('[labels...]', 'List of labels to be tested against the configured routes')
    .option(
      '--verify.receivers <receivers>',
      'Fail (exit 1) unless the labels route to exactly these receivers (comma-separated)',
    )
    .option('--tree', 'Print out the matching routes tree')
    .addHelpText('after', H.ROUTES_TEST_EXAMPLES)
    .action(
      act(async (ctx, cmd, labels) =>
        (await statusCommands()).routesTest(ctx, cmd.optsWithGlobals()['config.file'] as string | undefined, labels as string[], cmd.opts()),
      ),
    );

  // template
  const template = program
    .command('template')
    .description('Render template files.')
    .addHelpText('after', H.TEMPLATE_EXAMPLES);
  template
    .command('render')
    .description('Render a given definition in a template file to standard output.')
    .requiredOption('--template.glob <glob>', 'Glob of paths used for rendering (repeatable)', collect)
    .requiredOption('--template.text <text>', 'The template that will be rendered')
    .addOption(new Option('--template.type <type>', 'The type of the template').choices(['text', 'html']).default('text'))
    .option('--template.data <file>', 'JSON file with the template data (default: a built-in sample)')
    .addHelpText('after', H.TEMPLATE_RENDER_EXAMPLES)
    .action(act(async (ctx, cmd) => (await statusCommands()).templateRender(ctx, cmd.opts())));

  // storage (tocsinctl only): the server's SQLite file, read locally
  const storageExamples = '\nExamples:\n  $ tocsinctl storage check --storage.path=/var/lib/tocsin\n  $ tocsinctl -o json storage check --storage.path=data/\n';
  const storage = program
    .command('storage')
    .description('Check the SQLite file of a Tocsin server (no server needed).')
    .addHelpText('after', storageExamples);
  storage
    .command('check', { isDefault: true })
    .summary('Check <storage.path>/tocsin.db: integrity and row counts.')
    .description(
      'Check the SQLite file of a Tocsin server (<storage.path>/tocsin.db) without a server: SQLite integrity_check and the row counts of alerts, silences and nflog. Exits 1 if the file is not a database or is corrupt. Read-only: safe while the server runs.',
    )
    .option('--storage.path <dir>', 'Base path for data storage, as given to the server', 'data/')
    .addHelpText('after', storageExamples)
    .action(act(async (ctx, cmd) => (await storageCommands()).storageCheck(ctx, cmd.opts()['storage.path'] as string)));
  const copyExamples =
    '\nExamples:\n  $ tocsinctl storage copy --storage.path=data/ --to-file=/etc/tocsin/pg-url\n  $ TOCSIN_STORAGE_URL=postgres://db/tocsin tocsinctl storage copy\n';
  storage
    .command('copy')
    .summary('Copy <storage.path> (tocsin.db, history.db) into PostgreSQL (grow into an HA cluster).')
    .description(
      'Copy the SQLite state of a Tocsin server (alerts, silences, notification log, history events, acks and escalations, silence schedules, the silence audit trail) into the PostgreSQL database of a replica cluster (--tocsin.storage.url). Safe to run again: state already in PostgreSQL that is newer is kept and nothing is stored twice; expired silences and notification log entries are not copied. The URL comes from --to, --to-file or $TOCSIN_STORAGE_URL.',
    )
    .option('--storage.path <dir>', 'Base path for data storage, as given to the server', 'data/')
    .option('--to <url>', 'postgres:// URL of the target database')
    .option('--to-file <file>', 'file holding the postgres:// URL (keeps the password off the command line)')
    .addHelpText('after', copyExamples)
    .action(act(async (ctx, cmd) => (await storageCopyCommand()).storageCopy(ctx, cmd.opts())));

  // import (tocsinctl only): an Alertmanager's silences and notification log into Tocsin's store
  const imp = program
    .command('import')
    .description("Import another Alertmanager's state into Tocsin's store (no server needed).")
    // the subcommand's full term ("alertmanager-storage [options] [am-dir]") would leave too narrow a column
    .configureHelp({
      ...program.configureHelp(),
      subcommandTerm: (c) => (c.name() === 'alertmanager-storage' ? `${c.name()} [am-dir]` : new Help().subcommandTerm(c)),
    })
    .addHelpText('after', H.IMPORT_EXAMPLES);
  imp
    .command('alertmanager-storage')
    .summary("Import an Alertmanager's silences and notification log.")
    .description(H.IMPORT_AM_STORAGE_HELP)
    .argument('[am-dir]', "Alertmanager's storage directory (its --storage.path), holding 'silences' and 'nflog'")
    .option('--storage.path <dir>', "Tocsin's storage directory (the server's --storage.path); tocsin.db is created if missing", 'data/')
    .option('--tocsin.storage.url <url>', 'Import into the PostgreSQL database of a replica cluster instead (postgres://...; also $TOCSIN_STORAGE_URL)')
    .option('--tocsin.storage.url-file <file>', 'File holding the PostgreSQL URL (keeps the password off the command line)')
    .option('--from-url <url>', 'Import the silences of a running Alertmanager over its API v2 instead of a directory')
    .option('--data.retention <duration>', 'With --from-url: keep an expired silence this long after its end, as the server does', '120h')
    .addHelpText('after', H.IMPORT_EXAMPLES)
    .action(
      act(async (ctx, cmd, dir) =>
        (await importCommands()).importAlertmanagerStorageCommand(ctx, dir as string | undefined, cmd.opts()),
      ),
    );

  // history (tocsinctl only): GET /api/v2/tocsin/history
  program
    .command('history')
    .description(H.HISTORY_HELP)
    .argument('[matchers...]', 'Only events of alerts whose labels match (a bare word is the alertname)')
    .option('--since <time>', 'Events at or after this time: RFC 3339 or a duration back from now (2h, 7d)')
    .option('--until <time>', 'Events before this time: RFC 3339 or a duration back from now')
    .option('--receiver <name>', 'Only events of this receiver (notifications, groups)')
    .option('--fingerprint <fp>', "Only this alert's events")
    .option('--kind <kind>', 'Only events of this kind (repeatable; e.g. notification, alert_created, silence_created)', collect)
    .option('--limit <n>', 'Print at most this many events, newest first', '100')
    .addHelpText('after', H.HISTORY_EXAMPLES)
    .action(act(async (ctx, cmd, matchers) => (await historyCommands()).historyQuery(ctx, matchers as string[], cmd.opts())));

  // notification (tocsinctl only): the persistent outbox, GET/POST /api/v2/tocsin/notifications
  const notification = program
    .command('notification')
    .summary('List or replay the outbox (Tocsin only).')
    .description(H.NOTIFICATION_HELP)
    .addHelpText('after', H.NOTIFICATION_EXAMPLES);
  notification
    .command('list')
    .description('List pending notifications and dead letters, newest first.')
    .option('--state <state>', 'Only pending (being retried) or dead (dead letters)')
    .option('--receiver <name>', 'Only notifications of this receiver')
    .option('--limit <n>', 'Print at most this many notifications', '100')
    .addHelpText('after', H.NOTIFICATION_LIST_EXAMPLES)
    .action(act(async (ctx, cmd) => (await notificationCommands()).notificationList(ctx, cmd.opts())));
  notification
    .command('replay')
    .description('Send dead letters again, once each, to the same receiver and integration with the same payload.')
    .argument('<ids...>', 'IDs of dead letters (from notification list)')
    .addHelpText('after', H.NOTIFICATION_REPLAY_EXAMPLES)
    .action(act(async (ctx, _cmd, ids) => (await notificationCommands()).notificationReplay(ctx, ids as string[])));
  // ack (tocsinctl only): /api/v2/tocsin/acks
  const ack = program
    .command('ack')
    .summary('Acknowledge alert groups, list and delete acks (Tocsin only).')
    .description(H.ACK_HELP)
    .addHelpText('after', H.ACK_EXAMPLES);
  ack
    .command('add')
    .description(H.ACK_ADD_HELP)
    .argument('<group-key>', 'The group key (the webhook payload\'s groupKey; tocsinctl history and the UI show it)')
    .requiredOption('-r, --receiver <name>', 'The receiver of the group')
    .option('-a, --author <author>', 'Username for the CreatedBy field', io.user)
    .option('-c, --comment <comment>', 'What is being done about it (required)')
    .option('-d, --duration <duration>', 'End the ack after this long (Prometheus duration; default: until the group changes)')
    .option('--end <time>', 'End the ack at this time (RFC3339), overrides --duration')
    .addHelpText('after', H.ACK_ADD_EXAMPLES)
    .action(act(async (ctx, cmd, key) => (await ackCommands()).ackAdd(ctx, key as string, cmd.opts())));
  ack
    .command('list', { isDefault: true })
    .description('List the acks applying now, newest first.')
    .option('--group-key <key>', 'Only acks of this group')
    .option('-r, --receiver <name>', 'Only acks on this receiver')
    .option('--all', 'Also list ended acks (deleted, expired, ended by a change of the group)')
    .option('-q, --quiet', 'Only show ack IDs')
    .addHelpText('after', H.ACK_LIST_EXAMPLES)
    .action(act(async (ctx, cmd) => (await ackCommands()).ackList(ctx, cmd.opts())));
  ack
    .command('delete')
    .description('Delete acks (they stop applying; the audit keeps them).')
    .argument('<ack-ids...>', 'IDs of the acks to delete')
    .addHelpText('after', H.ACK_DELETE_EXAMPLES)
    .action(act(async (ctx, _cmd, ids) => (await ackCommands()).ackDelete(ctx, ids as string[])));

  // completion (tocsinctl only)
  program
    .command('completion')
    .description('Print a shell completion script (bash or zsh).')
    .argument('<shell>', 'bash or zsh')
    .addHelpText('after', H.COMPLETION_EXAMPLES)
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') throw new CliError(`unknown shell '${shell}' (use bash or zsh)`);
      io.out(completionScript(program, shell));
    });

  return program;
}

/** Runs tocsinctl with `argv` (without node and script) and returns the exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const state = { exitCode: 0 };
  const program = buildProgram(io, state);
  // kingpin's completion flags, as amtool has them
  const script = argv.find((a) => a === '--completion-script-bash' || a === '--completion-script-zsh');
  if (script !== undefined) {
    io.out(completionScript(program, script.endsWith('bash') ? 'bash' : 'zsh'));
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode; // commander printed it (or help/version: 0)
    const message = err instanceof Error ? err.message : String(err);
    io.err(`tocsinctl: error: ${message}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}
