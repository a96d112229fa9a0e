-- How many attempts a job's training has used: each start or resumption counts one, a graceful
-- hand-over by a stopping replica (SIGTERM) gives its attempt back, and an attempt whose replica died
-- keeps it. A job whose attempt fails, or that would start once more than nalu.jobs.max-attempts
-- allows, ends FAILED. Kept here, not in memory, so the count survives restarts and replica takeover.
ALTER TABLE jobs ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;
