// The one shape of every error answer: {"error":{"code","message","issues"?}}, codes from the contract.
import type { ApiError, ErrorCode } from '@halte/contract';
import type { FastifyReply } from 'fastify';
import type { z, ZodError } from 'zod';

/**
 * A refusal a service throws, with its HTTP status and stable code (StaffError, BankError): the route
 * answers it through orRefusal; anything else is a bug and becomes a 500.
 */
export class ApiRefusal extends Error {
  override readonly name: string = 'ApiRefusal';
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, status: number, message: string) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** Runs a service call; its refusals (ApiRefusal) become their statuses and stable codes. */
export async function orRefusal(reply: FastifyReply, work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiRefusal) return reply.code(error.status).send(apiError(error.code, error.message));
    throw error;
  }
}

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
