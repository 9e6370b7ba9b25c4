/**
 * JMH benchmarks, one package per component ({@code capture}, later decode, flows, select, seal, store).
 * Built into {@code bench/target/benchmarks.jar} and run with {@code bench/run-jmh.sh}, which starts the JVM
 * (and so every forked benchmark JVM) with the project's {@code config/jvm.args}; see docs/performance.md.
 */
package jp.senbetsu.bench;
