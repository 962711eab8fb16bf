// Error codes the API answers with. Stable: clients branch on them and show their own words.
import { z } from 'zod';

export const ERROR_CODES = [
  /** the body or query does not match the schema; `issues` says where */
  'VALIDATION_FAILED',
  /** a request the server cannot read (malformed JSON, wrong content type) */
  'BAD_REQUEST',
  /** the same Idempotency-Key was used with another body */
  'IDEMPOTENCY_KEY_REUSED',
  'NOT_FOUND',
  /** reference and PIN do not match (the same answer whether the reference exists or not) */
  'FOLLOWUP_LOGIN_FAILED',
  /** too many wrong PINs for this case or from this client: wait (Retry-After) */
  'FOLLOWUP_LOCKED',
  /** no follow-up session, or it has expired: log in again with reference and PIN */
  'SESSION_REQUIRED',
  /** the case was withdrawn: nothing more can be added */
  'CASE_WITHDRAWN',
  /** a request from another site (CSRF defence) */
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  /** the database or another dependency is not ready; retry later */
  'UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    /** for VALIDATION_FAILED: each problem, by path (e.g. "items.3.pdq") and zod issue code */
    issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;
