-- Idempotency keys are forgotten after nalu.jobs.idempotency-key-retention; the reconciler deletes
-- them by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
