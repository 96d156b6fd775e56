/**
 * Prometheus metrics of a live node through Micrometer ({@code GET /metrics}): {@link
 * org.bftlab.metrics.NodeMetrics} observes the shell's reports ({@link
 * org.bftlab.trace.NodeEvents}) and never the core; {@link org.bftlab.metrics.PrometheusText}
 * reads the text format back (bench, tests).
 */
package org.bftlab.metrics;
