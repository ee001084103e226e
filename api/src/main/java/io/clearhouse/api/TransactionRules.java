package io.clearhouse.api;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a transaction must meet before any bank sees it. Pure functions, so the REST layer, the batch command
 * and the coordinator refuse the same things for the same reasons.
 */
public final class TransactionRules {
    /** The setting that bounds the length of transaction and account ids, as a refusal names it. */
    public static final String ID_LENGTH_MAX_SETTING = "clearhouse.limits.id-length-max";

    /**
     * The longest transaction or account id by default, in characters (UTF-16 code units, as {@link
     * String#length()} counts them). It is the most the decision logs store, so that every id that worked before
     * the limit was checked up front still works; a deployment may set a lower one.
     */
    public static final int ID_LENGTH_MAX_DEFAULT = 16_384;

    private TransactionRules() {}

    /** {@link #check(Transaction, int, int)} with ids of at most {@link #ID_LENGTH_MAX_DEFAULT} characters. */
    public static Optional<Rejection> check(Transaction transaction, int postingsMax) {
        return check(transaction, postingsMax, ID_LENGTH_MAX_DEFAULT);
    }

    /**
     * Checks the id, then the posting limit (before any work per posting), then each posting's account, amount and
     * distinctness in posting order, then that the amounts add up within 2^63-1 and sum to zero.
     *
     * @param idLengthMax the longest id or account, in characters ({@link #checkId})
     * @return the first rule broken, or empty when the transaction may be attempted
     */
    public static Optional<Rejection> check(Transaction transaction, int postingsMax, int idLengthMax) {
        if (transaction.id().isBlank()) {
            return reject(Reason.INVALID_FORMAT, "id", "the id is empty");
        }
        Optional<Rejection> badId = checkId(transaction.id(), "id", idLengthMax);
        if (badId.isPresent()) {
            return badId;
        }
        List<Posting> postings = transaction.postings();
        if (postings.size() > postingsMax) {
            return reject(
                    Reason.TOO_MANY_POSTINGS,
                    "postings",
                    postings.size() + " postings exceed the limit of " + postingsMax);
        }
        Set<String> accounts = new HashSet<>();
        long credits = 0;
        long debits = 0;
        for (int i = 0; i < postings.size(); i++) {
            Posting posting = postings.get(i);
            if (posting.account().isBlank()) {
                return reject(Reason.INVALID_FORMAT, "postings[" + i + "].account", "the account is empty");
            }
            Optional<Rejection> badAccount = checkId(posting.account(), "postings[" + i + "].account", idLengthMax);
            if (badAccount.isPresent()) {
                return badAccount;
            }
            if (posting.amount() == Long.MIN_VALUE) {
                return reject(Reason.INVALID_AMOUNT, "postings[" + i + "].amount", "the amount is below -(2^63-1)");
            }
            if (!accounts.add(posting.account())) {
                return reject(
                        Reason.SAME_ACCOUNT,
                        "postings[" + i + "].account",
                        "account " + posting.account() + " appears twice");
            }
            try {
                if (posting.amount() > 0) {
                    credits = Math.addExact(credits, posting.amount());
                } else {
                    debits = Math.addExact(debits, -posting.amount());
                }
            } catch (ArithmeticException e) {
                return reject(Reason.INVALID_AMOUNT, "postings", "the amounts add up to more than 2^63-1");
            }
        }
        if (credits != debits) {
            return reject(Reason.UNBALANCED, "postings", "the amounts do not sum to zero");
        }
        return Optional.empty();
    }

    /**
     * Checks a transaction or account id against what every decision log and bank can store: at most {@code
     * lengthMax} characters, no control character (PostgreSQL's text cannot hold U+0000, and the others have no
     * place in an id a person reads back), and no unpaired surrogate (it has no UTF-8 form, so it would be stored as
     * another id). An empty id is the caller's to refuse, with its own wording.
     *
     * @param field the field as a client names it, also named in the refusal
     * @return {@code INVALID_FORMAT} naming the field and the limit, or empty when the id may be stored
     */
    public static Optional<Rejection> checkId(String id, String field, int lengthMax) {
        if (id.length() > lengthMax) {
            return reject(
                    Reason.INVALID_FORMAT,
                    field,
                    field + " has " + id.length() + " characters, more than " + ID_LENGTH_MAX_SETTING + " (" + lengthMax
                            + ")");
        }
        int bad = unstorableAt(id, 0, id.length());
        if (bad >= 0) {
            char c = id.charAt(bad);
            String what = Character.isSurrogate(c) ? "an unpaired surrogate" : "the control character";
            return reject(
                    Reason.INVALID_FORMAT,
                    field,
                    field + " contains " + what + " U+" + String.format("%04X", (int) c) + " at index " + bad);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code text[start, end)}, a non-empty id, passes {@link #checkId}; allocates nothing, for the batch
     * parser, which finds fields by their indexes in the line.
     */
    public static boolean storableId(CharSequence text, int start, int end, int lengthMax) {
        return end - start <= lengthMax && unstorableAt(text, start, end) < 0;
    }

    /** The index of the first control character or unpaired surrogate in {@code text[start, end)}, or -1. */
    private static int unstorableAt(CharSequence text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return i - start;
            }
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i - start;
            }
        }
        return -1;
    }

    private static Optional<Rejection> reject(Reason reason, String field, String detail) {
        return Optional.of(new Rejection(reason, field, detail));
    }
}
