package io.clearhouse.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API, under {@code /api}; its OpenAPI document is {@code META-INF/openapi.yaml}. */
@ApplicationPath("api")
public class ClearhouseApplication extends Application {}
