/**
 * The report engine: reads flow log records of any configured format in one pass and sums them, counting each byte
 * a NAT gateway processed once, with a heavy-hitter summary that states its error bound. Pure computation, no I/O.
 */
@NullMarked
package dev.vpcflowlogs.recorder.report.engine;

import org.jspecify.annotations.NullMarked;
