package zonegate.app.internal.controlplane;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.PolicyProblem;

/** Collects the errors and notes found while reading one configuration file. */
final class Problems {
    private static final Comparator<PolicyProblem> FILE_ORDER =
            Comparator.comparingInt(PolicyProblem::line).thenComparingInt(PolicyProblem::column);

    private final String source;
    private final List<PolicyProblem> errors = new ArrayList<>();
    private final List<PolicyProblem> notes = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    void error(Position at, String path, String reason) {
        errors.add(new PolicyProblem(source, at.line(), at.column(), path, reason));
    }

    void note(Position at, String path, String reason) {
        notes.add(new PolicyProblem(source, at.line(), at.column(), path, reason));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The errors in file order (stable for one position). */
    List<PolicyProblem> errors() {
        return errors.stream().sorted(FILE_ORDER).toList();
    }

    List<PolicyProblem> notes() {
        return notes.stream().sorted(FILE_ORDER).toList();
    }
}
