// tctl, Temporal's former CLI, as scripts/provision.sh leaves it in .tools/bin: optional, so its tests skip saying why
// when it could not be had, except under CI=true when its source archive is there (then its build failed: a fault).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.join(__dirname, '../..');
export const TCTL = path.join(root, '.tools/bin/tctl');

/** Why tctl is not there, or undefined. */
export const tctlMissing: string | undefined = existsSync(TCTL) ? undefined : (() => {
  const noted = path.join(root, '.tools/bin/tctl.missing');
  return `tctl is not provisioned: ${existsSync(noted) ? readFileSync(noted, 'utf8').trim() : 'run npm run provision'}`;
})();

const vendor = process.env.ARAUTO_VENDOR_DIR ?? path.join(root, '../shared/vendor');
const archived = existsSync(vendor) && readdirSync(vendor).some((f) => /^tctl-.*-src\.tar\.gz$/.test(f));

/** The `skip` of a test that runs tctl: its reason, unless CI had the archive to build it from (then it fails). */
export const tctlSkip: string | false = tctlMissing !== undefined && !(process.env.CI && archived) ? tctlMissing : false;

/** First thing in such a test: fails it, saying why, when tctl should be there and is not. */
export function needsTctl(): void {
  if (tctlMissing) throw new Error(`${tctlMissing} (its source archive is in ${vendor}, so it should have been built)`);
}

/** `tctl --address <address> <args>`; its stdout (its deprecation notice goes to stderr). */
export async function tctl(address: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(TCTL, ['--address', address, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
