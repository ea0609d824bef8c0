/**
 * What a Durable instance id of this product may look like, and what a step id in a route may look
 * like. The durable-functions client puts instance ids into management URLs without encoding them
 * (3.5.0), so an id outside these patterns must never reach it: a `?` or `/` in an id turns
 * "status of one run" into "list every run".
 */
import { z } from 'zod';

export const INSTANCE_ID_MAX_LENGTH = 128;
/** Lower-case letters, digits, `-`, `.`, `_`; starts with a letter or digit (so never `.` or `..`). */
export const INSTANCE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const INSTANCE_ID_RULE = `lower-case letters, digits, "-", "." or "_", starting with a letter or digit, at most ${INSTANCE_ID_MAX_LENGTH} characters (e.g. onboard-my100001-<subaccount ID>)`;

export function isInstanceId(id: string): boolean {
  return INSTANCE_ID_PATTERN.test(id);
}

export const InstanceId = z.string().regex(INSTANCE_ID_PATTERN, `must be a run id: ${INSTANCE_ID_RULE}`);

/** Step ids are camelCase words such as `communicationSystem`. */
export const STEP_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const StepIdParam = z.string().regex(STEP_ID_PATTERN, 'must be a step id such as communicationSystem: letters, digits, "-" or "_", at most 64 characters');
