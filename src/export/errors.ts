/**
 * How the export says what went wrong: an ExportError's message names the
 * file (and line) and what to do, and is printed as it is (no stack).
 */

export class ExportError extends Error {
  override name = 'ExportError';
}

/** The first `count` lines of an error's message that say something (DuckDB lists every overload after "Candidate functions:"). */
export function firstLines(error: unknown, count = 6): string {
  const message = error instanceof Error ? error.message : String(error);
  const useful = message.split(/\n\s*Candidate functions:/)[0]!;
  return useful.split('\n').filter((line) => line.trim() !== '').slice(0, count).join('\n');
}

/** Each line indented by two spaces, for a detail under a message. */
export const indent = (text: string) => text.split('\n').map((line) => `  ${line}`).join('\n');
