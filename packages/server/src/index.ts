// @halte/server: the platform's server and its `halte` command. Issue 3 adds buildApp(config).
export { main as runCli } from './cli/main.js';
