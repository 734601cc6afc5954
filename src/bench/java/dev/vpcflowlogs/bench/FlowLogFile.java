package dev.vpcflowlogs.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthetic flow log records of a NAT gateway's interface in the recorder's default (original) format, written to a
 * file for part 4: the records of {@link GeneratedFlowLogs}, which the stand-in serves in part 6.
 */
final class FlowLogFile {

    static final String FORMAT = "action flow-direction traffic-path srcaddr srcport dstaddr dstport protocol bytes"
            + " type pkt-srcaddr pkt-src-aws-service pkt-dstaddr pkt-dst-aws-service";
    static final String NAT = "10.0.0.10";

    private FlowLogFile() {}

    /** Writes {@code records} records (rounded down to whole flows of four) unless the file exists already. */
    static Path write(Path file, long records, long seed) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        GeneratedFlowLogs generated = new GeneratedFlowLogs((int) records, 0, 0, seed);
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < generated.size(); i++) {
                out.write(generated.message(i));
                out.write('\n');
            }
        }
        Files.move(partial, file);
        return file;
    }
}
