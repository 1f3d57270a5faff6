package org.unet4j.spark.ml;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.recipes.model.ModelSource;
import org.unet4j.spark.InferenceOptions;
import org.unet4j.spark.PredictorCache;

/**
 * A Spark ML stage that segments the image of every row with a trained unet4j model, as
 * {@code Model.predict} does: overlap tiles with mirrored borders, test-time augmentation and the
 * recipe's instance post-processing.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("plates/*.tif");
 * UNetSegmenter segmenter = new UNetSegmenter().setModelPath("runs/nuclei").setInputCol("content");
 * Dataset<Row> cells = new Pipeline().setStages(new PipelineStage[] {segmenter}).fit(images)
 *     .transform(images).select("path", "segmentation.objects");
 * }</pre>
 *
 * <p><b>Input.</b> {@code inputCol} holds either image paths (string: a path every executor sees,
 * or a {@code file:} URI) or image files' content (binary, as {@code spark.read().format("binaryFile")}
 * gives in its column {@code content}, from any file system Spark reads). One TIFF or PNG page per
 * row, with the model's channels. A null input gives a null output.
 *
 * <p><b>Output.</b> {@code outputCol} is a struct ({@link #outputType()}): {@code width} and
 * {@code height} of the image; {@code objects}, the number of instances; {@code foregroundFraction},
 * the share of pixels inside an instance; {@code labels}, the instance label image row by row
 * ({@code labels[y * width + x]}: 0 for background, 1..objects), the pixels of the
 * {@code NAME_labels.tif} that {@code unet4j predict} writes; {@code probabilities}, the foreground
 * probability of every pixel when {@code probabilities} is true (else null); {@code error}, null, or
 * why the row's image could not be segmented (unreadable, a stack, wrong channels), in which case
 * the other fields are null and the job goes on.
 *
 * <p><b>Model.</b> {@code modelPath} is a run directory, checkpoint or export that every executor
 * sees at that path. The driver checks it and the inference params against it without TensorFlow
 * when the stage transforms; each executor JVM then opens it once ({@link PredictorCache}) and
 * shares it between its tasks. The inference params ({@code tile}, {@code batchSize}, {@code tta},
 * {@code threshold}, {@code instances}, {@code seedThreshold}, {@code thinBoundaries}) override the recipe's
 * {@code inference.*} when set.
 *
 * <p>The stage is saved and loaded with its params ({@code write().save(dir)},
 * {@link #load(String)}), alone or in a {@code PipelineModel}; the model itself is not copied.
 * For whole collections written to files, with stacks and pages too large for one task,
 * {@link org.unet4j.spark.SparkPrediction} balances the work better.
 */
