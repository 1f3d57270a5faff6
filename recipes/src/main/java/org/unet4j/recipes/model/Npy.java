package org.unet4j.recipes.model;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * NumPy's {@code .npy} format 1.0 for float32 arrays, as bioimage.io's test tensors are stored:
 * the magic {@code \x93NUMPY}, version 1.0, a little-endian 2-byte header length, a Python dict
 * literal header padded with spaces and ended by a newline so that the data starts at a multiple
 * of 64 bytes, then the values little-endian ({@code <f4}) in C order.
 */
final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final int ALIGNMENT = 64;

  private Npy() {}

  /** The file's bytes for {@code values} of {@code shape} (C order: the last axis varies fastest). */
  static byte[] float32(long[] shape, float[] values) {
    long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    checkArgument(Arrays.stream(shape).allMatch(d -> d >= 0) && count == values.length,
        "shape %s holds %s values, got %s", Arrays.toString(shape), count, values.length);
    // NumPy writes a one-element tuple as (n,) and the others as (a, b, c).
    String dims = shape.length == 1 ? shape[0] + ","
        : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int prefix = MAGIC.length + 2;
    int headerLength = (prefix + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT - prefix;
    String header = dict + " ".repeat(headerLength - dict.length() - 1) + "\n";
    ByteBuffer out = ByteBuffer.allocate(prefix + headerLength + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putShort((short) headerLength).put(header.getBytes(StandardCharsets.US_ASCII));
    out.asFloatBuffer().put(values);
    return out.array();
  }
}
