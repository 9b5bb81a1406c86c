/**
 * The {@code phasegrad} command-line tool: demo, invert, stream, eval, bench, train. The only module
 * that needs java.desktop (Java2D and javax.imageio for the pictures, javax.sound for playback).
 */
module dev.phasegrad.cli {
    requires dev.phasegrad.core;
    requires dev.phasegrad.train;
    requires dev.phasegrad.server;
    requires info.picocli;
    requires com.fasterxml.jackson.jr.ob;
    requires com.fasterxml.jackson.core;
    requires java.desktop;
    // per-thread CPU time and allocated bytes (com.sun.management.ThreadMXBean) for the bench
    requires jdk.management;

    // picocli reads the commands' annotated fields and sets them by reflection
    opens dev.phasegrad.cli to
            info.picocli;
}
