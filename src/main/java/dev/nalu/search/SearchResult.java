package dev.nalu.search;

import java.util.List;

import dev.nalu.compute.Network;
import dev.nalu.evaluation.Snapper;

/**
 * The outcome of a search.
 *
 * @param front          one entry per candidate architecture, in the plan's order
 * @param served         index of the served entry ({@link Front#choose})
 * @param architecture   its name
 * @param network        the served candidate's selected member, in float64
 * @param snap           that member's snap (its formula is the served entry's)
 * @param steps          search steps done: the longest any candidate trained
 * @param memberSteps    member-steps done over all candidates (at most population × steps)
 * @param cancelled      whether the search stopped on request
 * @param stoppedEarlyAt the step at which the early-stop rule held, or -1
 * @param rounds         successive-halving rounds started
 * @param history        every progress report
 */
public record SearchResult(List<FrontEntry> front, int served, String architecture, Network network, Snapper.Snap snap,
                           long steps, long memberSteps, boolean cancelled, long stoppedEarlyAt, int rounds,
                           List<SearchProgress> history) {
    public SearchResult {
        front = List.copyOf(front);
        history = List.copyOf(history);
    }

    public boolean stoppedEarly() {
        return stoppedEarlyAt >= 0;
    }

    public FrontEntry servedEntry() {
        return front.get(served);
    }
}
