package dev.vpcflowlogs.recorder.standin;

/**
 * Log events made when read, for recordings too big to hold (a benchmark's ten million records): in time order,
 * never copied, paged by FilterLogEvents without being gathered first, scanned by Logs Insights one by one.
 */
public abstract class GeneratedEvents {

    public abstract int size();

    /** The time of event {@code i}, in epoch milliseconds; never less than event {@code i - 1}'s. */
    public abstract long timestamp(int i);

    public abstract String message(int i);
}
