package io.clearhouse.api;

/**
 * Why a transaction was aborted or refused. The names are part of the public contract (batch output, REST
 * responses); the order of the first seven is the precedence the batch command applies to a line.
 */
public enum Reason {
    /**
     * A batch line without exactly four fields, or with an empty id, source or destination; an id or account longer
     * than the limit or holding a control character.
     */
    INVALID_FORMAT,
    /** The id was already used (in a batch: by an earlier line; in the API: with other content). */
    DUPLICATE_ID,
    /** The amount is not a decimal integer in 1..2^63-1. */
    INVALID_AMOUNT,
    /** Source and destination are the same account, or an account appears twice in one transaction. */
    SAME_ACCOUNT,
    /** An account belongs to no bank. */
    UNKNOWN_ACCOUNT,
    /** A debited account's available balance is below the amount. */
    INSUFFICIENT_FUNDS,
    /** A credited account would exceed 2^63-1. */
    BALANCE_OVERFLOW,
    /** A bank could not be reached, or failed, while preparing. */
    BANK_UNAVAILABLE,
    /** A bank did not vote within the prepare timeout. */
    TIMEOUT,
    /** The postings of a transaction do not sum to zero. */
    UNBALANCED,
    /** The transaction has more postings than the configured limit allows. */
    TOO_MANY_POSTINGS
}
