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
import io.clearhouse.web.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the request bodies of the API into transactions, refusing anything the contract does not allow with a
 * problem that names the field: malformed JSON, a missing, empty or mistyped field ({@code INVALID_FORMAT}), an
 * amount that is not an integer in 1..2^63-1 ({@code INVALID_AMOUNT}), the same account twice ({@code
 * SAME_ACCOUNT}), postings that do not sum to zero ({@code UNBALANCED}). Fields the contract does not name are
 * ignored.
 */
public final class RequestBodies {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RequestBodies() {}

    /** {@code {"id","from","to","amount"}} as a transfer. */
    public static Transaction transfer(byte[] body) {
        JsonNode root = object(body);
        String id = text(root, "id");
        String from = text(root, "from");
        String to = text(root, "to");
        long amount = positiveAmount(root.get("amount"), "amount");
        if (from.equals(to)) {
            throw ProblemException.invalid(Reason.SAME_ACCOUNT, "to", "from and to are the same account: " + to);
        }
        return Transaction.transfer(id, from, to, amount);
    }

    /** {@code {"id","postings":[{"account","amount"}]}} with signed amounts that sum to zero. */
    public static Transaction transaction(byte[] body, int postingsMax) {
        JsonNode root = object(body);
        String id = text(root, "id");
        JsonNode postingsNode = root.get("postings");
        if (postingsNode == null || !postingsNode.isArray() || postingsNode.isEmpty()) {
            throw ProblemException.invalid(
                    Reason.INVALID_FORMAT, "postings", "postings must be a non-empty array of {account, amount}");
        }
        List<Posting> postings = new ArrayList<>(postingsNode.size());
        for (int index = 0; index < postingsNode.size(); index++) {
            postings.add(posting(postingsNode.get(index), "postings[" + index + "]"));
        }
        Transaction transaction = new Transaction(id, postings);
        Optional<Rejection> rejection = TransactionRules.check(transaction, postingsMax);
        if (rejection.isPresent()) {
            Rejection broken = rejection.get();
            throw ProblemException.invalid(broken.reason(), broken.field(), broken.detail());
        }
        return transaction;
    }

    private static Posting posting(JsonNode node, String where) {
        if (!node.isObject()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, where, where + " must be an object");
        }
        String account = text(node, "account", where + ".account");
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

    private static JsonNode object(byte[] body) {
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

    private static String text(JsonNode node, String field) {
        return text(node, field, field);
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
