package dev.vpcflowlogs.recorder.report.engine;

/**
 * Recently seen field texts, so that a record's addresses and ports do not cost a new string each: a direct-mapped
 * table of 8,192 strings indexed by the text's hash, where a newer text displaces an older one. A hit returns the
 * same instance, whose hash code is cached, so the heavy-hitter maps find it without hashing its characters again.
 */
final class Tokens {

    private static final int SIZE = 8192;
    private final String[] table = new String[SIZE];

    String of(String text, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + text.charAt(i);
        }
        int slot = (hash ^ (hash >>> 13)) & (SIZE - 1);
        String seen = table[slot];
        int length = to - from;
        if (seen != null && seen.length() == length && seen.regionMatches(0, text, from, length)) {
            return seen;
        }
        String fresh = text.substring(from, to);
        table[slot] = fresh;
        return fresh;
    }
}
