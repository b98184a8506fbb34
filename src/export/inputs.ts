/**
 * What a snapshot is made from, as hashes: the model files, and the source
 * files it could see. Two runs over the same inputs make the same snapshot,
 * so a snapshot whose inputs are unchanged is left as it is.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Manifest } from '../lib/manifest.ts';
import { MODEL_FILES } from '../lib/model-schema.ts';
import type { SourceFile } from './sources/files.ts';

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Each model file, relative to the project, with its SHA-256. */
export function modelFileHashes(root: string, modelDir = join(root, 'data/model')): Manifest['model'] {
  return Object.values(MODEL_FILES).map(({ file }) => {
    const path = join(modelDir, file);
    return { file: relative(root, path), sha256: sha256(readFileSync(path)) };
  });
}

/** The files a snapshot of `period` sees: those delivered by then (and those of sources without deliveries). */
export const availableIn = (files: Map<string, SourceFile[]>, period: string) => [...files.values()].flat().filter((f) => f.delivered === null || f.delivered <= period);

/** The inputs of a snapshot of `period` (its manifest's `inputs`). */
export const inputsOf = (model: Manifest['model'], files: Map<string, SourceFile[]>, period: string) =>
  sha256(JSON.stringify([model, availableIn(files, period).map((f) => [f.file, f.sha256])]));

/** The inputs of a whole run without --period: every file, and how many months it makes. */
export const everythingOf = (model: Manifest['model'], files: Map<string, SourceFile[]>, history: number) =>
  sha256(JSON.stringify([model, [...files.values()].flat().map((f) => [f.file, f.sha256, f.delivered]), history]));
