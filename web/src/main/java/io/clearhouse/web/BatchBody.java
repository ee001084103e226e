package io.clearhouse.web;

import io.clearhouse.api.Reason;
import io.clearhouse.api.batch.BatchFileParser;
import io.clearhouse.api.batch.BatchLine;
import io.clearhouse.api.batch.BatchTooLargeException;
import io.clearhouse.ejb.config.ServerSettings;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A batch body read into lines, with the SHA-256 of its bytes (what tells a retry from another batch under the same
 * idempotency key). Reading stops at the first line or byte beyond the limits, before anything runs.
 */
record BatchBody(List<BatchLine> lines, byte[] sha256) {

    static BatchBody read(InputStream body, ServerSettings settings) {
        MessageDigest digest = newSha256();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new DigestInputStream(new Bounded(body, settings.batchBodyBytesMax()), digest),
                StandardCharsets.UTF_8))) {
            List<BatchLine> lines = BatchFileParser.parse(
                    reader, settings.batchLinesMax(), settings.coordinator().idLengthMax());
            return new BatchBody(lines, digest.digest());
        } catch (BatchTooLargeException e) {
            throw tooLarge(e.getMessage() + "; " + ServerSettings.BATCH_LINES_MAX + " sets the limit");
        } catch (TooManyBytes e) {
            throw tooLarge("the body has more than " + e.bytesMax + " bytes; " + ServerSettings.BATCH_BODY_BYTES_MAX
                    + " sets the limit");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the batch body", e);
        }
    }

    private static ProblemException tooLarge(String detail) {
        return new ProblemException(new Problem(413, "Batch too large", detail, Reason.INVALID_FORMAT.name(), null));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Fails the read at the first byte beyond the limit, so an oversized body is never read whole. */
    private static final class Bounded extends FilterInputStream {
        private final long bytesMax;
        private long bytesRead;

        Bounded(InputStream in, long bytesMax) {
            super(in);
            this.bytesMax = bytesMax;
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value >= 0) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count(read);
            }
            return read;
        }

        private void count(int read) throws TooManyBytes {
            bytesRead += read;
            if (bytesRead > bytesMax) {
                throw new TooManyBytes(bytesMax);
            }
        }
    }

    private static final class TooManyBytes extends IOException {
        private final long bytesMax;

        TooManyBytes(long bytesMax) {
            super("more than " + bytesMax + " bytes");
            this.bytesMax = bytesMax;
        }
    }
}
