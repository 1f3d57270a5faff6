package org.unet4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line with captured output. */
record CliRun(int status, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Unet4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(status, out.toString(), err.toString());
  }
}
