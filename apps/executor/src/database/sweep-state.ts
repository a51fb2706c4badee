/** Named instants in `executor.sweep_state` (migration 1732692200000). */
export const SWEEP_STATE = {
  /** Claim recovery's horizon: every claim made before it is settled (lifecycle/sweepers.ts). */
  claims: 'claims',
  /** Dispatch marks made before it are expired: set when Redis lost its data (dispatch/redis-loss.ts). */
  dispatchEpoch: 'dispatch-epoch',
} as const;

/**
 * SQL: the start of the oldest transaction of this service still open, other than the caller's
 * (null when none is). Whatever such a transaction writes carries at least that instant
 * (`now()` is a transaction's start), so claim recovery and the dispatch mark never pass it.
 */
export const OLDEST_OPEN_TRANSACTION = `(SELECT min(xact_start) FROM pg_stat_activity
   WHERE datname = current_database() AND pid <> pg_backend_pid()
     AND application_name = current_setting('application_name'))`;
