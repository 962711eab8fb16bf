// GET /api/orientation: validate the query, apply the rules, answer. No database, no state.
import { OrientationQuery } from '@halte/contract';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

import { validationError } from '../../http/errors.js';
import { orient } from './rules.js';


// The message names the parameter and the rule, never the value sent: a value may be long, or say
// something about the person.
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid query';
  const parameter = issue.path[0];
  return typeof parameter === 'string' ? `${parameter}: ${issue.message}` : issue.message;
}

export function registerOrientationRoutes(app: FastifyInstance): void {
  app.get('/api/orientation', async (request, reply) => {
    const parsed = OrientationQuery.safeParse(request.query);
    if (!parsed.success) {
      const body = validationError(parsed.error);
      return reply.code(400).send({ error: { ...body.error, message: describe(parsed.error) } });
    }
    // The query says what is happening to someone (e.g. suicidal_crisis): no shared cache may keep it.
    return reply.header('cache-control', 'no-store').send(orient(parsed.data));
  });
}
