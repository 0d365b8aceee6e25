package dev.posenc.cli;

/**
 * Bad input from the user: a flag value, a file, a combination of options. Reported as one line on stderr with
 * exit code 2; the message names the input and what was expected.
 */
public final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
