/**
 * Command-line options for the scripts in scripts/ and bench/: Node's
 * parseArgs, plus `--help` (prints the usage, exit 0), and a mistyped option
 * or a missing value answered with what went wrong and the usage (exit 1)
 * instead of a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type WithHelp<T extends ParseArgsConfig> = T & { options: T['options'] & { help: { type: 'boolean'; short: 'h' } } };

/** `usage` is what follows "Usage: ", e.g. "npm run export -- [--period YYYY-MM] …" and a line or two on what it does. */
export function parseCommandLine<const T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<WithHelp<T>>> {
  const withHelp = { ...config, options: { ...config.options, help: { type: 'boolean', short: 'h' } } } as WithHelp<T>;
  let parsed: ReturnType<typeof parseArgs<WithHelp<T>>>;
  try {
    parsed = parseArgs(withHelp);
  } catch (error) {
    // Node's advice for a value that starts with "-", in the script's own words.
    const [problem, advice] = (error as Error).message.split('. To specify a positional');
    const command = usage.split(/ (?:--|\[)/)[0];
    const option = /'(-[^']*)'/.exec(problem!)?.[1] ?? '-';
    const hint = advice === undefined ? '' : `. A value that starts with "-" goes last, after a "--" of its own: ${command} -- [options] -- "${option}…"`;
    console.error(`${problem}${hint}\n\nUsage: ${usage}`);
    process.exit(1);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(`Usage: ${usage}`);
    process.exit(0);
  }
  return parsed;
}
