package org.unet4j.layers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ops one compiled convolution or up-convolution became ({@link CompiledModel#convolutionForms()}):
 * what {@link ConvolutionLowering} and the machine decided for that layer, reported by the benchmark
 * and the trainer so that a measured speed can be traced to its form.
 */
public enum ConvolutionForm {
  /** TensorFlow's {@code Conv2D} (or {@code Conv2DBackpropInput} for an up-convolution). */
  CONV2D,
  /**
   * TensorFlow's {@code Conv3D} (or {@code Conv3DBackpropInputV2} for an up-convolution) in a 3D
   * net, differentiated through {@link Conv3dGradients}.
   */
  CONV3D,
  /** A matrix product: im2col for a k x k convolution, the product alone for a 1x1, then {@code DepthToSpace} for an up-convolution (in a 3D net: the patch gather and a transpose). */
  MATMUL,
  /** Winograd's F(2x2, 3x3): 16 multiplications per 4 outputs and channel pair. */
  WINOGRAD_2X2,
  /** Winograd's F(4x4, 3x3): 36 multiplications per 16 outputs and channel pair. */
  WINOGRAD_4X4;

  /** The lower-case name used in reports: {@code conv2d}, {@code matmul}, {@code winograd_4x4}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@link CompiledModel#convolutionForms()} in words for a log line, the most frequent form first
   * (ties in declaration order), each with its layers in the map's order:
   * {@code winograd_4x4 17 (contracting/0/conv2, ...); matmul 5 (...); conv2d 1 (contracting/0/conv1)}.
   */
  public static String describe(Map<String, ConvolutionForm> forms) {
    Map<ConvolutionForm, List<String>> byForm = new EnumMap<>(ConvolutionForm.class);
    forms.forEach((layer, form) -> byForm.computeIfAbsent(form, f -> new ArrayList<>()).add(layer));
    return byForm.entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<ConvolutionForm, List<String>> e) -> -e.getValue().size()))
        .map(e -> e.getKey().label() + " " + e.getValue().size() + " (" + String.join(", ", e.getValue()) + ")")
        .collect(Collectors.joining("; "));
  }
}
