/**
 * The data-plane table of a step: `df_` + the step id with `-` and `.` replaced by `_`, so a
 * processor's SQL can name it without quotes (`df_load_users` for step `load-users`).
 */
export function tableForStep(stepId: string): string {
  return `df_${stepId.replace(/[-.]/g, '_')}`;
}
