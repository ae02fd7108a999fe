// The CLI's version: the `version` of the package it ships in, found by walking up from this file
// (dist/ in a build or an installed package, server/src/cli/ in the sources).

import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'caffe-prototxt';

export function cliVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No (readable) manifest here: look further up.
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
