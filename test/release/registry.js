'use strict';
// A throwaway npm registry for test/release/run.js: verdaccio on 127.0.0.1, on a port the OS picks, with
// its storage in the given temporary directory. The @selu-kernels packages and selu-kernels itself live
// only here (published by the test); every other package is fetched from the upstream registry, the one
// `npm config get registry` names (passed in, never written into the repository).
//
//   node test/release/registry.js <temp dir> <upstream registry URL>
// Reports { port } to its parent over IPC once listening; stops when the parent disconnects.
const fs = require('node:fs');
const path = require('node:path');
const { runServer } = require('verdaccio');

async function main([dir, upstream]) {
  const local = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
  const config = {
    self_path: path.join(dir, 'config.yaml'),
    storage: path.join(dir, 'storage'),
    // A throwaway user (created by the test through the registry's API) publishes.
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 1 } },
    uplinks: { upstream: { url: upstream, timeout: '60s', max_fails: 5 } },
    packages: {
      '@selu-kernels/*': local,
      'selu-kernels': local,
      '**': { access: '$all', proxy: 'upstream' },
    },
    log: { type: 'stdout', format: 'pretty', level: 'error' },
  };
  fs.writeFileSync(config.self_path, `${JSON.stringify(config, null, 2)}\n`);  // for a person reading the temp dir
  const app = await runServer(config);
  app.listen(0, '127.0.0.1', () => process.send({ port: app.address().port }));
  process.on('disconnect', () => process.exit(0));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
