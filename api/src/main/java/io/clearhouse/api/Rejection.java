package io.clearhouse.api;

/**
 * Why a transaction cannot even be attempted, and which part of it is wrong.
 *
 * @param reason the reason code
 * @param field the offending field as a client names it ({@code "amount"}, {@code "postings[2].account"})
 * @param detail a sentence for a human
 */
public record Rejection(Reason reason, String field, String detail) {}
