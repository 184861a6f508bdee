package zonegate.tunnel.sim;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How often one INFO line may repeat in each test of the annotated class ({@link NoErrorLogs}): for runs
 * that legitimately make the same state change many times (a connection made again and again).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface InfoRepeats {
    int value();
}
