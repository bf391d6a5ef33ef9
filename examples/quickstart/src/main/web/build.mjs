// Builds the browser chat into OUT_DIR (default ../../../target/classes/web, i.e. the jar's
// classpath under /web): gim-client.js bundled with protobufjs/light and the JSON descriptor of
// connect.proto (read now, from PROTO, so no generated code is committed), plus the page's
// static files copied as they are.
//
//   node build.mjs [PROTO] [OUT_DIR]
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import protobuf from 'protobufjs';

const here = dirname(fileURLToPath(import.meta.url));
const proto = resolve(process.argv[2] ?? join(here, '../../../../../gim-protocol/src/main/protobuf/gim/connect.proto'));
const out = resolve(process.argv[3] ?? join(here, '../../../target/classes/web'));

const descriptor = protobuf.loadSync(proto).toJSON();

// `import descriptor from 'gim:connect-descriptor'` in the client resolves to that JSON.
const connectDescriptor = {
  name: 'connect-descriptor',
  setup(build) {
    build.onResolve({ filter: /^gim:connect-descriptor$/ }, (args) => ({ path: args.path, namespace: 'gim' }));
    build.onLoad({ filter: /.*/, namespace: 'gim' }, () => ({
      contents: JSON.stringify(descriptor),
      loader: 'json',
    }));
  },
};

mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'src/gim-client.js')],
  outfile: join(out, 'gim-client.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: 'linked', // gim-client.js.map: the readable sources in the browser's dev tools
  legalComments: 'inline', // protobufjs's and long's licence headers travel with their code
  plugins: [connectDescriptor],
  logLevel: 'warning',
});
for (const file of readdirSync(join(here, 'public'))) {
  copyFileSync(join(here, 'public', file), join(out, file));
}
console.log(`browser chat built into ${out} (protocol from ${proto})`);
