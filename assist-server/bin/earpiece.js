#!/usr/bin/env node
// The `earpiece` command (npx earpiece …). Runs the TypeScript sources through tsx.
//
// CommonJS (bin/package.json), so that this line runs before libuv starts its threadpool: Node sizes
// the pool when it first uses it, and an ES module entry is already read through it. Decoders hold
// at most EARPIECE_RECOGNIZER_THREADS threads of it (recognition/scheduling/); 4 more are left for
// file I/O and hashing. (The one read of the environment outside config.ts.)
process.env.UV_THREADPOOL_SIZE ||= String((Number(process.env.EARPIECE_RECOGNIZER_THREADS) || require('node:os').availableParallelism()) + 4);

(async () => {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
})();
