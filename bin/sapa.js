#!/usr/bin/env node
// The `sapa` command. The TypeScript sources are compiled to dist/ by `npm install`
// (the prepare script) and by `npm start`; run `npm run build` after editing src/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `natural` loads dotenv on import and prints "injected env" lines otherwise.
process.env.DOTENV_CONFIG_QUIET ??= 'true';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('sapa: the program is not built yet; run "npm install" (or "npm run build") first\n');
  process.exit(1);
}
// `sapa ... | head`: a reader that stops early is no error (without this, EPIPE crashes the command).
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import(entry.href);
await main();
