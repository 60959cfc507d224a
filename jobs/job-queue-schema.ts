/** The PostgreSQL schema holding the queue engine's (pg-boss's) tables, beside the hub's own. */
export const JOB_QUEUE_SCHEMA = "pgboss";
