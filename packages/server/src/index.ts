// @halte/server: the platform's server and its `halte` command.
export { buildApp } from './app.js';
export { loadConfig, type Config } from './config/config.js';
export { main as runCli } from './cli/main.js';
