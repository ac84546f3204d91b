package org.jgrad.playground;

/** A request the server refuses: the HTTP status and a message for the JSON error body. */
final class ApiException extends RuntimeException {
    private static final Runnable NOTHING = () -> {};

    private final int status;
    private final boolean closesConnection;
    private final Runnable afterAnswer;

    ApiException(int status, String message) {
        this(status, message, false, NOTHING);
    }

    private ApiException(int status, String message, boolean closesConnection, Runnable afterAnswer) {
        super(message, null, false, false);
        this.status = status;
        this.closesConnection = closesConnection;
        this.afterAnswer = afterAnswer;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /**
     * A refusal after which the connection cannot be reused, because the rest of the request body
     * was not (and will not be) read: the answer says {@code Connection: close}.
     *
     * @param afterAnswer runs once the answer is on its way, e.g. to stop a body reader still waiting
     */
    static ApiException closing(int status, String message, Runnable afterAnswer) {
        return new ApiException(status, message, true, afterAnswer);
    }

    int status() {
        return status;
    }

    boolean closesConnection() {
        return closesConnection;
    }

    Runnable afterAnswer() {
        return afterAnswer;
    }
}
