package dev.vpcflowlogs.recorder.report;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * How a report's records were read, and what the recording's flow logs cost to deliver.
 *
 * @param engine {@code streaming} (FilterLogEvents into the recorder) or {@code insights} (CloudWatch Logs Insights)
 * @param why why that engine
 * @param fallback why the other engine failed first, when it did
 * @param queries Logs Insights queries run (0 when streaming)
 * @param bytesScanned what they scanned, billed at {@code insightsCost}
 * @param logGroupClass the log group's class (STANDARD or INFREQUENT_ACCESS), as DescribeLogGroups says
 * @param deliveredBytes the recording's records as CloudWatch Logs received them (AWS/Logs IncomingBytes, its share
 *     when other recordings wrote to the group meanwhile; else the records' own size)
 * @param deliveredFrom where {@code deliveredBytes} comes from, in words
 * @param flowLogCost {@code deliveredBytes} at the class's vended-log price
 */
public record ReadBy(
        String engine,
        String why,
        @Nullable String fallback,
        int queries,
        long bytesScanned,
        BigDecimal insightsCost,
        String logGroupClass,
        long deliveredBytes,
        String deliveredFrom,
        BigDecimal flowLogCost) {

    public static final String STREAMING = "streaming";
    public static final String INSIGHTS = "insights";
}
