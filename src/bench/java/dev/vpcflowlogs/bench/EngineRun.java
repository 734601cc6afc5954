package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.recorder.report.engine.FlowLogAnalyzer;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One contender in a JVM of its own, so that its peak resident memory is its own: {@code engine} (the recorder's
 * report engine, one thread) or {@code duckdb} (DuckDB in process, its default threads) computes the totals and the
 * top conversations of a flow log file, once to warm up and then {@code runs} times. It prints one line per timed run
 * ({@code TIME <nanos>}), the answer ({@code ANSWER ...}) and its peak resident set ({@code PEAK_RSS <bytes>}).
 */
public final class EngineRun {

    static final int TOP = 10;

    /** What both contenders must agree on. */
    record Answer(
            long records,
            long nodata,
            long bytes,
            long ingress,
            long egress,
            long natProcessed,
            Map<String, Long> services,
            List<String> top) {

        String line() {
            return "ANSWER records=" + records + " nodata=" + nodata + " bytes=" + bytes + " ingress=" + ingress
                    + " egress=" + egress + " nat=" + natProcessed + " services=" + services + " top=" + top;
        }
    }

    private EngineRun() {}

    public static void main(String[] args) throws Exception {
        String contender = args[0];
        Path file = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        Answer answer = null;
        for (int run = 0; run <= runs; run++) {
            long start = System.nanoTime();
            answer = contender.equals("engine") ? engine(file) : duckdb(file);
            long elapsed = System.nanoTime() - start;
            if (run > 0) {
                System.out.println("TIME " + elapsed);
            }
        }
        System.out.println(answer.line());
        System.out.println("PEAK_RSS " + RecorderProcess.procStatus("self", "VmHWM"));
    }

