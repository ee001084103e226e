package io.clearhouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The hand-written OpenAPI document against the resources: every operation a resource serves is described, with a
 * unique operation id, a summary and its refusals; the lint of the served document (RestApiIT) checks the rest.
 */
class OpenApiDocumentTest {
    private static Map<String, Object> document;

    @BeforeAll
    static void readDocument() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            assertThat(in).as("META-INF/openapi.yaml").isNotNull();
            document = new Yaml().load(in);
        }
    }

    @Test
    void describesExactlyTheOperationsTheResourcesServe() throws Exception {
        Set<String> described = new TreeSet<>();
        paths().forEach((path, operations) ->
                operations.keySet().forEach(method -> described.add(method + " " + path)));

        assertThat(described).containsExactlyInAnyOrderElementsOf(served());
    }

    @Test
    void everyOperationHasAUniqueIdASummaryItsRefusalsAndTheBearerScheme() {
        Set<String> operationIds = new HashSet<>();
        paths().forEach((path, operations) -> operations.forEach((method, operation) -> {
            String where = method + " " + path;
            assertThat(operationIds.add((String) operation.get("operationId")))
                    .as(where + " has an operation id no other has")
                    .isTrue();
            assertThat((String) operation.get("summary")).as(where + " summary").isNotBlank();
            @SuppressWarnings("unchecked")
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            assertThat(responses.keySet()).as(where + " answers").anyMatch(status -> status.startsWith("4"));
            assertThat(responses.keySet()).as(where + " answers").contains("401", "403");
        }));
        assertThat(document.get("security")).isEqualTo(List.of(Map.of("bearer", List.of())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Map<String, Object>>> paths() {
        return (Map<String, Map<String, Map<String, Object>>>) document.get("paths");
    }

    /** {@code "get /api/transfers/{id}"} for every resource method of this package. */
    private static Set<String> served() throws IOException, URISyntaxException, ClassNotFoundException {
        Set<String> served = new TreeSet<>();
        java.nio.file.Path classes = java.nio.file.Path.of(ClearhouseApplication.class
                        .getResource("ClearhouseApplication.class")
                        .toURI())
                .getParent();
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(classes)) {
            for (java.nio.file.Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> type = Class.forName(
                            ClearhouseApplication.class.getPackageName() + "." + name.replace(".class", ""));
                    if (type.isAnnotationPresent(Path.class)) {
                        resources.add(type);
                    }
                }
            }
        }
        assertThat(resources).isNotEmpty();
        for (Class<?> resource : resources) {
            String base = "/api/" + resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = verb(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    served.add(verb + " " + (sub == null ? base : base + "/" + sub.value()));
                }
            }
        }
        return served;
    }

    private static String verb(Method method) {
        for (Class<? extends java.lang.annotation.Annotation> verb :
                List.of(GET.class, POST.class, PUT.class, DELETE.class)) {
            if (method.isAnnotationPresent(verb)) {
                return verb.getSimpleName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
