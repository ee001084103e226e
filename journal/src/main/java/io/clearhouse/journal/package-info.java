/**
 * An append-only, checksummed, fsync'd log file with group commit: the storage under the memory bank's write-ahead
 * log and the coordinator's file decision log. Records are opaque byte arrays framed with their length and a CRC32C
 * checksum; concurrent durable appends share one write and one force. Depends on the JDK only.
 */
package io.clearhouse.journal;
