package org.unet4j.recipes.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;

class LegacyGraphsTest {
  @TempDir Path dir;

  @Test
  void attributesAtTheirDefaultAreDroppedAndTheGraphComputesTheSame() throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(1, 4, 4, 1)));
      // A 3x3 kernel of ones: each output is the sum of a 3x3 window.
      var y = tf.withName("y").nn.conv2d(x, tf.constant(new float[][][][] {
          {{{1}}, {{1}}, {{1}}}, {{{1}}, {{1}}, {{1}}}, {{{1}}, {{1}}, {{1}}}}), List.of(1L, 1L, 1L, 1L), "VALID");
      SavedModelBundle.exporter(dir.toString()).withSession(s)
          .withSignature(Signature.builder().input("x", x).output("y", y).build()).export();
    }
    Path pb = dir.resolve(ModelExport.SAVED_MODEL);
    // Conv2D's use_cudnn_on_gpu, explicit_paddings, data_format and dilations have defaults and
    // hold them here; strides, padding and T have none.
    int dropped = LegacyGraphs.stripDefaultAttributes(pb);
    NodeDef conv = SavedModel.parseFrom(Files.readAllBytes(pb)).getMetaGraphs(0).getGraphDef().getNodeList()
        .stream().filter(n -> n.getName().equals("y")).findFirst().orElseThrow();
    assertEquals(Set.of("T", "strides", "padding"), conv.getAttrMap().keySet());
    assertTrue(dropped >= 4, "dropped " + dropped);

    float[] image = new float[16];
    for (int i = 0; i < 16; i++) {
      image[i] = i;
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 in = TFloat32.tensorOf(Shape.of(1, 4, 4, 1), DataBuffers.of(image, true, false));
        Result result = bundle.call(Map.of("x", in))) {
      float[] out = new float[4];
      ((TFloat32) result.get("y").orElseThrow()).copyTo(DataBuffers.of(out, false, false));
      // Windows of a 4x4 ramp 0..15: top-left sum 0+1+2+4+5+6+8+9+10 = 45, then +9 per column, +36 per row.
      assertArrayEquals(new float[] {45, 54, 81, 90}, out);
    }
  }
}
