/**
 * phasegrad's inversion service ({@code phasegrad serve}): a WebSocket endpoint that streams magnitude or
 * log-mel frames to PCM, one inverter per connection, with health, Prometheus metrics and a web page; and
 * the load-test client ({@code phasegrad loadtest}). Reaches the core through its exported API only.
 */
@SuppressWarnings("requires-automatic") // the Prometheus client jars name their modules in the manifest only
module dev.phasegrad.server {
    requires dev.phasegrad.core;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.websocket.server;
    requires org.eclipse.jetty.websocket.api;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires com.fasterxml.jackson.jr.ob;
    requires java.net.http;
    // the SLF4J provider Jetty logs through; required so that it is in the module graph
    requires org.slf4j.simple;
    // process CPU time for /metrics (com.sun.management.OperatingSystemMXBean)
    requires jdk.management;

    exports dev.phasegrad.server;
}
