import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites, in place, the classes of the given jars that are older than Java 6 (class file version < 50) as
 * Java 8 class files (52) with stack maps: the JDK's AOT cache skips pre-Java-6 classes ("old class"), so
 * picocli's classes (built for Java 5) and lo's classes that implement its interfaces were loaded, parsed and
 * verified from the jars at every start (docs/benchmarks.md). Only the version and the stack maps change;
 * the code is the same. A jar without such classes, or a signed one, is left as it is.
 *   java deploy/RetargetClasses.java JAR...     (deploy/aot-train.sh runs it on a build's lib/main jars)
 */
public class RetargetClasses {

    public static void main(String[] args) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String jar : args) {
            urls.add(Path.of(jar).toUri().toURL());
        }
        try (URLClassLoader all = new URLClassLoader(urls.toArray(URL[]::new), null)) {
            // stack maps need the common super class of two types: looked up in the JDK, then in these jars
            ClassFile classFile = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(all))),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            for (String jar : args) {
                int rewritten = retarget(classFile, Path.of(jar));
                if (rewritten > 0) {
                    System.err.println("retarget: " + rewritten + " classes of " + Path.of(jar).getFileName()
                            + " rewritten as Java 8 class files");
                }
            }
        }
    }

    private static int retarget(ClassFile classFile, Path jar) throws IOException {
        Path out = jar.resolveSibling(jar.getFileName() + ".retarget");
        int rewritten = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().startsWith("META-INF/") && entry.getName().endsWith(".SF")) {
                    rewritten = 0; // signed: rewriting would break the signature
                    break;
                }
                byte[] bytes = in.readAllBytes();
                if (entry.getName().endsWith(".class")) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < ClassFile.JAVA_6_VERSION) {
                        // every method body is rebuilt, so its stack maps are computed
                        bytes = classFile.transformClass(model,
                                ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                        .andThen(ClassTransform.endHandler(b -> b.withVersion(ClassFile.JAVA_8_VERSION, 0))));
                        rewritten++;
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        if (rewritten > 0) {
            Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.delete(out);
        }
        return rewritten;
    }
}
