package zonegate.app.spi;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A refused configuration: every problem found, in file order.
 *
 * @param source the file as named by the operator
 * @param problems at least one problem (copied, unmodifiable)
 */
public record PolicyRejection(String source, List<PolicyProblem> problems) {
    public PolicyRejection {
        Objects.requireNonNull(source, "source");
        problems = List.copyOf(problems);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one problem");
        }
    }

    /** One {@link PolicyProblem#toString() problem line} per problem, joined by newlines. */
    public String describe() {
        return problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n"));
    }
}
