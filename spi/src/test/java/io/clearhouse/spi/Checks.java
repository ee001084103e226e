package io.clearhouse.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The contract point a test of the kit checks: an assertion failure in the test comes out naming it (see {@link
 * ContractPointNaming}), unless the failure already names a more precise one, as the fault-injection runs do.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Checks {
    ContractPoint value();
}
