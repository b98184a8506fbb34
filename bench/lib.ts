/** Helpers shared by the benchmarks: timing, sizes, Chromium, a served folder. */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';

export const ROOT = join(import.meta.dirname, '..');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const ms = (n: number) => `${Math.round(n)} ms`;
export const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
export const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** Runs a command to completion; returns seconds taken. Throws on failure. */
export function timed(command: string, args: string[], env: Record<string, string> = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
  return (performance.now() - start) / 1000;
}

/** Bytes under a folder, optionally only files whose name matches. */
export function folderBytes(dir: string, match: (name: string) => boolean = () => true): number {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? folderBytes(path, match) : match(name) ? stat.size : 0);
  }, 0);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves `dir` under `base` with tests/e2e/serve.ts (CSP header, precompressed files); returns a stopper. */
export async function serve(dir: string, base: string, port: number): Promise<() => void> {
  const child = spawn(process.execPath, ['tests/e2e/serve.ts', dir, '--base', base, '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return () => child.kill();
}
