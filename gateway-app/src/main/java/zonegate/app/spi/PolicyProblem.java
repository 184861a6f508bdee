package zonegate.app.spi;

import java.util.Objects;

/**
 * One reason a configuration was refused (or, as a note, something worth knowing about an accepted
 * one), pointing at the JSON value it concerns.
 *
 * <p>{@link #toString()} is the compiler-style line an operator reads:
 * {@code gateway.json:14:9: clients[1].publicKey: Key is not the correct length or format}. Never
 * contains key material.
 *
 * @param source the file as named by the operator
 * @param line 1-based line, or 0 when the problem has no position (e.g. an unreadable file)
 * @param column 1-based column, or 0 when {@code line} is 0
 * @param path the JSON path of the value ({@code clients[1].publicKey}); empty for the whole file
 * @param reason what is wrong, in words
 */
public record PolicyProblem(String source, int line, int column, String path, String reason) {
    public PolicyProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line).append(':').append(column);
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(reason).toString();
    }
}
