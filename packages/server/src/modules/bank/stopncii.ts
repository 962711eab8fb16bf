// SKELETON — to be written (issue 6): the StopNCII-compatible face (/api/stopncii/v1/*).
import type { FastifyInstance } from 'fastify';

import type { Logger } from '../../log/logger.js';
import type { RequirePartner } from './guard.js';
import type { BankDeps } from './service.js';

export function registerStopnciiRoutes(_app: FastifyInstance, _deps: BankDeps & { requirePartner: RequirePartner }, _log: Logger): void {}
