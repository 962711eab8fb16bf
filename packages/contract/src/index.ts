// @halte/contract: the runtime schemas (zod) of every HTTP request and response, the error codes and
// the domain vocabularies. The server validates with them; the web app infers its types from them.
export * from './domain.js';
export * from './errors.js';
export * from './reports.js';
export * from './orientation.js';
export * from './followup.js';
export * from './staff.js';
export * from './cases.js';
export * from './bank.js';
export * from './notices.js';
export * from './chat.js';
