/**
 * The examples, compiled as a module that reads nothing of phasegrad but the core's exported API:
 * what compiles here compiles for any application.
 */
module dev.phasegrad.examples {
    requires dev.phasegrad.core;
    // PlayWav alone plays through javax.sound; the other examples run on runtimes without java.desktop
    requires static java.desktop;
}
