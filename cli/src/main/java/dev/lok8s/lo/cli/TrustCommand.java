package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.tls.MkcertAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code lo trust}: the one manual step of TLS registries, explained, and run with the user's
 * consent. lo never runs {@code mkcert -install} on its own (provision only checks that it was
 * done): it changes what every program on the machine trusts, and needs the user's privileges.
 */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"Explain, and with your agreement run, 'mkcert -install': it creates mkcert's local CA "
                + "(if there is none) and adds it to the system trust store, so that docker push and curl accept "
                + "the registries' certificate when spec.registries.tls is true.",
                "Asks for confirmation on a terminal; elsewhere it runs only with --yes."},
        footer = {"", "Exit codes: 0 the CA is installed, 1 mkcert -install failed or you declined, "
                + "2 mkcert is missing, or no terminal to ask on and no --yes."})
public class TrustCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Option(names = {"-y", "--yes"}, description = "Run 'mkcert -install' without asking.")
    boolean yes;

    @Override
    public Integer call() {
        // In JSON mode the prose goes to stderr and stdout holds one object with the facts and the result.
        PrintWriter out = output.json() ? output.err() : output.out();
        PrintWriter err = output.err();
        var authority = MkcertAuthority.fromSystem();
        Path caRoot = authority.caRoot();
        Optional<Path> mkcert = authority.mkcertExecutable();

        out.println("TLS registries (spec.registries.tls: true) serve a certificate signed by mkcert's local CA.");
        out.println("For the host's docker push and curl to accept it, that CA must be in the system trust store:");
        out.println("that is what 'mkcert -install' does. It creates the CA in " + caRoot + " if there is none yet,");
        out.println("and adds rootCA.pem to the system trust store (and to the NSS/Java stores it finds).");
        out.println();
        out.println("lo does not do this silently: a CA in the trust store is trusted by every program on this");
        out.println("machine, so adding one needs your consent, and usually root (mkcert uses sudo when it needs to).");
        out.println("The CA key (rootCA-key.pem) stays in " + caRoot + ", readable only by you.");
        out.println();
        out.println("Afterwards restart the Docker daemon if it was already running: dockerd reads the system");
        out.println("trust store once, the first time it checks a certificate, and keeps that copy until it restarts.");
        out.println();
        if (mkcert.isEmpty()) {
            err.println(Reason.errorLine("mkcert was not found on the PATH: install it (apt-get install mkcert, brew install "
                    + "mkcert, or b install mkcert), then run lo trust again"));
            return result(caRoot, null, false, ExitCodes.INVALID);
        }
        boolean hadCa = hasCa(caRoot);
        out.println("CA directory: " + caRoot + (hadCa ? " (a CA exists)" : " (no CA yet: it will be created)"));
        out.println("Command:      " + mkcert.get() + " -install");
        out.flush();

        if (!yes) {
            if (!StepProgress.onTerminal()) {
                err.println(Reason.errorLine("not run: lo trust needs your confirmation and there is no terminal to ask on; "
                        + "run 'lo trust --yes' or 'mkcert -install' yourself"));
                return result(caRoot, mkcert.get(), false, ExitCodes.INVALID);
            }
            if (!confirmed(err)) {
                err.println("not run: nothing was changed");
                return result(caRoot, mkcert.get(), false, ExitCodes.FAILED);
            }
        }
        return result(caRoot, mkcert.get(), true, install(mkcert.get(), err));
    }

    private int result(Path caRoot, Path mkcert, boolean ran, int exitCode) {
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("caRoot", caRoot.toString());
            json.put("mkcert", mkcert == null ? null : mkcert.toString());
            json.put("caExists", hasCa(caRoot));
            json.put("ran", ran);
            json.put("installed", ran && exitCode == ExitCodes.OK);
            json.put("exitCode", exitCode);
            output.printJson(json);
        }
        return exitCode;
    }

    private static boolean hasCa(Path caRoot) {
        return Files.isRegularFile(caRoot.resolve(MkcertAuthority.CA_CERT_FILE))
                && Files.isRegularFile(caRoot.resolve(MkcertAuthority.CA_KEY_FILE));
    }

    private static boolean confirmed(PrintWriter err) {
        err.print("Run 'mkcert -install' now? [y/N] ");
        err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }

    /** mkcert talks to the user itself (sudo may prompt for a password), so it gets the terminal. */
    private static int install(Path mkcert, PrintWriter err) {
        err.flush();
        try {
            Process process = new ProcessBuilder(mkcert.toString(), "-install").inheritIO().start();
            int code = process.waitFor();
            if (code != 0) {
                err.println(Reason.errorLine("'" + mkcert + " -install' exited with " + code + ": see its output above"));
                return ExitCodes.FAILED;
            }
            err.println("mkcert's CA is installed; lo provision can now serve TLS registries");
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println(Reason.errorLine("cannot run " + mkcert + ": " + e.getMessage()));
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(Reason.errorLine("interrupted while 'mkcert -install' ran"));
            return ExitCodes.FAILED;
        }
    }
}
