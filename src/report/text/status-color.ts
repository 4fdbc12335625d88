import type pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorStatus(colors: Colors, status: string): string {
  switch (status) {
    case 'success':
      return colors.green(status);
    case 'failed':
    case 'crashed':
      return colors.red(status);
    case 'running':
      return colors.cyan(status);
    case 'cancelled':
      return colors.yellow(status);
    case 'skipped':
      return colors.dim(status);
    default:
      return status;
  }
}
