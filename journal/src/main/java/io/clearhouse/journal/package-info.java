/**
 * An append-only, checksummed, fsync'd log file with group commit: the storage under the memory bank's write-ahead
 * log and the coordinator's file decision log. Records are opaque byte arrays framed with their length and a CRC32C
 * checksum; concurrent durable appends share one write and one force. A journal may be kept as a series of segment
 * files, so that its oldest part can be deleted whole. Depends on the JDK only.
 */
package io.clearhouse.journal;
