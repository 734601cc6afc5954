/**
 * The operator console: a status page and a page per recording, server-rendered and readable without JavaScript
 * (charts drawn by a WebJar where it runs), and the operations a person may ask for: record a gateway now, stop a
 * recording, send a notification again, run the preflight. It also holds who may log in: every page and endpoint
 * but the health probes (and, by default, the Prometheus scrape) needs a user; every write needs an operator.
 */
@NullMarked
package dev.vpcflowlogs.recorder.console;

import org.jspecify.annotations.NullMarked;
