/** Did-you-mean, for a misspelt key, type, prop or value: shared by the model's errors, the export's and the components'. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate `word` is most likely a misspelling of (a letter or two out,
 * or in a different case), or undefined. `most` is the edit distance allowed;
 * by default one edit per four letters, at least one.
 */
export function closest(word: string, candidates: string[], most = Math.max(1, Math.floor(word.length / 4))): string | undefined {
  const scored = candidates.map((c) => ({ c, d: c.toLowerCase() === word.toLowerCase() ? 0 : distance(word, c) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best && best.d <= most ? best.c : undefined;
}
