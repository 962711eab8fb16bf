// SKELETON — to be written (issue 6): POST /api/v1/match.
import type { FastifyInstance } from 'fastify';

import type { Logger } from '../../log/logger.js';
import type { RequirePartner } from './guard.js';
import type { BankMatcher } from './matcher.js';

export function registerMatchRoutes(_app: FastifyInstance, _deps: { matcher: BankMatcher; requirePartner: RequirePartner }, _log: Logger): void {}
