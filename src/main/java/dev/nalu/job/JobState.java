package dev.nalu.job;

/** Where a job is in its life. QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; QUEUED → CANCELLED. */
@io.swagger.v3.oas.annotations.media.Schema(name = "JobState", enumAsRef = true)
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
