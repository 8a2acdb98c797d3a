package dev.zeropool.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a benchmark class whose pool under test is a JMH parameter rather than the benchmark method, and
 * names the parameter values that are the peers ZeroPool is compared with. {@link ReportWriter} then
 * shows the parameter value as the row's pool, the method (and the other parameters) as its workload, and
 * divides each score by the fastest peer value of the same workload. Classes without it name their
 * peers by method ({@code forkJoin...}, {@code threadPool...}).
 *
 * <pre>
 * &#64;PoolParameter(name = "dispatcher", peers = {"default", "fixed", "forkjoin"})
 * public class CoroutineBenchmark { &#64;Param({"zeropool", "default", "fixed", "forkjoin"}) String dispatcher; ... }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PoolParameter {

  /** {@return the name of the {@code @Param} field that selects the pool} */
  String name();

  /** {@return the values of that parameter that are peers (JDK, kotlinx or other baselines), not ZeroPool} */
  String[] peers();
}
