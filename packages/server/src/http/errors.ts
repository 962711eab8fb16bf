// The one shape of every error answer: {"error":{"code","message","issues"?}}, codes from the contract.
import type { ApiError, ErrorCode } from '@halte/contract';
import type { FastifyReply } from 'fastify';
import type { z, ZodError } from 'zod';

export function apiError(code: ErrorCode, message: string): ApiError {
  return { error: { code, message } };
}

/** A validation failure, by path; the values themselves are never echoed (they may be personal). */
export function validationError(error: ZodError): ApiError {
  return {
    error: {
      code: 'VALIDATION_FAILED',
      message: 'the request does not match the expected shape',
      issues: error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    },
  };
}

/** `input` parsed with `schema`; on failure the 400 VALIDATION_FAILED answer is sent and undefined returned. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, reply: FastifyReply): z.output<S> | undefined {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  void reply.code(400).send(validationError(parsed.error));
  return undefined;
}
