package floor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "floor", mixinStandardHelpOptions = true, description = "The start-up floor: picocli in Quarkus command mode.")
public class Floor implements Runnable {

    @Option(names = "--name", description = "Who to greet.")
    String name = "floor";

    @Override
    public void run() {
        System.out.println("hello " + name);
    }
}
