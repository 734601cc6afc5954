/**
 * Everything under {@code recorder.*}, as validated records with typed durations and sizes: a bad value stops
 * start-up with a message naming the property. Every other module reads its settings here; it depends on none.
 */
@NullMarked
package dev.vpcflowlogs.recorder.config;

import org.jspecify.annotations.NullMarked;
