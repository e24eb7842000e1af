/**
 * SIGKILL to a process group (a converter and whatever it started); nothing when it is gone already.
 * A module of its own so the pool can kill converters without loading the converter (and its unzip).
 */
export function killGroup(pgid: number | undefined): void {
  try {
    if (pgid) process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}
