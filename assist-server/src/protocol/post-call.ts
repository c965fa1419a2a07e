/** Post-call admin API (`/api/admin/post-call/*`): the shapes the admin screen's dead-letter panel reads. Types only. */

/** A post-call job that failed every attempt and waits in the dead-letter queue for an admin. */
export interface DeadLetter {
  /** The failed job's id (also the entry's id): `archive-<callId>` for a call's pipeline. */
  id: string;
  callId: string | null;
  jobName: string;
  /** The last attempt's error. */
  failedReason: string;
  attemptsMade: number;
  failedAtMs: number;
  data: unknown;
}

export interface DeadLetterList {
  deadLetters: DeadLetter[];
}
