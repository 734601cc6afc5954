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

    /** Each message's length, made once when first asked (CloudWatch's IncomingBytes is asked for every report). */
    private volatile int @org.jspecify.annotations.Nullable [] lengths;

    /** The length of message {@code i}, remembered for streams of at most a million events. */
    final int length(int i) {
        if (size() > 1_000_000) {
            return message(i).length();
        }
        int[] known = lengths;
        if (known == null) {
            known = new int[size()];
            for (int n = 0; n < known.length; n++) {
                known[n] = message(n).length();
            }
            lengths = known;
        }
        return known[i];
    }
}
