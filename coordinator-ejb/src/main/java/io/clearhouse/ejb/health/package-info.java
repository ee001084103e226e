/**
 * MicroProfile Health checks of the coordinator, served by the container under {@code /health}. May depend on the
 * EJB package and the MicroProfile Health API.
 */
package io.clearhouse.ejb.health;
