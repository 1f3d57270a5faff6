package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The words a log line or the benchmark prints for a model's convolution forms. */
class ConvolutionFormTest {
  @Test
  void theMostFrequentFormComesFirstWithItsLayersInOrder() {
    Map<String, ConvolutionForm> forms = new LinkedHashMap<>();
    forms.put("contracting/0/conv1", ConvolutionForm.CONV2D);
    forms.put("contracting/0/conv2", ConvolutionForm.WINOGRAD_4X4);
    forms.put("expanding/0/upconv", ConvolutionForm.MATMUL);
    forms.put("expanding/0/conv1", ConvolutionForm.WINOGRAD_4X4);
    forms.put("head", ConvolutionForm.MATMUL);
    forms.put("bottleneck/conv1", ConvolutionForm.WINOGRAD_4X4);
    assertEquals("winograd_4x4 3 (contracting/0/conv2, expanding/0/conv1, bottleneck/conv1); "
        + "matmul 2 (expanding/0/upconv, head); conv2d 1 (contracting/0/conv1)", ConvolutionForm.describe(forms));
  }

  @Test
  void tiesKeepTheDeclarationOrderAndNoFormsGiveNothing() {
    Map<String, ConvolutionForm> forms = new LinkedHashMap<>();
    forms.put("head", ConvolutionForm.WINOGRAD_2X2);
    forms.put("a", ConvolutionForm.CONV2D);
    assertEquals("conv2d 1 (a); winograd_2x2 1 (head)", ConvolutionForm.describe(forms));
    assertEquals("", ConvolutionForm.describe(Map.of()));
  }
}
