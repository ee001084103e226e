package io.clearhouse.web.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Rejection;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.TransactionRules;
import io.clearhouse.ejb.config.ServerSettings;
import io.clearhouse.web.problem.Problem;
import io.clearhouse.web.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the request bodies of the API into transactions, refusing anything the contract does not allow with a
 * problem that names the field: malformed JSON, a missing, empty or mistyped field ({@code INVALID_FORMAT}), an
 * amount that is not an integer in 1..2^63-1 ({@code INVALID_AMOUNT}), the same account twice ({@code
 * SAME_ACCOUNT}), postings that do not sum to zero ({@code UNBALANCED}). Fields the contract does not name are
 * ignored. Ids and accounts pass {@link TransactionRules#checkId}, the check the engine and the batch parser apply,
 * so that the problem names the field and the limit.
 */
public final class RequestBodies {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RequestBodies() {}

    /**
     * Reads a body of at most {@code bytesMax} bytes, and no more than one byte beyond, so that an oversized body
     * costs no more memory than the limit.
     *
     * @throws ProblemException 413 with reason {@code INVALID_FORMAT} when the body is larger
     */
    public static byte[] read(InputStream body, int bytesMax) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(bytesMax + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
        if (bytes.length > bytesMax) {
            throw new ProblemException(new Problem(
                    413,
                    "Request body too large",
                    "the body has more than " + bytesMax + " bytes, the limit " + ServerSettings.BODY_BYTES_MAX
                            + " sets",
                    Reason.INVALID_FORMAT.name(),
                    null));
        }
        return bytes;
    }

    /** {@code {"id","from","to","amount"}} as a transfer, with ids of at most {@code idLengthMax} characters. */
    public static Transaction transfer(byte[] body, int idLengthMax) {
        JsonNode root = object(body);
        String id = id(root, "id", "id", idLengthMax);
        String from = id(root, "from", "from", idLengthMax);
        String to = id(root, "to", "to", idLengthMax);
        long amount = positiveAmount(root.get("amount"), "amount");
        if (from.equals(to)) {
            throw ProblemException.invalid(Reason.SAME_ACCOUNT, "to", "from and to are the same account: " + to);
        }
        return Transaction.transfer(id, from, to, amount);
    }

    /** {@code {"id","postings":[{"account","amount"}]}} with signed amounts that sum to zero. */
    public static Transaction transaction(byte[] body, int postingsMax, int idLengthMax) {
        JsonNode root = object(body);
        String id = id(root, "id", "id", idLengthMax);
        JsonNode postingsNode = root.get("postings");
        if (postingsNode == null || !postingsNode.isArray() || postingsNode.isEmpty()) {
            throw ProblemException.invalid(
                    Reason.INVALID_FORMAT, "postings", "postings must be a non-empty array of {account, amount}");
        }
        List<Posting> postings = new ArrayList<>(postingsNode.size());
        for (int index = 0; index < postingsNode.size(); index++) {
            postings.add(posting(postingsNode.get(index), "postings[" + index + "]", idLengthMax));
        }
        Transaction transaction = new Transaction(id, postings);
        Optional<Rejection> rejection = TransactionRules.check(transaction, postingsMax, idLengthMax);
        if (rejection.isPresent()) {
            Rejection broken = rejection.get();
            throw ProblemException.invalid(broken.reason(), broken.field(), broken.detail());
        }
        return transaction;
    }

    private static Posting posting(JsonNode node, String where, int idLengthMax) {
        if (!node.isObject()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, where, where + " must be an object");
        }
        String account = id(node, "account", where + ".account", idLengthMax);
        JsonNode amount = node.get("amount");
        String field = where + ".amount";
        if (amount == null || amount.isNull()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, field, field + " is missing");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToLong() || amount.longValue() == 0) {
            throw ProblemException.invalid(
                    Reason.INVALID_AMOUNT, field, field + " must be a non-zero integer within ±(2^63-1): " + amount);
        }
        return new Posting(account, amount.longValue());
    }

    static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw ProblemException.invalid(
                    Reason.INVALID_FORMAT, null, "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, null, "unreadable body: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, null, "the body must be a JSON object");
        }
        return root;
    }

    /** A non-empty string that a decision log and a bank can store. */
    static String id(JsonNode node, String field, String path, int idLengthMax) {
        String id = text(node, field, path);
        Optional<Rejection> rejection = TransactionRules.checkId(id, path, idLengthMax);
        if (rejection.isPresent()) {
            throw ProblemException.invalid(
                    Reason.INVALID_FORMAT, path, rejection.get().detail());
        }
        return id;
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, path, path + " is missing");
        }
        if (!value.isTextual()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, path, path + " must be a string, not " + value);
        }
        if (value.textValue().isBlank()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, path, path + " is empty");
        }
        return value.textValue();
    }

    private static long positiveAmount(JsonNode amount, String field) {
        if (amount == null || amount.isNull()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, field, field + " is missing");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToLong() || amount.longValue() <= 0) {
            throw ProblemException.invalid(
                    Reason.INVALID_AMOUNT, field, field + " must be an integer in 1..2^63-1, not " + amount);
        }
        return amount.longValue();
    }
}
