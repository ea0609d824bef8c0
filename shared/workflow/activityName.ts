/** A step's activity function name: `<workflow>_<step id>`. In its own module so that registering loads nothing else. */
export const activityName = (workflow: string, step: string) => `${workflow}_${step}`;

/**
 * The one activity that runs several of a workflow's steps side by side (`run.together`):
 * `<workflow>__together`. Step ids are identifiers, so no step's activity can have this name.
 */
export const togetherActivityName = (workflow: string) => `${workflow}__together`;
