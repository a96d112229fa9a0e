package dev.nalu.security;

/**
 * What one caller may use. 0 means no limit of its own (the service's budgets still apply).
 *
 * @param activeJobs        jobs queued or running at once
 * @param memberStepsPerJob steps × population of one job
 * @param requestsPerSecond sustained API requests per second (a token bucket holding two seconds' worth)
 */
public record Quota(int activeJobs, long memberStepsPerJob, int requestsPerSecond) {

    /** This quota with each given field that is not null in place of its own (a key's own quota over its role's). */
    public Quota with(Integer activeJobs, Long memberStepsPerJob, Integer requestsPerSecond) {
        return new Quota(activeJobs != null ? activeJobs : this.activeJobs,
                memberStepsPerJob != null ? memberStepsPerJob : this.memberStepsPerJob,
                requestsPerSecond != null ? requestsPerSecond : this.requestsPerSecond);
    }
}
