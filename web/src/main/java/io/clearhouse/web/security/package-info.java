/**
 * Who may call what: bearer tokens checked before any resource runs, and the one table from method and path to the
 * role a request needs. The table lives here rather than in annotations on resources, so a new resource is covered
 * (denied to all but operators) before anyone remembers to annotate it. May depend on the auth module, JAX-RS, CDI,
 * MicroProfile Config and the problem package.
 */
package io.clearhouse.web.security;
