package io.clearhouse.spi;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Puts the contract point of a test's {@link Checks} annotation in front of its assertion failures, so that every
 * failure of the kit reads the same way whichever test found it. Errors that are not assertion failures (a {@link
 * BankException}, a hang) pass unchanged: they are not a broken rule but a broken bank.
 */
final class ContractPointNaming implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Checks checks = context.getRequiredTestMethod().getAnnotation(Checks.class);
        if (checks != null && failure instanceof AssertionError assertion) {
            throw checks.value().named(assertion);
        }
        throw failure;
    }
}
