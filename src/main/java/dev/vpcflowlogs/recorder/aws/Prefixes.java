package dev.vpcflowlogs.recorder.aws;

import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The prefixes EC2 delegates to network interfaces: IPv4 ones are /28 ("Assign prefixes to Amazon EC2 network
 * interfaces", EC2 user guide), so an address's candidate is the /28 it falls in, and DescribeInstances finds the
 * interface by that exact prefix.
 */
final class Prefixes {

    private Prefixes() {}

    /** The /28 an IPv4 address would be delegated in ({@code 10.0.2.37} is in {@code 10.0.2.32/28}); null otherwise. */
    static @Nullable String ipv4Delegated(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            octets[i] = Integer.parseInt(parts[i]);
            if (octets[i] > 255) {
                return null;
            }
        }
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + (octets[3] & 0xF0) + "/28";
    }

    /** The addresses among these that are in the prefix (IPv4 or IPv6 CIDR). */
    static List<String> within(String prefix, Collection<String> addresses) {
        IpAddressMatcher matcher = new IpAddressMatcher(prefix);
        boolean ipv6 = prefix.indexOf(':') >= 0;
        return addresses.stream()
                .filter(a -> (a.indexOf(':') >= 0) == ipv6 && (ipv6 || ipv4Delegated(a) != null))
                .filter(matcher::matches)
                .toList();
    }
}
