/**
 * Infrastructure every module shares: the clock, the store's migration and readiness, locks for singleton tasks,
 * the retried start-up step, the batching of AWS calls made at the same time, how a failure is told in one line, and
 * the tags that mark what the recorder owns in AWS.
 * It depends on no other module of the recorder.
 */
@NullMarked
package dev.vpcflowlogs.recorder.system;

import org.jspecify.annotations.NullMarked;
