// Writes FILE.gz beside every text asset of dist/, which the server sends to
// browsers that accept gzip: compressed once at build time, not per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const compressible = /\.(js|css|svg|json|html|txt|ico)$/;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (compressible.test(name)) {
      const raw = readFileSync(p);
      const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
      if (gz.length < raw.length) writeFileSync(`${p}.gz`, gz);
    }
  }
}
walk(new URL('../dist', import.meta.url).pathname);
