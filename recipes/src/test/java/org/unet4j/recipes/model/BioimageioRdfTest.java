package org.unet4j.recipes.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.IntensityScaling;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.recipes.data.PixelType;

class BioimageioRdfTest {
  @Test
  void percentileScalingIsScaleRangeOverTheWholeImage() {
    ObjectNode step = BioimageioRdf.preprocessing(new NormalizationSpec(IntensityScaling.PERCENTILE, 2, 97.5),
        PixelType.UINT16);
    assertEquals("{\"id\":\"scale_range\",\"kwargs\":{\"axes\":[\"y\",\"x\",\"channel\"],\"min_percentile\":2.0,"
        + "\"max_percentile\":97.5}}", step.toString());
  }

  @Test
  void minMaxIsScaleRangeFromPercentile0To100() {
    ObjectNode step = BioimageioRdf.preprocessing(new NormalizationSpec(IntensityScaling.MIN_MAX, 1, 99.8),
        PixelType.UINT8);
    assertEquals("{\"id\":\"scale_range\",\"kwargs\":{\"axes\":[\"y\",\"x\",\"channel\"],\"min_percentile\":0.0,"
        + "\"max_percentile\":100.0}}", step.toString());
  }

  @Test
  void zScoreIsZeroMeanUnitVariance() {
    ObjectNode step = BioimageioRdf.preprocessing(new NormalizationSpec(IntensityScaling.Z_SCORE, 1, 99.8),
        PixelType.UINT8);
    assertEquals("{\"id\":\"zero_mean_unit_variance\",\"kwargs\":{\"axes\":[\"y\",\"x\",\"channel\"]}}",
        step.toString());
  }

  @Test
  void typeRangeIsScaleLinearByTheTestImagesType() {
    NormalizationSpec typeRange = new NormalizationSpec(IntensityScaling.TYPE_RANGE, 1, 99.8);
    ObjectNode uint8 = BioimageioRdf.preprocessing(typeRange, PixelType.UINT8);
    assertEquals("scale_linear", uint8.get("id").textValue());
    assertEquals(1 / 255.0, uint8.at("/kwargs/gain").doubleValue(), 1e-15);
    assertEquals(0.0, uint8.at("/kwargs/offset").doubleValue());
    assertEquals(1 / 65535.0, BioimageioRdf.preprocessing(typeRange, PixelType.UINT16).at("/kwargs/gain")
        .doubleValue(), 1e-15);
    assertNull(BioimageioRdf.preprocessing(typeRange, PixelType.FLOAT32), "float images go in as they are");
  }

  @Test
  void npyBytesAreWhatNumpyWrites() {
    byte[] file = Npy.float32(new long[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, -0.5f});
    // Written out by hand from the format's description: 10 bytes of preamble, 118 of header.
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }";
    assertEquals(128 + 24, file.length);
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}, Arrays.copyOf(file, 10));
    assertEquals(dict + " ".repeat(118 - dict.length() - 1) + "\n",
        new String(file, 10, 118, StandardCharsets.US_ASCII));
    float[] values = new float[6];
    ByteBuffer.wrap(file, 128, 24).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, -0.5f}, values);
    assertEquals(0x3f800000, ByteBuffer.wrap(file, 132, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(), "1.0f, <f4");
  }

  @Test
  void npyWritesAOneElementTupleWithItsComma() {
    byte[] file = Npy.float32(new long[] {3}, new float[3]);
    String header = new String(file, 10, file[8] & 0xff, StandardCharsets.US_ASCII);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header.strip());
    assertEquals(0, (10 + header.length()) % 64);
  }

  @Test
  void npyRefusesAShapeThatDoesNotHoldTheValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Npy.float32(new long[] {2, 2}, new float[3]));
    assertEquals("shape [2, 2] holds 4 values, got 3", e.getMessage());
  }
}
