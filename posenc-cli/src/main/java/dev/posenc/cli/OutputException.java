package dev.posenc.cli;

/**
 * An output the user asked for could not be written (a file, or standard output): exit code
 * {@value Errors#CANNOT_WRITE}, one line naming the output and the reason.
 */
final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