public final class UNetSegmenter extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private static final List<String> TTA_NAMES = names(TestTimeAugmentation.values());
  private static final List<String> INSTANCE_NAMES = names(InstanceMethod.values());
  private static final List<String> THINNING_NAMES = names(ThinningMethod.values());

  private static final StructType OUTPUT = new StructType(new StructField[] {
      DataTypes.createStructField("width", DataTypes.IntegerType, true),
      DataTypes.createStructField("height", DataTypes.IntegerType, true),
      DataTypes.createStructField("objects", DataTypes.IntegerType, true),
      DataTypes.createStructField("foregroundFraction", DataTypes.DoubleType, true),
      DataTypes.createStructField("labels", DataTypes.createArrayType(DataTypes.IntegerType, false), true),
      DataTypes.createStructField("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), true),
      DataTypes.createStructField("error", DataTypes.StringType, true)});

  private final String uid;
  private final Param<String> modelPath;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final BooleanParam probabilities;
  private final IntParam tile;
  private final IntParam batchSize;
  private final Param<String> tta;
  private final DoubleParam threshold;
  private final Param<String> instances;
  private final DoubleParam seedThreshold;
  private final Param<String> thinBoundaries;

  /** A stage with a new uid. */
  public UNetSegmenter() {
    this(Identifiable$.MODULE$.randomUID("UNetSegmenter"));
  }

  /** A stage with {@code uid}: Spark ML's copy and load create stages this way. */
  public UNetSegmenter(String uid) {
    this.uid = checkNotNull(uid, "uid");
    modelPath = new Param<>(this, "modelPath", "the model: a run directory, checkpoint or export, at a path every"
        + " executor sees");
    inputCol = new Param<>(this, "inputCol", "the column of images: paths (string) or file content (binary, as"
        + " binaryFile reads it)");
    outputCol = new Param<>(this, "outputCol", "the column of segmentations (a struct)");
    probabilities = new BooleanParam(this, "probabilities", "whether the output holds every pixel's foreground"
        + " probability");
    tile = new IntParam(this, "tile", "the input tile size in pixels; unset: the recipe's inference.tile",
        ParamValidators.gtEq(1));
    batchSize = new IntParam(this, "batchSize", "tiles predicted together; unset: the recipe's inference.batchSize",
        ParamValidators.gtEq(1));
    tta = new Param<>(this, "tta", "test-time augmentation, one of " + String.join(", ", TTA_NAMES)
        + "; unset: the recipe's inference.tta", ParamValidators.inArray(TTA_NAMES));
    threshold = new DoubleParam(this, "threshold", "the foreground threshold 0..1; unset: the recipe's"
        + " inference.threshold", ParamValidators.inRange(0, 1));
    instances = new Param<>(this, "instances", "how instances are cut from the foreground, one of "
        + String.join(", ", INSTANCE_NAMES) + "; unset: the recipe's inference.instances",
        ParamValidators.inArray(INSTANCE_NAMES));
    seedThreshold = new DoubleParam(this, "seedThreshold", "the watershed's seed threshold 0..1; unset: the"
        + " recipe's inference.seedThreshold", ParamValidators.inRange(0, 1));
    thinBoundaries = new Param<>(this, "thinBoundaries", "how the boundaries between the regions above the threshold"
        + " are thinned to one-pixel dams, one of " + String.join(", ", THINNING_NAMES) + "; unset: the recipe's"
        + " inference.thinBoundaries", ParamValidators.inArray(THINNING_NAMES));
    setDefault(inputCol, "content");
    setDefault(outputCol, "segmentation");
    setDefault(probabilities, false);
  }

  /** Reads stages written by {@code write().save(dir)}; Spark ML finds it by name in a saved pipeline. */
  public static MLReader<UNetSegmenter> read() {
    return new DefaultParamsReader<>();
  }

  /** The stage saved in {@code path}. */
  public static UNetSegmenter load(String path) {
    return read().load(path);
  }

  /** The type of the output column; see the class comment for its fields. */
  public static StructType outputType() {
    return OUTPUT;
  }

  @Override
  public String uid() {
    return uid;
  }

  // Spark ML finds a stage's params by their public getters (Params.params).

  public Param<String> modelPath() {
    return modelPath;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public BooleanParam probabilities() {
    return probabilities;
  }

  public IntParam tile() {
    return tile;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public Param<String> tta() {
    return tta;
  }

  public DoubleParam threshold() {
    return threshold;
  }

  public Param<String> instances() {
    return instances;
  }

  public DoubleParam seedThreshold() {
    return seedThreshold;
  }

  public Param<String> thinBoundaries() {
    return thinBoundaries;
  }

  public UNetSegmenter setModelPath(String value) {
    set(modelPath, value);
    return this;
  }

  public UNetSegmenter setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public UNetSegmenter setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  public UNetSegmenter setProbabilities(boolean value) {
    set(probabilities, value);
    return this;
  }

  public UNetSegmenter setTile(int value) {
    set(tile, value);
    return this;
  }

  public UNetSegmenter setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  public UNetSegmenter setTta(TestTimeAugmentation value) {
    set(tta, JsonNames.of(value));
    return this;
  }

  public UNetSegmenter setThreshold(double value) {
    set(threshold, value);
    return this;
  }

  public UNetSegmenter setInstances(InstanceMethod value) {
    set(instances, JsonNames.of(value));
    return this;
  }

  public UNetSegmenter setSeedThreshold(double value) {
    set(seedThreshold, value);
    return this;
  }

  public UNetSegmenter setThinBoundaries(ThinningMethod value) {
    set(thinBoundaries, JsonNames.of(value));
    return this;
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  /** The inference params that are set, as overrides of the model recipe's settings. */
  public InferenceOptions inferenceOptions() {
    String mode = optional(tta);
    String method = optional(instances);
    String thinning = optional(thinBoundaries);
    return new InferenceOptions((Integer) optional(tile), (Integer) optional(batchSize),
        mode == null ? null : JsonNames.constant(TestTimeAugmentation.class, mode), (Double) optional(threshold),
        method == null ? null : JsonNames.constant(InstanceMethod.class, method), (Double) optional(seedThreshold),
        null, thinning == null ? null : JsonNames.constant(ThinningMethod.class, thinning));
  }

  /**
   * The input schema with the output column.
   *
   * @throws StageInputException when {@code modelPath} is not set, the input column is missing or
   *     neither string nor binary, or the output column exists already
   */
  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(modelPath)) {
      throw new StageInputException(uid + ": modelPath is not set; give the model's run directory, checkpoint or"
          + " export");
    }
    String in = getInputCol();
    List<String> columns = Arrays.asList(schema.fieldNames());
    if (!columns.contains(in)) {
      throw new StageInputException(uid + ": the input column \"" + in + "\" is not in the data; its columns: "
          + String.join(", ", columns));
    }
    DataType type = schema.apply(in).dataType();
    if (!type.equals(DataTypes.StringType) && !type.equals(DataTypes.BinaryType)) {
      throw new StageInputException(uid + ": the input column \"" + in + "\" holds " + type.simpleString()
          + "; the stage reads image paths (string) or image file content (binary, the column content of"
          + " spark.read().format(\"binaryFile\"))");
    }
    String out = getOutputCol();
    if (columns.contains(out)) {
      throw new StageInputException(uid + ": the output column \"" + out + "\" is in the data already; choose"
          + " another outputCol");
    }
    return schema.add(out, OUTPUT, true);
  }

  /**
   * {@code dataset} with the output column, computed lazily on the executors.
   *
   * @throws StageInputException as {@link #transformSchema}
   * @throws org.unet4j.recipes.model.CheckpointException when the model is missing or not a model
   * @throws org.unet4j.dsl.InvalidInputException when an inference param does not fit the model
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    checkNotNull(dataset, "dataset");
    StructType schema = dataset.schema();
    transformSchema(schema);
    Path model = Path.of(getOrDefault(modelPath)).toAbsolutePath().normalize();
    InferenceOptions options = inferenceOptions();
    options.checkedFor(ModelSource.of(model));
    String in = getInputCol();
    RowSegmenter segmenter = new RowSegmenter(model.toString(), options, (Boolean) getOrDefault(probabilities), in);
    UserDefinedFunction udf = schema.apply(in).dataType().equals(DataTypes.StringType)
        ? functions.udf((UDF1<String, Row>) segmenter::ofPath, OUTPUT)
        : functions.udf((UDF1<byte[], Row>) segmenter::ofContent, OUTPUT);
    return dataset.withColumn(getOutputCol(), udf.apply(dataset.col(in)));
  }

  @Override
  public UNetSegmenter copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  private <T> @Nullable T optional(Param<T> param) {
    return isDefined(param) ? getOrDefault(param) : null;
  }

  private static List<String> names(Enum<?>[] constants) {
    return Arrays.stream(constants).map(JsonNames::of).toList();
  }
}
