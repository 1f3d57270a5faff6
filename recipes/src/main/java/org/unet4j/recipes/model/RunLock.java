package org.unet4j.recipes.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The lock of a run directory, held by the one process that writes it: the file {@code run.lock}
 * created exclusively, holding the owner's pid, host and start time. Two trainers on one run would
 * both write the same checkpoints and lose each other's metrics, so a second writer is refused at
 * once, naming the owner. A lock left by a process that died (same host, pid no longer alive) is
 * stale and is taken over; a lock from another host is never presumed stale, since its process
 * cannot be seen from here.
 */
public final class RunLock implements AutoCloseable {
  static final String FILE = "run.lock";

  private final Path file;
  private final String content;

  private RunLock(Path file, String content) {
    this.file = file;
    this.content = content;
  }

  /** The owner of a lock as its file records it. */
  record Owner(long pid, String host, String since) {
    static Optional<Owner> parse(String text) {
      String[] f = text.strip().split(" ", 3);
      if (f.length < 3) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Owner(Long.parseLong(f[0]), f[1], f[2]));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    String line() {
      return pid + " " + host + " " + since + "\n";
    }

    boolean isGone() {
      return host.equals(thisHost()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
  }

  /**
   * Takes the lock of {@code root} (which must exist), clearing a stale one.
   *
   * @throws RunLockedException when a live process holds it
   */
  public static RunLock acquire(Path root) {
    Path file = root.resolve(FILE);
    Owner me = new Owner(ProcessHandle.current().pid(), thisHost(), Instant.now().toString());
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Files.writeString(file, me.line(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return new RunLock(file, me.line());
      } catch (FileAlreadyExistsException held) {
        String text;
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException released) {
          continue;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the lock " + file, e);
        }
        Optional<Owner> owner = Owner.parse(text);
        if (owner.isPresent() && !owner.get().isGone()) {
          throw new RunLockedException(root + " is in use: process " + owner.get().pid() + " on " + owner.get().host()
              + " has been writing it since " + owner.get().since() + " (" + file + "); wait until it ends, or if"
              + " that process is gone, delete the lock file");
        }
        // Stale (its process has ended) or unreadable (a kill while it was being written).
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot clear the stale lock " + file, e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the lock " + file, e);
      }
    }
    throw new RunLockedException(root + " is in use: its lock " + file + " keeps being taken by other processes");
  }

  /** Releases the lock if this process still holds it. */
  @Override
  public void close() {
    try {
      if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock " + file, e);
    }
  }

  /** The name this machine writes into a lock file, so a lock from another machine is never broken. */
  public static String thisHost() {
    try {
      return InetAddress.getLocalHost().getHostName().replace(' ', '_');
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost").replace(' ', '_');
    }
  }
}
