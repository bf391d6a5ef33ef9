// `npm ci`, unless node_modules already holds exactly what package-lock.json pins (a stamp of
// the lock file's hash, written after a successful install). Keeps repeated Maven builds fast and
// offline; a fresh checkout or a changed lock installs from npm's cache or registry. No package
// scripts run: esbuild finds its binary in its platform package without its postinstall check.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const stamp = join(here, 'node_modules', '.gim-lock-sha256');
const hash = createHash('sha256').update(readFileSync(join(here, 'package-lock.json'))).digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
  console.log('npm packages up to date with package-lock.json');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: here,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  writeFileSync(stamp, hash);
}
