package io.clearhouse.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The REST API, under {@code /api}. */
@ApplicationPath("api")
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Clearhouse",
                        version = "0.1.0",
                        description = "Atomic transfers across banks, coordinated by two-phase commit."))
public class ClearhouseApplication extends Application {}
