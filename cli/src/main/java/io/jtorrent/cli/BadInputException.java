package io.jtorrent.cli;

/** Input the user gave that a command cannot work with; reported in one line, exit status 2. */
final class BadInputException extends Exception {
    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
