import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup } from '../ingest/convert/kill-group.js';

interface Lease {
  owner: object;
  lease: number;
  grant: (profile: string) => void;
  profile?: string;
  pgid?: number;
}

/**
 * The pool's converter turns (LibreOffice). At most `max` conversions run at once across all workers
 * (each soffice takes a few hundred MB, and a profile cannot be shared), in the order asked. Profiles are
 * kept between turns (a new one costs about a second) unless a conversion may have left one locked.
 * When the pool ends a worker, whatever converter it was running is killed here: the worker thread
 * cannot do it itself once terminated.
 */
export class ConverterGate {
  private readonly held: Lease[] = [];
  private queue: Lease[] = [];
  private readonly spare: string[] = [];
  private readonly removing = new Set<Promise<void>>();

  constructor(private readonly max = 1) {}

  request(owner: object, lease: number, grant: (profile: string) => void): void {
    this.queue.push({ owner, lease, grant });
    this.fill();
  }

  started(owner: object, lease: number, pgid: number): void {
    const l = this.held.find((h) => h.owner === owner && h.lease === lease);
    if (l) l.pgid = pgid;
    // A turn the pool has already taken back (its worker ended): the group must not outlive it.
    else killGroup(pgid);
  }

  release(owner: object, lease: number, dirty: boolean): void {
    this.queue = this.queue.filter((q) => !(q.owner === owner && q.lease === lease));
    const i = this.held.findIndex((h) => h.owner === owner && h.lease === lease);
    if (i >= 0) this.giveBack(this.held.splice(i, 1)[0], dirty);
    this.fill();
  }

  /** The owner (a worker) is gone: its converters are killed, their profiles discarded, its requests forgotten. */
  drop(owner: object): void {
    this.queue = this.queue.filter((q) => q.owner !== owner);
    for (let i = this.held.length - 1; i >= 0; i--) {
      if (this.held[i].owner !== owner) continue;
      const [l] = this.held.splice(i, 1);
      killGroup(l.pgid);
      this.giveBack(l, true);
    }
    this.fill();
  }

  /** Conversions running now (their process groups, for the tests and the fuzz bench's memory count). */
  running(): number[] {
    return this.held.flatMap((h) => (h.pgid ? [h.pgid] : []));
  }

  async close(): Promise<void> {
    this.queue = [];
    for (const l of this.held.splice(0)) {
      killGroup(l.pgid);
      this.giveBack(l, true);
    }
    for (const p of this.spare.splice(0)) this.remove(p);
    await Promise.all([...this.removing]);
  }

  private fill(): void {
    while (this.held.length < this.max && this.queue.length) {
      const l = this.queue.shift()!;
      let profile: string;
      try {
        profile = this.spare.pop() ?? mkdtempSync(join(tmpdir(), 'nianbao-soffice-profile-'));
      } catch {
        // No temporary folder: the worker's conversion then fails on its own missing profile, as a conversion error.
        profile = join(tmpdir(), 'nianbao-soffice-profile-unavailable');
      }
      l.profile = profile;
      this.held.push(l);
      l.grant(profile);
    }
  }

  private giveBack(l: Lease, dirty: boolean): void {
    if (!l.profile) return;
    if (dirty) this.remove(l.profile);
    else this.spare.push(l.profile);
  }

  private remove(dir: string): void {
    const p = rm(dir, { recursive: true, force: true }).catch(() => undefined);
    this.removing.add(p);
    void p.finally(() => this.removing.delete(p));
  }
}
