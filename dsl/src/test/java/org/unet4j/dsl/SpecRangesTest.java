package org.unet4j.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.HeadSpec;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.StageSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.CosineSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.DiceLoss;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.FlipTransform;
import org.unet4j.dsl.recipe.FocalLoss;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.LossTerm;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.RotationTransform;
import org.unet4j.dsl.recipe.ScaleTransform;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.dsl.recipe.ShiftTransform;
import org.unet4j.dsl.recipe.StepSchedule;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * Every spec record refuses an out-of-range value in its own constructor, naming the component:
 * each ranged component of each record is set just outside its range (and to NaN) on an
 * otherwise valid spec.
 */
class SpecRangesTest {
  /** One valid value of every spec record that has ranged components. */
  private static final List<Record> SAMPLES = List.of(
      UNet.paper(), StageSpec.paper(64), ExpandingStageSpec.paper(64), HeadSpec.paper(), Pooling.max(2),
      AdamOptimizer.defaults(), SgdOptimizer.paper(), new CosineSchedule(0), new StepSchedule(100, 0.5),
      new DiceLoss(1), new FocalLoss(2), WeightedCrossEntropyLoss.paper(),
      new LossTerm(1, new DiceLoss(1)), ElasticTransform.paper(), FlipTransform.builder().build(),
      new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02), new RotationTransform(1, 180), new ShiftTransform(1, 16),
      new ScaleTransform(1, 0.8, 1.25), DataSpec.none(), NormalizationSpec.percentile(), InferenceSpec.paper(),
      TrainingSpec.paper());

  static Stream<Arguments> outOfRange() {
    List<Arguments> cases = new ArrayList<>();
    for (Record sample : SAMPLES) {
      for (RecordComponent c : sample.getClass().getRecordComponents()) {
        Range range = c.getAnnotation(Range.class);
        if (range == null) {
          continue;
        }
        boolean integral = c.getType() != double.class;
        double below = range.minExclusive() || integral ? range.min() - (range.minExclusive() ? 0 : 1)
            : Math.nextDown(range.min());
        double above = range.maxExclusive() || integral ? range.max() + (range.maxExclusive() ? 0 : 1)
            : Math.nextUp(range.max());
        String name = sample.getClass().getSimpleName() + "." + c.getName();
        cases.add(Arguments.of(name + " below", sample, c.getName(), below));
        cases.add(Arguments.of(name + " above", sample, c.getName(), above));
        if (!integral) {
          cases.add(Arguments.of(name + " NaN", sample, c.getName(), Double.NaN));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outOfRange")
  void theConstructorRefusesAValueOutsideTheRange(String name, Record sample, String component, double value) {
    SpecException e = assertThrows(SpecException.class, () -> construct(sample, component, value));
    assertEquals(component, e.path(), e.getMessage());
    Range range = componentOf(sample, component).getAnnotation(Range.class);
    boolean integral = componentOf(sample, component).getType() != double.class;
    assertEquals(component + ": expected " + Specs.describe(range, integral) + ", got "
        + Specs.format(value, integral), e.getMessage());
  }

  @Test
  void aNegativeStepCountFailsWhereItIsWritten() {
    SpecException e = assertThrows(SpecException.class, () -> new TrainingSpec(SgdOptimizer.paper(), 0.01,
        new ConstantSchedule(), 0, -5, 1, 572, 42, 500, 0));
    assertEquals("steps: expected 1..1000000000, got -5", e.getMessage());
  }

  /** Every record of the spec packages with a ranged component has a sample above. */
  @Test
  void everyRangedRecordIsSampled() throws IOException, URISyntaxException {
    Set<String> ranged = new TreeSet<>();
    Path root = Path.of(Specs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('/', '.').replaceFirst("\\.class$", "");
        Class<?> type = loadQuietly(name);
        if (type != null && type.isRecord() && Arrays.stream(type.getRecordComponents())
            .anyMatch(c -> c.getAnnotation(Range.class) != null)) {
          ranged.add(type.getSimpleName());
        }
      }
    }
    Set<String> sampled = new TreeSet<>();
    SAMPLES.forEach(s -> sampled.add(s.getClass().getSimpleName()));
    assertTrue(ranged.size() > 20, "found only " + ranged);
    assertEquals(ranged, sampled);
  }

  private static Class<?> loadQuietly(String name) {
    try {
      return Class.forName(name, false, SpecRangesTest.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static RecordComponent componentOf(Record sample, String component) {
    return Arrays.stream(sample.getClass().getRecordComponents()).filter(c -> c.getName().equals(component))
        .findFirst().orElseThrow();
  }

  private static Object construct(Record sample, String component, double value) throws Throwable {
    RecordComponent[] components = sample.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      args[i] = c.getName().equals(component) ? box(c.getType(), value) : c.getAccessor().invoke(sample);
    }
    Constructor<?> constructor = sample.getClass().getDeclaredConstructor(types);
    assertTrue(Modifier.isPublic(constructor.getModifiers()));
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Object box(Class<?> type, double value) {
    if (type == int.class) {
      return (int) value;
    }
    if (type == long.class) {
      return (long) value;
    }
    return value;
  }
}
