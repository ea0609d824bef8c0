/** A step's activity function name: `<workflow>_<step id>`. In its own module so that registering loads nothing else. */
export const activityName = (workflow: string, step: string) => `${workflow}_${step}`;
