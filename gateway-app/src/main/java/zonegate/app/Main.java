package zonegate.app;

import zonegate.app.cli.ZonegateCommand;

/** Entry point of {@code bin/zonegate}: runs the command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(ZonegateCommand.run(args));
    }
}
