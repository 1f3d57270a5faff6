package org.unet4j.cli;

import java.util.List;

/**
 * Commands that a module built on top of the command line adds to {@code unet4j}, such as
 * {@code spark-predict} from the spark module. {@link Unet4j} finds every provider on the class
 * path through {@link java.util.ServiceLoader}: a module lists its implementation in
 * {@code META-INF/services/org.unet4j.cli.CommandProvider}, and its commands get the same options,
 * help, error messages and exit statuses as the built-in ones, with no entry point of its own.
 *
 * <p>This interface is the only part of the command line that another module should use.
 */
@FunctionalInterface
public interface CommandProvider {
  /**
   * New picocli command objects (classes annotated with {@code @Command}), asked for once per
   * run of the command line so that no option value is left over from an earlier run.
   */
  List<Object> commands();
}
