package io.clearhouse.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.auth.Role;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
    @Test
    void movingMoneyNeedsTransfer() {
        assertThat(AccessRules.required("POST", "/api/transfers")).isEqualTo(Role.TRANSFER);
        assertThat(AccessRules.required("POST", "/api/transactions")).isEqualTo(Role.TRANSFER);
        assertThat(AccessRules.required("POST", "/api/batches")).isEqualTo(Role.TRANSFER);
    }

    @Test
    void readingOutcomesAndBalancesNeedsRead() {
        assertThat(AccessRules.required("GET", "/api/transfers/t-1")).isEqualTo(Role.READ);
        assertThat(AccessRules.required("GET", "/api/transactions/x")).isEqualTo(Role.READ);
        assertThat(AccessRules.required("GET", "/api/accounts/alice")).isEqualTo(Role.READ);
        assertThat(AccessRules.required("GET", "/api/state")).isEqualTo(Role.READ);
        assertThat(AccessRules.required("HEAD", "/api/state/")).isEqualTo(Role.READ);
    }

    @Test
    void operatingNeedsOperatorWhateverTheMethod() {
        for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
            assertThat(AccessRules.required(method, "/api/recovery")).isEqualTo(Role.OPERATOR);
            assertThat(AccessRules.required(method, "/api/audit/conservation")).isEqualTo(Role.OPERATOR);
            assertThat(AccessRules.required(method, "/api/cluster/self")).isEqualTo(Role.OPERATOR);
            assertThat(AccessRules.required(method, "/api/console/summary")).isEqualTo(Role.OPERATOR);
        }
    }

    @Test
    void deniesToAllButOperatorsWhatNoRuleNames() {
        assertThat(AccessRules.rule("GET", "/api/new-thing")).isEmpty();
        assertThat(AccessRules.required("GET", "/api/new-thing")).isEqualTo(Role.OPERATOR);
        assertThat(AccessRules.required("DELETE", "/api/transfers/t-1")).isEqualTo(Role.OPERATOR);
        assertThat(AccessRules.required("GET", "/api/statements")).isEqualTo(Role.OPERATOR);
        assertThat(AccessRules.required("GET", "/api/state/../recovery")).isEqualTo(Role.OPERATOR);
    }

    /** A resource added without a rule would be open to operators only; this makes the omission visible. */
    @Test
    void everyResourceMethodOfTheApplicationHasARule() throws Exception {
        List<String> requests = resourceRequests();

        assertThat(requests).as("resource methods found").hasSizeGreaterThanOrEqualTo(10);
        assertThat(requests)
                .allSatisfy(request -> assertThat(AccessRules.rule(request.split(" ")[0], request.split(" ")[1]))
                        .as(request)
                        .isPresent());
    }

    /** "METHOD /api/path" of every resource method in the web module's classes, templates as plain segments. */
    private static List<String> resourceRequests() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path classes = java.nio.file.Path.of(AccessRules.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("io/clearhouse/web");
        List<String> requests = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path file :
                    files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.getParent()
                        .getParent()
                        .getParent()
                        .relativize(file)
                        .toString();
                Class<?> type = Class.forName(name.replace('/', '.').replaceAll("\\.class$", ""));
                if (type.isAnnotationPresent(Path.class)) {
                    requests.addAll(requestsOf(type));
                }
            }
        }
        return requests;
    }

    private static List<String> requestsOf(Class<?> resource) {
        List<String> requests = new ArrayList<>();
        String base = "/api/" + resource.getAnnotation(Path.class).value().replaceAll("^/+|/+$", "");
        for (Method method : resource.getMethods()) {
            Stream.of(method.getAnnotations())
                    .map(annotation -> annotation.annotationType().getAnnotation(HttpMethod.class))
                    .filter(httpMethod -> httpMethod != null)
                    .forEach(httpMethod -> {
                        Path sub = method.getAnnotation(Path.class);
                        String path =
                                sub == null ? base : base + "/" + sub.value().replaceAll("^/+", "");
                        requests.add(httpMethod.value() + " " + path.replaceAll("[{}]", ""));
                    });
        }
        return requests;
    }
}
