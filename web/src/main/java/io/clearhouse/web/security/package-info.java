/**
 * Who may call what: bearer tokens checked before any resource runs, and the one table from method and path to the
 * role a request needs. The table lives here rather than in annotations on resources, so a new resource is covered
 * (denied to all but operators) before anyone remembers to annotate it. The same check guards Payara's {@code
 * /metrics} and {@code /openapi} when a setting asks for it, through a servlet filter in front of Payara's own
 * servlets. May depend on the auth module, JAX-RS, the Servlet API, CDI, MicroProfile Config and the problem package.
 */
package io.clearhouse.web.security;
