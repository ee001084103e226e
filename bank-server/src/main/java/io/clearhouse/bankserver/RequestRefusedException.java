package io.clearhouse.bankserver;

/**
 * A request the server refuses as a whole, before applying any of it: answered with {@code status} and the problem
 * {@code {"reason": reason, "detail": message}}.
 */
final class RequestRefusedException extends Exception {
    static final String REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";
    static final String TOO_MANY_MESSAGES = "TOO_MANY_MESSAGES";
    static final String TOO_MANY_BRANCHES = "TOO_MANY_BRANCHES";
    static final String TOO_MANY_POSTINGS = "TOO_MANY_POSTINGS";
    static final String MALFORMED_JSON = "MALFORMED_JSON";
    static final String INVALID_MESSAGE = "INVALID_MESSAGE";
    static final String ID_TOO_LONG = "ID_TOO_LONG";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String UNKNOWN_BANK = "UNKNOWN_BANK";
    static final String UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT";
    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";

    private final int status;
    private final String reason;

    RequestRefusedException(int status, String reason, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    static RequestRefusedException badRequest(String reason, String detail) {
        return new RequestRefusedException(400, reason, detail);
    }

    static RequestRefusedException tooLarge(String reason, String detail) {
        return new RequestRefusedException(413, reason, detail);
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }
}
