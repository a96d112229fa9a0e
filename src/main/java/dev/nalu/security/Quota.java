package dev.nalu.security;

/**
 * What one caller may use. 0 means no limit of its own (the service's budgets still apply).
 *
 * @param activeJobs        jobs queued or running at once
 * @param memberStepsPerJob steps × population of one job
 * @param requestsPerSecond sustained API requests per second (a token bucket holding two seconds' worth)
 */
public record Quota(int activeJobs, long memberStepsPerJob, int requestsPerSecond) {

    /** Each field of {@code override} that is not null replaces this one's. */
    public Quota with(Integer activeJobs, Long memberStepsPerJob, Integer requestsPerSecond) {
        return new Quota(activeJobs != null ? activeJobs : this.activeJobs,
                memberStepsPerJob != null ? memberStepsPerJob : this.memberStepsPerJob,
                requestsPerSecond != null ? requestsPerSecond : this.requestsPerSecond);
    }
}
