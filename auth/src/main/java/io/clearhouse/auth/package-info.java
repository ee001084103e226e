/**
 * Bearer tokens as MicroProfile JWT shapes them: RS256-signed JSON Web Tokens whose {@code groups} claim holds the
 * Clearhouse roles. The command line writes them with the private key of the pair it keeps in a data directory; the
 * server verifies them with the public key. Depends on the JDK's {@code java.security} and Jackson only, so that the
 * command line and the WAR share it without any container type.
 */
package io.clearhouse.auth;