    static Answer engine(Path file) throws IOException {
        FlowLogAnalyzer analyzer = new FlowLogAnalyzer(
                Arrays.asList(FlowLogFile.FORMAT.split(" ")), TOP, FlowLogAnalyzer.DEFAULT_CAPACITY);
        // Two threads, as DuckDB has two cores: this one sums (the engine is single-threaded, one analyzer per
        // recording), a reader splits the file into lines. Records are ASCII: each line becomes a Latin-1 string by
        // a plain copy, with no charset decoding.
        BlockingQueue<String[]> batches = new ArrayBlockingQueue<>(16);
        Thread reader = new Thread(() -> readLines(file, batches), "reader");
        reader.start();
        try {
            for (String[] batch = batches.take(); batch.length > 0; batch = batches.take()) {
                for (String line : batch) {
                    if (line == null) {
                        break;
                    }
                    analyzer.accept(0, line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        SpikeReport report = analyzer.report();
        if (!report.exact()) {
            throw new IllegalStateException("the engine's top figures are estimates: raise the capacity");
        }
        List<String> top = report.conversations().stream()
                .map(c -> c.internalHost() + " " + c.remoteHost() + " " + c.remotePort() + " " + c.protocol() + "="
                        + c.bytes())
                .toList();
        return new Answer(
                report.records(),
                report.skipped().getOrDefault("NODATA", 0L),
                report.bytes(),
                report.ingressBytes(),
                report.egressBytes(),
                report.natProcessedBytes(),
                new TreeMap<>(report.bytesByService()),
                top);
    }

    /** Splits the file into lines, in batches; an empty batch ends it. */
    private static void readLines(Path file, BlockingQueue<String[]> batches) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            String[] batch = new String[4096];
            int count = 0;
            int filled = 0;
            for (int read = in.read(buffer); read > 0; read = in.read(buffer, filled, buffer.length - filled)) {
                filled += read;
                int start = 0;
                for (int i = 0; i < filled; i++) {
                    if (buffer[i] == '\n') {
                        batch[count++] = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                        start = i + 1;
                        if (count == batch.length) {
                            batches.put(batch);
                            batch = new String[batch.length];
                            count = 0;
                        }
                    }
                }
                System.arraycopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
            if (filled > 0) {
                batch[count++] = new String(buffer, 0, filled, StandardCharsets.ISO_8859_1);
            }
            if (count > 0) {
                batches.put(batch);
            }
            batches.put(new String[0]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The same figures in one SQL statement over the file: the engine's rules (a record is on the client side of
     * the NAT unless the NAT's address is in both its header and packet fields), one scan with grouping sets.
     */
    static Answer duckdb(Path file) throws Exception {
        String columns = Arrays.stream(FlowLogFile.FORMAT.split(" "))
                .map(f -> "'" + f.replace('-', '_') + "': 'VARCHAR'")
                .reduce((a, b) -> a + ", " + b)
                .orElseThrow();
        String sql =
                """
                WITH r AS (
                  SELECT flow_direction AS dir,
                         TRY_CAST(bytes AS BIGINT) AS b,
                         bytes = '-' AS nodata,
                         (flow_direction = 'ingress' AND dstaddr <> pkt_dstaddr)
                           OR (flow_direction = 'egress' AND srcaddr <> pkt_srcaddr) AS client,
                         CASE WHEN client THEN
                           CASE flow_direction
                             WHEN 'ingress' THEN pkt_srcaddr || ' ' || pkt_dstaddr || ' ' || dstport
                             ELSE pkt_dstaddr || ' ' || pkt_srcaddr || ' ' || srcport
                           END || ' ' || protocol
                         END AS k,
                         CASE WHEN client THEN COALESCE(NULLIF(pkt_src_aws_service, '-'),
                                                         NULLIF(pkt_dst_aws_service, '-')) END AS service
                  FROM read_csv('%s', delim = ' ', header = false, auto_detect = false, quote = '',
                                columns = {%s}))
                SELECT GROUPING(k) AS gk, GROUPING(service) AS gs, GROUPING(dir) AS gd, GROUPING(client) AS gc,
                       k, service, dir, client, SUM(b) AS bytes, COUNT(*) AS n, COUNT(*) FILTER (WHERE nodata) AS nd
                FROM r
                GROUP BY GROUPING SETS ((k), (service), (dir), (client), ())
                QUALIFY GROUPING(k) = 1 OR k IS NULL
                     OR row_number() OVER (PARTITION BY GROUPING(k), k IS NULL ORDER BY SUM(b) DESC, k) <= %d
                """
                        .formatted(file.toAbsolutePath().toString().replace("'", "''"), columns, TOP);
        long records = 0;
        long nodata = 0;
        long bytes = 0;
        long ingress = 0;
        long egress = 0;
        long nat = 0;
        Map<String, Long> services = new TreeMap<>();
        List<String[]> top = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                long sum = rs.getLong("bytes");
                if (rs.getInt("gk") == 0) {
                    if (rs.getString("k") != null) {
                        top.add(new String[] {rs.getString("k"), String.valueOf(sum)});
                    }
                } else if (rs.getInt("gs") == 0) {
                    if (rs.getString("service") != null) {
                        services.put(rs.getString("service"), sum);
                    }
                } else if (rs.getInt("gd") == 0) {
                    if ("ingress".equals(rs.getString("dir"))) {
                        ingress = sum;
                    } else if ("egress".equals(rs.getString("dir"))) {
                        egress = sum;
                    }
                } else if (rs.getInt("gc") == 0) {
                    if (rs.getBoolean("client")) {
                        nat = sum;
                    }
                } else {
                    records = rs.getLong("n");
                    nodata = rs.getLong("nd");
                    bytes = sum;
                }
            }
        }
        top.sort((a, b) -> {
            int byBytes = Long.compare(Long.parseLong(b[1]), Long.parseLong(a[1]));
            return byBytes != 0 ? byBytes : a[0].compareTo(b[0]);
        });
        return new Answer(
                records,
                nodata,
                bytes,
                ingress,
                egress,
                nat,
                services,
                top.stream().map(t -> t[0] + "=" + t[1]).toList());
    }
}
