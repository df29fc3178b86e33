/**
 * The `amps-wire` command line: `decode`, `stats`, `encode` and `bench`. `bin/amps-wire.js` calls
 * {@link main} with the arguments after the program name and exits with what it returns.
 */
import { UsageError } from './args.js';
import { benchCommand } from './bench-command.js';
import { decodeCommand } from './decode-command.js';
import { encodeCommand } from './encode-command.js';
import { BENCH_HELP, DECODE_HELP, ENCODE_HELP, MAIN_HELP, STATS_HELP } from './help.js';
import { processIo, type CliIo } from './io.js';
import { WIRESHARK_HELP, wiresharkCommand } from './wireshark/command.js';
import { statsCommand } from './stats/stats-command.js';

const COMMANDS: Record<string, { run: (argv: readonly string[], io: CliIo) => Promise<number>; help: string }> = {
  decode: { run: decodeCommand, help: DECODE_HELP },
  stats: { run: statsCommand, help: STATS_HELP },
  encode: { run: encodeCommand, help: ENCODE_HELP },
  bench: { run: benchCommand, help: BENCH_HELP },
  wireshark: { run: wiresharkCommand, help: WIRESHARK_HELP },
};

/**
 * Runs the command line. Resolves to the exit code: 0 done, 1 decode errors found, 2 bad usage
 * or an unreadable file.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.stderr.write(MAIN_HELP);
      return 2;
    }
    if (name === '--help' || name === '-h') {
      io.stdout.write(MAIN_HELP);
      return 0;
    }
    if (name === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout.write(MAIN_HELP);
        return 0;
      }
      const command = COMMANDS[topic];
      if (command === undefined)
        throw new UsageError(
          `no command ${JSON.stringify(topic)}; the commands are ${Object.keys(COMMANDS).join(', ')}`,
        );
      io.stdout.write(command.help);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (command === undefined)
      throw new UsageError(`no command ${JSON.stringify(name)}; the commands are ${Object.keys(COMMANDS).join(', ')}`);
    try {
      return await command.run(rest, io);
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr.write(`amps-wire ${name}: ${err.message}\nRun 'amps-wire ${name} --help' for usage.\n`);
        return 2;
      }
      throw err;
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`amps-wire: ${err.message}\nRun 'amps-wire --help' for usage.\n`);
    return 2;
  } finally {
    await io.stdout.flush();
    await io.stderr.flush();
  }
}
