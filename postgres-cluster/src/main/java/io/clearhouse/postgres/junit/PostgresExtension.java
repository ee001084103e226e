package io.clearhouse.postgres.junit;

import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.PostgresOptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link PostgresDatabase} into test constructors, lifecycle methods and test methods.
 *
 * <p>The first test that asks starts one throwaway cluster for the whole JVM (or uses the database named by {@code
 * CLEARHOUSE_JDBC_URL}); it lives in the root context's store, so JUnit closes it, stopping the server by its
 * process id and deleting its files, when the test run ends, whether tests passed or failed. Sharing one cluster
 * saves the one to two seconds a start costs; tests keep apart by calling {@link PostgresDatabase#createFresh()}.
 * A test that must stop or crash its server starts its own {@link PostgresCluster} instead.
 *
 * <p>Register it with {@code @ExtendWith(PostgresExtension.class)} or {@code @RegisterExtension}.
 */
public final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);
    private static final String CLUSTER = "cluster";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return sharedCluster(context).database();
    }

    /** The database of the JVM's shared cluster, for extensions that configure a server before a test starts. */
    public static PostgresDatabase sharedDatabase(ExtensionContext context) {
        return sharedCluster(context).database();
    }

    /** The JVM's cluster, started on first use; JUnit closes it with the root context at the end of the run. */
    static PostgresCluster sharedCluster(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        CLUSTER,
                        key -> PostgresCluster.throwawayOrExisting(PostgresOptions.defaults()),
                        PostgresCluster.class);
    }
}
