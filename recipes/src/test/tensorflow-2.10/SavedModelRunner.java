import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Runs a SavedModel the way deepImageJ's TensorFlow 2 engine does, with TensorFlow Java 0.5.0
 * (TensorFlow 2.10): {@code java -cp <0.5.0 jars> SavedModelRunner.java MODEL_DIR INPUT OUTPUT
 * INPUT_KEY OUTPUT_KEY}. It reads a float32 {@code .npy}, feeds it to the serving signature and
 * writes the output as {@code .npy}. Compiled and run by the JVM from this source file, so it never
 * meets the TensorFlow Java 1.1.0 classes of the build.
 */
public final class SavedModelRunner {
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    byte[] file = Files.readAllBytes(Path.of(args[1]));
    int headerLength = (file[8] & 0xff) | (file[9] & 0xff) << 8;
    String header = new String(file, 10, headerLength, StandardCharsets.ISO_8859_1);
    if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
      throw new IllegalArgumentException("expected little-endian float32 in C order: " + header);
    }
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException("no shape in " + header);
    }
    long[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
    ByteBuffer.wrap(file, 10 + headerLength, values.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
        .get(values);
    System.out.println("tensorflow " + TensorFlow.version());
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
        Result result = bundle.call(Map.of(args[3], input))) {
      TFloat32 output = (TFloat32) result.get(args[4]).orElseThrow();
      float[] out = new float[Math.toIntExact(output.size())];
      output.read(DataBuffers.of(out, false, false));
      writeNpy(Path.of(args[2]), output.shape().asArray(), out);
    }
  }

  /** The plainest .npy 1.0 writer; the test reads it with its own parser. */
  private static void writeNpy(Path file, long[] shape, float[] values) throws Exception {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String text = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    int padded = ((10 + text.length() + 1 + 63) / 64) * 64 - 10;
    String header = text + " ".repeat(padded - text.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (padded & 0xff), (byte) (padded >> 8)});
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    out.write(data.array());
    Files.write(file, out.toByteArray());
  }
}
