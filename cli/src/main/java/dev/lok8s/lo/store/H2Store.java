package dev.lok8s.lo.store;

import org.h2.engine.SysProperties;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded H2 store's files and who may open them. Before lo's first connection:
 * <ul>
 * <li>the state directory is made (or, when the user owns it, tightened to) 0700, the database files 0600;</li>
 * <li>an empty {@code lo.mv.db} is refused (H2 would silently start a new store over it);</li>
 * <li>the credentials come from {@value #PASSWORD_FILE} (0600): a random password for H2's admin
 * {@code SA}, which only this class uses to create the database and lo's user, and one for
 * {@value #USER}, which every connection of lo uses. {@code LO} is not an admin, so SQL cannot
 * define Java functions or triggers, read or write files, or change users
 * ({@code CREATE ALIAS}, {@code FILE_WRITE}, {@code RUNSCRIPT}... need admin rights).</li>
 * </ul>
 * A store made by an earlier lo (admin {@code SA}, empty password) gets its passwords on first use.
 * Setting up is serialised across processes by a lock on {@code lo.setup.lock} and is crash-safe:
 * the password file is written before the database is changed, marked ready after.
 */
public final class H2Store {

    /** The H2 user every connection of lo uses; not an admin. */
    public static final String USER = "LO";
    static final String ADMIN = "SA";
    public static final String PASSWORD_FILE = "lo.password";
    static final String DATA_FILE = "lo.mv.db";
    /** The size of {@value #DATA_FILE} after the last close that compacted it ({@link CompactionRule}). */
    static final String COMPACTED_FILE = "lo.compacted";
    static final String LOCK_FILE = "lo.lock.db";
    static final List<String> DATABASE_FILES = List.of("lo.mv.db", "lo.lock.db", "lo.trace.db", "lo.mv.db.tempFile");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private static final Map<Path, H2Store> OPENED = new ConcurrentHashMap<>();

    private final Path dir;
    private final String url;
    private volatile String password;

    private H2Store(Path dir) {
        this.dir = StoreLocation.checked(dir);
        this.url = StoreLocation.h2Url(this.dir);
    }

    /**
     * The store in {@code dir} (one instance per directory and process, so it is prepared once).
     *
     * @throws IllegalArgumentException when the path cannot be used in an H2 URL
     */
    public static H2Store at(Path dir) {
        bindToLoopback();
        Path key = StoreLocation.checked(dir);
        return OPENED.computeIfAbsent(key, H2Store::new);
    }

    /**
     * H2's AUTO_SERVER listens on all interfaces unless the {@code h2.bindAddress} system property
     * names one; H2 reads it once, when its settings class loads. It also decides which address
     * the lock file tells other processes to connect to.
     */
    public static void bindToLoopback() {
        askForLoopback();
        if (!"127.0.0.1".equals(SysProperties.BIND_ADDRESS)) {
            throw new IllegalStateException("the H2 driver was loaded before lo could bind its server to 127.0.0.1"
                    + " (h2.bindAddress is '" + SysProperties.BIND_ADDRESS + "'): refusing to open the store");
        }
    }

    /**
     * Sets {@code h2.bindAddress} without loading H2 (that costs ~0.1 s, which commands that never
     * open the store should not pay); {@link #bindToLoopback} checks that H2 took it.
     */
    public static void askForLoopback() {
        if (!"127.0.0.1".equals(System.getProperty("h2.bindAddress"))) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    public Path dir() {
        return dir;
    }

    public Path dataFile() {
        return dir.resolve(DATA_FILE);
    }

    public Path passwordFile() {
        return dir.resolve(PASSWORD_FILE);
    }

    /** The JDBC URL of lo's connections (user {@link #USER}). */
    public String url() {
        return url;
    }

    /**
     * The URL of lo's connections, saying what the close of the database does to the file: nothing,
     * H2's timed compaction, or a rewrite of the live pages into a new file (-1: the path of H2's
     * {@code SHUTDOWN COMPACT}, crash-safe: the new file replaces the old by an atomic rename). H2
     * reads {@code MAX_COMPACT_TIME} when a process opens the file and ignores it in the URLs of
     * later connections (those of other processes, through AUTO_SERVER, included): the process that
     * opened the file decides.
     */
    public String url(CompactionRule.Close close) {
        return switch (close) {
            case KEEP -> url + ";MAX_COMPACT_TIME=0";
            case COMPACT -> url;
            case REWRITE -> url + ";MAX_COMPACT_TIME=-1";
        };
    }

    /**
     * The size recorded at the last compacting close; empty when there is none or it is not one
     * lo wrote (then the next close compacts and writes it again).
     */
    public OptionalLong compactedSize() {
        Path file = dir.resolve(COMPACTED_FILE);
        try {
            if (Files.size(file) > 1024) {
                return OptionalLong.empty();
            }
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String size = p.getProperty("size");
            if (size == null || size.isEmpty() || size.length() > 18 || !size.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(size));
        } catch (IOException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Records the data file's size after a compacting close ({@value #COMPACTED_FILE}, 0600, replaced
     * whole). A record that cannot be written (a full disk) only means the next close compacts again.
     */
    public void recordCompactedSize() {
        Path file = dir.resolve(COMPACTED_FILE);
        Path tmp = dir.resolve(COMPACTED_FILE + ".tmp");
        try {
            String text = "# Size of " + DATA_FILE + " after the last close that compacted it; lo compacts again"
                    + " once the file has grown by more than " + CompactionRule.GROWTH + " bytes.\n"
                    + "size=" + Files.size(dataFile()) + "\n";
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PRIVATE_FILE))) {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do: the next close compacts and tries again
            }
        }
    }

    /** Whether H2's lock file is there: some process has the database open. */
    public boolean lockFileExists() {
        return Files.exists(dir.resolve(LOCK_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * lo's password when the store is set up (the password file says ready and the data file is
     * not empty), read without changing anything; empty when {@link #prepare} has work to do.
     */
    public Optional<String> readyPassword() {
        String known = password;
        if (known != null) {
            return Optional.of(known);
        }
        try {
            Credentials creds = Credentials.read(passwordFile());
            Path data = dataFile();
            if (creds != null && creds.ready() && Files.isRegularFile(data) && Files.size(data) > 0) {
                return Optional.of(creds.lo());
            }
        } catch (IOException | RuntimeException e) {
            // prepare() says why, when the command uses the store
        }
        return Optional.empty();
    }

    /** A plain H2 data source with lo's credentials (tests and tools; the app uses Agroal's pool). */
    public JdbcDataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser(USER);
        ds.setPassword(prepare());
        return ds;
    }

    /**
     * Makes the store ready for lo's user and returns that user's password: once per process;
     * later calls return the same password at once.
     *
     * @throws StoreException when the store cannot be used (an empty or unreadable file, a password
     *                        that does not open it, a directory lo cannot write)
     */
    public String prepare() {
        String known = password;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (password == null) {
                password = prepareNow();
            }
            return password;
        }
    }

    private String prepareNow() {
        try {
            ensurePrivateDir();
            Credentials creds = Credentials.read(passwordFile());
            Path data = dataFile();
            if (creds != null && creds.ready() && Files.isRegularFile(data) && Files.size(data) > 0) {
                tightenFiles();
                return creds.lo();
            }
            return underSetupLock(() -> {
                Credentials current = Credentials.read(passwordFile());
                if (Files.exists(data) && Files.size(data) == 0) {
                    throw new StoreException(StoreFailures.emptyFile(data), null);
                }
                if (current != null && current.ready() && !Files.exists(data)) {
                    // The store was made here and its file is gone: a new, empty one would hide the loss.
                    throw new StoreException(StoreFailures.missingFile(data, passwordFile()), null);
                }
                if (current == null) {
                    current = Credentials.generate();
                    current.write(passwordFile());
                }
                if (!current.ready() || !Files.exists(data)) {
                    setUp(current);
                    current = current.markedReady();
                    current.write(passwordFile());
                }
                tightenFiles();
                return current.lo();
            });
        } catch (IOException e) {
            throw new StoreException("event store " + dataFile() + ": " + StoreFailures.cause(e)
                    + ": check the state directory (lo.state-dir / LO_STATE_DIR)", e);
        }
    }

    /** Creates the database, or gives an existing one its passwords, and creates lo's user. */
    private void setUp(Credentials creds) {
        String adminUrl = url.replace(";IFEXISTS=TRUE", "");
        try (Connection c = adminConnection(adminUrl, creds); Statement s = c.createStatement()) {
            // Passwords are hex: safe inside quotes.
            s.execute("CREATE USER IF NOT EXISTS " + USER + " PASSWORD '" + creds.lo() + "'");
            s.execute("ALTER USER " + USER + " SET PASSWORD '" + creds.lo() + "'");
            s.execute("ALTER USER " + USER + " ADMIN FALSE");
            s.execute("GRANT ALTER ANY SCHEMA TO " + USER);
        } catch (SQLException e) {
            throw new StoreException(StoreFailures.describe(dataFile(), "set up", e), e);
        }
    }

    private Connection adminConnection(String adminUrl, Credentials creds) throws SQLException {
        try {
            return RetryPolicy.SHORT.run("open " + dataFile(), () -> DriverManager.getConnection(adminUrl, ADMIN, creds.admin()));
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException s) || s.getErrorCode() != WRONG_USER_OR_PASSWORD) {
                throw e;
            }
        }
        // A store made before lo had passwords: admin SA, empty password.
        Connection legacy;
        try {
            legacy = RetryPolicy.SHORT.run("open " + dataFile(), () -> DriverManager.getConnection(url, ADMIN, ""));
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException s && s.getErrorCode() == WRONG_USER_OR_PASSWORD) {
                throw new StoreException("event store " + dataFile() + ": the password in " + passwordFile()
                        + " does not open it (was that file replaced or deleted?): restore it from a backup, or move"
                        + " the store aside (mv " + dataFile() + " " + dataFile() + ".locked) with the password file (mv "
                        + passwordFile() + " " + passwordFile() + ".locked) to start a new, empty one", s);
            }
            throw e;
        }
        try (Statement s = legacy.createStatement()) {
            s.execute("ALTER USER " + ADMIN + " SET PASSWORD '" + creds.admin() + "'");
        } catch (SQLException e) {
            legacy.close();
            throw e;
        }
        return legacy;
    }

    static final int WRONG_USER_OR_PASSWORD = 28000;

    /** The database files to 0600 (H2 creates them with the process umask; the directory is 0700 anyway). */
    public void tightenFiles() {
        for (String name : DATABASE_FILES) {
            setPrivate(dir.resolve(name), PRIVATE_FILE);
        }
        setPrivate(passwordFile(), PRIVATE_FILE);
        setPrivate(dir.resolve("lo.setup.lock"), PRIVATE_FILE);
        setPrivate(dir.resolve(COMPACTED_FILE), PRIVATE_FILE);
    }

    private static void setPrivate(Path file, Set<PosixFilePermission> perms) {
        try {
            PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.permissions().equals(perms) && attrs.owner().getName().equals(System.getProperty("user.name"))) {
                Files.setPosixFilePermissions(file, perms);
            }
        } catch (NoSuchFileException e) {
            // not there (yet): nothing to protect
        } catch (IOException e) {
            // another user's file, or a file system without modes: the directory's mode protects it
        }
    }

    private void ensurePrivateDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw new FileSystemException(dir.toString(), null, "exists and is not a directory");
                }
            }
        }
        setPrivate(dir, PRIVATE_DIR);
    }

    @FunctionalInterface
    private interface Locked<T> {
        T run() throws IOException;
    }

    private static final Object IN_PROCESS = new Object();

    private <T> T underSetupLock(Locked<T> work) throws IOException {
        synchronized (IN_PROCESS) {
            Path lockFile = dir.resolve("lo.setup.lock");
            try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PRIVATE_FILE))) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                FileLock lock;
                while ((lock = channel.tryLock()) == null) {
                    if (System.nanoTime() > deadline) {
                        throw new StoreException("event store " + dataFile() + ": another lo process has been setting it up"
                                + " for 2 minutes (" + lockFile + " is locked): try again when it is done", null);
                    }
                    sleep(50);
                }
                try (FileLock held = lock) {
                    return work.run();
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to set up the event store", e);
        }
    }

    /** The contents of {@value #PASSWORD_FILE}. {@code ready}: the database accepts them. */
    record Credentials(String admin, String lo, boolean ready) {

        /** Only when passwords are made: a SecureRandom costs ~0.1 s to start. */
        private static final class Random {
            static final SecureRandom INSTANCE = new SecureRandom();
        }

        static Credentials generate() {
            return new Credentials(random(), random(), false);
        }

        private static String random() {
            byte[] bytes = new byte[24];
            Random.INSTANCE.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }

        Credentials markedReady() {
            return new Credentials(admin, lo, true);
        }

        static Credentials read(Path file) throws IOException {
            Properties p = new Properties();
            try {
                p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (NoSuchFileException e) {
                return null;
            } catch (AccessDeniedException e) {
                throw e;
            }
            String admin = p.getProperty("admin");
            String lo = p.getProperty("lo");
            if (!isHex(admin) || !isHex(lo)) {
                throw new FileSystemException(file.toString(), null, "is not a password file written by lo"
                        + " (restore it from a backup, or move the store and it aside to start a new, empty store)");
            }
            return new Credentials(admin, lo, "ready".equals(p.getProperty("state")));
        }

        private static boolean isHex(String s) {
            return s != null && s.length() >= 32 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }

        /** Written to a temporary file first and renamed, so a crash never leaves half a file. */
        void write(Path file) throws IOException {
            String text = "# Passwords of lo's event store (" + DATA_FILE + "). Keep this file private;"
                    + " without it the store cannot be opened.\n"
                    + "admin=" + admin + "\nlo=" + lo + "\nstate=" + (ready ? "ready" : "pending") + "\n";
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PRIVATE_FILE))) {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Runs {@code work} while no other lo process sets up or migrates this store. */
    public void exclusively(Runnable work) {
        try {
            underSetupLock(() -> {
                work.run();
                return null;
            });
        } catch (IOException e) {
            throw new StoreException("event store " + dataFile() + ": " + StoreFailures.cause(e), e);
        }
    }
}
