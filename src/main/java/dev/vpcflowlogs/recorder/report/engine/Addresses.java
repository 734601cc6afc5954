package dev.vpcflowlogs.recorder.report.engine;

/** Whether an address belongs inside a VPC (RFC 1918, shared, link-local, unique-local), without parsing objects. */
final class Addresses {

    private Addresses() {}

    static boolean isPrivate(String address) {
        if (address.indexOf(':') >= 0) {
            String lower = address.toLowerCase(java.util.Locale.ROOT);
            return lower.startsWith("fc") || lower.startsWith("fd") || lower.startsWith("fe80");
        }
        int dot = address.indexOf('.');
        if (dot < 1) {
            return false;
        }
        int second = address.indexOf('.', dot + 1);
        int a = octet(address, 0, dot);
        int b = second > dot ? octet(address, dot + 1, second) : -1;
        return a == 10
                || (a == 172 && b >= 16 && b <= 31)
                || (a == 192 && b == 168)
                || (a == 100 && b >= 64 && b <= 127)
                || (a == 169 && b == 254);
    }

    private static int octet(String s, int from, int to) {
        if (to - from < 1 || to - from > 3) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
