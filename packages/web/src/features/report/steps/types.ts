import type { Field } from '../wizard';

/** The message of the problem on `field`, if any, already in the person's language. */
export type ProblemOf = (field: Field) => string | undefined;
