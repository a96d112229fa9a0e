package dev.nalu.search;

import java.util.List;

import dev.nalu.compute.Progress;

/**
 * A progress report of a search.
 *
 * @param progress         the leading candidate's report, in the meaning of the trainer's (its member
 *                         index counted over the whole population, the throughput and re-initialisations
 *                         of every racing candidate together, members succeeded summed over them)
 * @param bestArchitecture the leading candidate: reproduces the validation targets with the simplest
 *                         formula, or else has the lowest validation error
 * @param racing           the names of the candidates still training
 * @param round            the successive-halving round (0 first)
 * @param stopsEarly       the search ends at this report because early stop held (so a job need not checkpoint
 *                         here: a run resumed from an earlier checkpoint reaches the same decision at this step)
 */
public record SearchProgress(Progress progress, String bestArchitecture, List<String> racing, int round,
                             boolean stopsEarly) {
    public SearchProgress {
        racing = List.copyOf(racing);
    }

    public SearchProgress(Progress progress, String bestArchitecture, List<String> racing, int round) {
        this(progress, bestArchitecture, racing, round, false);
    }
}
