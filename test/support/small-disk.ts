import { execFileSync } from 'node:child_process';

/**
 * Mount a 1 MB tmpfs on `folder` (an existing, empty folder): a disk that fills up at once.
 * False where this process may not mount (not root, no CAP_SYS_ADMIN); CI runs as root.
 */
export function mountSmallDisk(folder: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', folder], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function unmountSmallDisk(folder: string): void {
  execFileSync('umount', [folder]);
}
