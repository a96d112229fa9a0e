-- The datasets a queued or running job trains on (its training dataset and its held-out extrapolation dataset).
-- A row lives while the job may still read the dataset: it is written with the job, in the same transaction, and
-- removed when the job ends. The foreign key without a cascade is what refuses a dataset's deletion while a job
-- uses it, including a deletion that races the job's submission.
CREATE TABLE job_datasets (
    job_id      BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    dataset_id  BIGINT NOT NULL REFERENCES datasets (id),
    PRIMARY KEY (job_id, dataset_id)
);

CREATE INDEX job_datasets_dataset ON job_datasets (dataset_id);
