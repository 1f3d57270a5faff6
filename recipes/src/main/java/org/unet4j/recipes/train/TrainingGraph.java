package org.unet4j.recipes.train;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.ndarray.buffer.LongDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Identity;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.SgdOptimizer;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.ModelVariable;
import org.unet4j.layers.Sessions;
import org.unet4j.losses.Loss;
import org.unet4j.losses.LossInputs;
import org.unet4j.losses.Losses;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * A recipe's model compiled at its training tile, with the loss, the gradients and the optimizer
 * update, and the session that runs them. One {@link #step} is forward, backward and update.
 *
 * <p>The optimizer is built by hand from {@code ApplyMomentum} / {@code ApplyAdam} so that slots
 * carry spec-path names ({@code optimizer/contracting/0/conv1/kernel/momentum}) and the learning
 * rate is fed each step (the schedule lives in Java, see {@link LearningRate}).
 *
 * <p>{@link #step} reuses its input tensors and its feed list from step to step: a step copies the
 * batch into the same native buffers and allocates next to nothing on the Java heap. Steps
 * therefore run one at a time, as training does.
 */
public final class TrainingGraph implements AutoCloseable {
  /** Op name of the fed class labels, int32 {@code [batch, out, out]}. */
  public static final String LABELS = "labels";
  /** Op name of the fed pixel weights, float32 {@code [batch, out, out]}. */
  public static final String WEIGHTS = "weights";
  /** Op name of the scalar loss. */
  public static final String LOSS = "loss";

  private final Recipe recipe;
  private final CompiledModel model;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> weights;
  private final PlaceholderWithDefault<TFloat32> learningRate;
  private final @Nullable Placeholder<TFloat32> beta1Power;
  private final @Nullable Placeholder<TFloat32> beta2Power;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> gradientNorm;
  private final Op train;
  private final Operand<TBool> weightsFinite;
  private final ImmutableList<Variable<TFloat32>> slots;
  private final @Nullable PlaceholderWithDefault<TFloat32> averageDecay;
  private final @Nullable WeightSwap swap;
  private final Session session;
  private @Nullable StepFeeds feeds;

  private TrainingGraph(Recipe recipe, CompiledModel model, Loss objective, int threads) {
    this.recipe = recipe;
    this.model = model;
    Graph graph = model.graph();
    Ops tf = Ops.create(graph);
    Shape target = targetShape(recipe, model);
    labels = tf.withName(LABELS).placeholder(TInt32.class, Placeholder.shape(target));
    weights = tf.withName(WEIGHTS).placeholder(TFloat32.class, Placeholder.shape(target));
    Ops lossScope = tf.withSubScope("loss_terms");
    LossInputs inputs = LossInputs.of(lossScope, model.logits(), labels, weights, recipe.model().classes(),
        recipe.model().head().activation());
    loss = tf.withName(LOSS).identity(objective.build(lossScope, inputs));
    learningRate = tf.withName("learning_rate").placeholderWithDefault(tf.constant(0f), Shape.scalar());

    List<ModelVariable> trainable = model.trainableVariables();
    Output<?>[] vars = trainable.stream().map(v -> v.variable().asOutput()).toArray(Output<?>[]::new);
    List<Operand<TFloat32>> grads = gatedGradients(tf, graph.addGradients(loss.asOutput(), vars));
    // The squared global norm of the gradients: a NaN or infinity anywhere shows in this one scalar,
    // so a step that would poison the weights is caught before any checkpoint is written.
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> g : grads) {
      squares.add(tf.reduceSum(tf.math.square(g), tf.range(tf.constant(0), tf.rank(g), tf.constant(1))));
    }
    gradientNorm = tf.withName("gradient_norm").math.sqrt(tf.math.addN(squares));

    SlotScopes scopes = new SlotScopes(tf.withSubScope("optimizer"));
    List<Op> updates = new ArrayList<>();
    List<Variable<TFloat32>> created = new ArrayList<>();
    if (recipe.training().optimizer() instanceof AdamOptimizer adam) {
      beta1Power = tf.withName("adam_beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      beta2Power = tf.withName("adam_beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      for (int i = 0; i < trainable.size(); i++) {
        ModelVariable v = trainable.get(i);
        Variable<TFloat32> m = scopes.slot(v, "m");
        Variable<TFloat32> s = scopes.slot(v, "v");
        created.add(m);
        created.add(s);
        Operand<TFloat32> g = grads.get(i);
        updates.add(tf.train.applyAdam(v.variable(), m, s, beta1Power, beta2Power, learningRate,
            tf.constant((float) adam.beta1()), tf.constant((float) adam.beta2()), tf.constant((float) adam.epsilon()),
            g));
      }
    } else if (recipe.training().optimizer() instanceof SgdOptimizer sgd) {
      beta1Power = null;
      beta2Power = null;
      for (int i = 0; i < trainable.size(); i++) {
        ModelVariable v = trainable.get(i);
        Variable<TFloat32> accumulator = scopes.slot(v, "momentum");
        created.add(accumulator);
        Operand<TFloat32> g = grads.get(i);
        // Caffe-style momentum, as the paper trained: acc = m acc + g; w -= lr acc.
        updates.add(tf.train.applyMomentum(v.variable(), accumulator, learningRate, g,
            tf.constant((float) sgd.momentum())));
      }
    } else {
      throw new IllegalStateException("unknown optimizer " + recipe.training().optimizer());
    }
    updates.add(model.movingAverageUpdate());
    if (recipe.training().averageDecay() > 0) {
      averageDecay = tf.withName("average_decay").placeholderWithDefault(tf.constant(0f), Shape.scalar());
      // Each average moves towards its weight once the optimizer has updated every weight:
      // twin -= (1 - decay) (twin - w), the exponential moving average of the weights (Polyak averaging).
      Ops after = tf.withSubScope("weight_averages").withControlDependencies(updates);
      Operand<TFloat32> rate = after.math.sub(after.constant(1f), averageDecay);
      List<Variable<TFloat32>> twins = new ArrayList<>();
      List<Op> averaged = new ArrayList<>();
      for (ModelVariable v : trainable) {
        Variable<TFloat32> twin = scopes.slot(v, "twin");
        twins.add(twin);
        averaged.add(after.assignSub(twin, after.math.mul(rate, after.math.sub(twin, v.variable()))));
      }
      created.addAll(twins);
      train = tf.withName("train").withControlDependencies(averaged).noOp();
      swap = new WeightSwap(tf.withSubScope("weight_swap"), trainable, twins);
    } else {
      averageDecay = null;
      swap = null;
      train = tf.withName("train").withControlDependencies(updates).noOp();
    }
    slots = ImmutableList.copyOf(created);
    // One scalar that is false when any variable (weights, optimizer slots, moving averages) holds
    // a NaN or an infinity: what a checkpoint must never contain.
    List<Operand<TBool>> finite = new ArrayList<>();
    List<Variable<TFloat32>> all = new ArrayList<>();
    model.variables().forEach(v -> all.add(v.variable()));
    all.addAll(created);
    Ops check = tf.withSubScope("weights_finite");
    for (Variable<TFloat32> v : all) {
      Operand<TBool> each = check.math.isFinite(v);
      finite.add(check.reduceAll(each, check.range(check.constant(0), check.rank(each), check.constant(1))));
    }
    weightsFinite = check.reduceAll(check.stack(finite), check.constant(0));
    session = Sessions.open(graph, threads);
  }

  /**
   * The gradients, each released only when all of them are computed. Without this gate an update
   * could overwrite a kernel in place while the backward pass of its layer still reads it, and a
   * step would depend on the order in which the ops happen to run (TF 1's GATE_GRAPH).
   */
  private static List<Operand<TFloat32>> gatedGradients(Ops tf, Output<?>[] raw) {
    List<Op> computed = new ArrayList<>();
    List<Operand<TFloat32>> identities = new ArrayList<>();
    for (Output<?> g : raw) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> gradient = (Operand<TFloat32>) g;
      Identity<TFloat32> identity = tf.identity(gradient);
      computed.add(identity);
      identities.add(identity);
    }
    Ops gate = tf.withSubScope("gradients_gate").withControlDependencies(computed);
    List<Operand<TFloat32>> gated = new ArrayList<>();
    for (Operand<TFloat32> g : identities) {
      gated.add(gate.identity(g));
    }
    return gated;
  }

  /** [-1, out, out], or a 3D net's [-1, outZ, out, out]: the shape of fed labels and weights. */
  private static Shape targetShape(Recipe recipe, CompiledModel model) {
    if (recipe.model().dimensions() == 3) {
      Size3 out = model.volumeOutputSize();
      return Shape.of(-1, out.z(), out.y(), out.x());
    }
    int out = model.outputSize();
    return Shape.of(-1, out, out);
  }

  /**
   * Compiles the recipe's model at its training tile, seeded by the recipe's seed. A 3D net's tile
   * is its {@link #trainingBlock}.
   */
  public static TrainingGraph build(Recipe recipe) {
    return build(recipe, 0);
  }

  /**
   * As {@link #build(Recipe)}, with {@code threads} threads per op (0: TensorFlow's default, all
   * cores; see {@link Sessions} for why only a process's first session sets them). Steps are
   * reproducible bit for bit: the same recipe, batches and step numbers give the same weights, also
   * across processes and after a resume.
   */
  public static TrainingGraph build(Recipe recipe, int threads) {
    return build(recipe, Losses.of(recipe.loss()), threads);
  }

  /**
   * As {@link #build(Recipe, int)}, minimising {@code objective} instead of the recipe's loss (a
   * user's own loss; the recipe's loss spec still decides which weight maps the data carries).
   */
  public static TrainingGraph build(Recipe recipe, Loss objective, int threads) {
    CompiledModel model = recipe.model().dimensions() == 3
        ? ModelCompiler.compile(recipe.model(), trainingBlock(recipe), recipe.training().seed())
        : ModelCompiler.compile(recipe.model(), recipe.training().tile(), recipe.training().seed());
    try {
      return new TrainingGraph(recipe, model, objective, threads);
    } catch (RuntimeException | Error e) {
      model.close();
      throw e;
    }
  }

  /**
   * A 3D net's training input: {@code training.tile} in y and x and {@code training.tileZ} along z,
   * or when that is 0 the valid size nearest the tile.
   */
  public static Size3 trainingBlock(Recipe recipe) {
    return recipe.model().volumeGeometry().inputForTile(recipe.training().tile(), recipe.training().tileZ());
  }

  public Recipe recipe() {
    return recipe;
  }

  public CompiledModel model() {
    return model;
  }

  public Session session() {
    return session;
  }

  /** Every variable of the graph (model and optimizer slots) by name, with its shape. */
  public Map<String, long[]> variableShapes() {
    Map<String, long[]> shapes = new LinkedHashMap<>(Checkpoints.shapes(model));
    for (Variable<TFloat32> slot : slots) {
      shapes.put(slot.op().name(), slot.shape().asArray());
    }
    return shapes;
  }

  /**
   * The decay of the weights' moving average in the update of 0-based step {@code step}: the
   * recipe's {@code averageDecay}, but at most {@code step / (step + 10)}, so that the first update
   * copies the weights (the average starts from the trained weights, not from zeros) and the early
   * ones follow them closely, as TensorFlow's {@code ExponentialMovingAverage} with
   * {@code num_updates} does.
   */
  static double averageDecayAt(double decay, long step) {
    return Math.min(decay, step / (step + 10.0));
  }

  /**
   * Runs {@code work} with the averaged weights in the model's variables and the raw ones in their
   * twins, then swaps them back (also when {@code work} throws). A checkpoint saved inside holds
   * the averages under the model's names, which is what prediction, export and validation read,
   * and the raw weights under {@code optimizer/PATH/twin}, which a resumed training swaps back
   * ({@link #restore}). Without {@code training.averageDecay} it just runs {@code work}. Swapping
   * copies values exactly, so the training continues bit for bit as without it.
   */
  public <T> T withAveragedWeights(Supplier<T> work) {
    if (swap == null) {
      return work.get();
    }
    swap.run(session);
    try {
      return work.get();
    } finally {
      swap.run(session);
    }
  }

  /**
   * Restores a checkpoint of this training (weights, optimizer slots and the weights' twins) to
   * continue it: with averaged weights the checkpoint's model variables hold the averages, so they
   * are swapped back with their twins (see {@link #withAveragedWeights}).
   */
  public void restore(Checkpoint checkpoint) {
    Checkpoints.restore(session, variableShapes(), checkpoint);
    if (swap != null) {
      swap.run(session);
    }
  }

  /** The loss of a step's batch before the update, and the global norm of its gradients. */
  public record StepResult(float loss, float gradientNorm) {
    /** Whether both are finite: the update kept the weights finite. */
    public boolean finite() {
      return Float.isFinite(loss) && Float.isFinite(gradientNorm);
    }
  }

  /**
   * Runs one training step (0-based {@code step}) on {@code batch} with learning rate {@code rate}:
   * forward, backward and the optimizer update.
   */
  public StepResult step(Batch batch, double rate, long step) {
    StepFeeds f = feeds(batch);
    f.images.write(batch.images());
    f.labels.write(batch.labels());
    f.weights.write(batch.weights());
    f.rate.setFloat((float) rate, 0);
    f.averageDecay.setFloat((float) averageDecayAt(recipe.training().averageDecay(), step), 0);
    f.beta1Power.setFloat(power(beta1(), step + 1), 0);
    f.beta2Power.setFloat(power(beta2(), step + 1), 0);
    f.dropoutSeed.setLong(recipe.training().seed(), 0);
    f.dropoutSeed.setLong(step, 1);
    try (Result result = f.runner.run()) {
      return new StepResult(((TFloat32) result.get(0)).getFloat(), ((TFloat32) result.get(1)).getFloat());
    }
  }

  /** The step's input tensors for batches shaped like {@code batch}: the last ones, or new ones. */
  private StepFeeds feeds(Batch batch) {
    StepFeeds f = feeds;
    if (f != null && f.fits(batch)) {
      return f;
    }
    if (f != null) {
      f.close();
      feeds = null;
    }
    f = new StepFeeds(batch);
    feeds = f;
    return f;
  }

  /**
   * Tensors fed to every step and the runner that feeds them, with views of their native buffers.
   * Reusing them saves a native allocation and copy per input and most of a step's Java garbage;
   * the session only reads fed tensors while it runs, and no fetch aliases them.
   */
  private final class StepFeeds implements AutoCloseable {
    private final int size;
    private final int tile;
    private final int channels;
    private final int output;
    private final int tileDepth;
    private final int outputDepth;
    private final List<org.tensorflow.Tensor> tensors = new ArrayList<>();
    private final FloatDataBuffer images;
    private final IntDataBuffer labels;
    private final FloatDataBuffer weights;
    private final FloatDataBuffer rate;
    private final FloatDataBuffer averageDecay;
    private final FloatDataBuffer beta1Power;
    private final FloatDataBuffer beta2Power;
    private final LongDataBuffer dropoutSeed;
    private final Session.Runner runner;

    StepFeeds(Batch batch) {
      this.size = batch.size();
      this.tile = batch.tile();
      this.channels = batch.channels();
      this.output = batch.output();
      this.tileDepth = batch.tileDepth();
      this.outputDepth = batch.outputDepth();
      try {
        TFloat32 imageTensor = keep(TFloat32.tensorOf(inputShape(batch)));
        TInt32 labelTensor = keep(TInt32.tensorOf(targetShape(batch)));
        TFloat32 weightTensor = keep(TFloat32.tensorOf(targetShape(batch)));
        TFloat32 rateTensor = keep(TFloat32.scalarOf(0f));
        TFloat32 decayTensor = keep(TFloat32.scalarOf(0f));
        TFloat32 beta1Tensor = keep(TFloat32.scalarOf(1f));
        TFloat32 beta2Tensor = keep(TFloat32.scalarOf(1f));
        TInt64 seedTensor = keep(TInt64.vectorOf(0L, 0L));
        TBool on = keep(TBool.scalarOf(true));
        images = imageTensor.asRawTensor().data().asFloats();
        labels = labelTensor.asRawTensor().data().asInts();
        weights = weightTensor.asRawTensor().data().asFloats();
        rate = rateTensor.asRawTensor().data().asFloats();
        averageDecay = decayTensor.asRawTensor().data().asFloats();
        beta1Power = beta1Tensor.asRawTensor().data().asFloats();
        beta2Power = beta2Tensor.asRawTensor().data().asFloats();
        dropoutSeed = seedTensor.asRawTensor().data().asLongs();
        Session.Runner r = session.runner()
            .feed(model.input(), imageTensor)
            .feed(TrainingGraph.this.labels, labelTensor)
            .feed(TrainingGraph.this.weights, weightTensor)
            .feed(learningRate, rateTensor)
            .feed(model.training(), on)
            .feed(model.dropoutSeed(), seedTensor)
            .fetch(loss)
            .fetch(gradientNorm)
            .addTarget(train);
        if (TrainingGraph.this.beta1Power != null && TrainingGraph.this.beta2Power != null) {
          r.feed(TrainingGraph.this.beta1Power, beta1Tensor).feed(TrainingGraph.this.beta2Power, beta2Tensor);
        }
        if (TrainingGraph.this.averageDecay != null) {
          r.feed(TrainingGraph.this.averageDecay, decayTensor);
        }
        runner = r;
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }

    private <T extends org.tensorflow.Tensor> T keep(T tensor) {
      tensors.add(tensor);
      return tensor;
    }

    boolean fits(Batch batch) {
      return batch.size() == size && batch.tile() == tile && batch.channels() == channels
          && batch.output() == output && batch.tileDepth() == tileDepth && batch.outputDepth() == outputDepth;
    }

    @Override
    public void close() {
      tensors.forEach(org.tensorflow.Tensor::close);
      tensors.clear();
    }
  }

  /** Whether every variable of the graph (weights, optimizer slots, moving averages) is finite. */
  public boolean weightsFinite() {
    try (Result result = session.runner().fetch(weightsFinite).run()) {
      return ((TBool) result.get(0)).getBoolean();
    }
  }

  /** The loss of a batch without training (dropout off, batch norm on moving averages). */
  public float evaluate(Batch batch) {
    return infer(batch, false, result -> ((TFloat32) result.get(0)).getFloat());
  }

  /**
   * The loss of a batch without training, and the model's class at every output pixel
   * ({@code size x output x output}, row-major), for validation scores: the most probable class of a
   * soft-max (the lower on a tie), or for one sigmoid channel 1 where its probability is above 0.5.
   */
  public Validation validate(Batch batch) {
    return infer(batch, true, result -> {
      TFloat32 probabilities = (TFloat32) result.get(1);
      int channels = model.outputChannels();
      int pixels = batch.labels().length;
      float[] all = new float[pixels * channels];
      probabilities.copyTo(DataBuffers.of(all, false, false));
      int[] predicted = new int[pixels];
      for (int i = 0; i < pixels; i++) {
        if (channels == 1) {
          predicted[i] = all[i] > ValidationScores.THRESHOLD ? 1 : 0;
          continue;
        }
        int best = 0;
        for (int c = 1; c < channels; c++) {
          if (all[i * channels + c] > all[i * channels + best]) {
            best = c;
          }
        }
        predicted[i] = best;
      }
      return new Validation(((TFloat32) result.get(0)).getFloat(), predicted);
    });
  }

  /** Runs a batch without training, fetching the loss (and the probabilities), and reads the result. */
  private <T> T infer(Batch batch, boolean withProbabilities, java.util.function.Function<Result, T> read) {
    try (TFloat32 images = images(batch);
        TInt32 classes = TInt32.tensorOf(targetShape(batch), DataBuffers.of(batch.labels(), true, false));
        TFloat32 pixelWeights = TFloat32.tensorOf(targetShape(batch), DataBuffers.of(batch.weights(), true, false))) {
      Session.Runner runner = session.runner().feed(model.input(), images).feed(labels, classes)
          .feed(weights, pixelWeights).fetch(loss);
      if (withProbabilities) {
        runner.fetch(model.probabilities());
      }
      try (Result result = runner.run()) {
        return read.apply(result);
      }
    }
  }

  /** A validation batch's loss and predicted classes (see {@link #validate}). */
  public record Validation(float loss, int[] predicted) {}

  static TFloat32 images(Batch batch) {
    return TFloat32.tensorOf(inputShape(batch), DataBuffers.of(batch.images(), true, false));
  }

  /** The batch's image tiles [B, tile, tile, C], or volume tiles [B, D, tile, tile, C]. */
  private static Shape inputShape(Batch batch) {
    return batch.volumes()
        ? Shape.of(batch.size(), batch.tileDepth(), batch.tile(), batch.tile(), batch.channels())
        : Shape.of(batch.size(), batch.tile(), batch.tile(), batch.channels());
  }

  /** The batch's labels and weights [B, out, out], or [B, outD, out, out]. */
  private static Shape targetShape(Batch batch) {
    return batch.volumes()
        ? Shape.of(batch.size(), batch.outputDepth(), batch.output(), batch.output())
        : Shape.of(batch.size(), batch.output(), batch.output());
  }

  private double beta1() {
    return recipe.training().optimizer() instanceof AdamOptimizer a ? a.beta1() : 0;
  }

  private double beta2() {
    return recipe.training().optimizer() instanceof AdamOptimizer a ? a.beta2() : 0;
  }

  private static float power(double base, long exponent) {
    return (float) Math.pow(base, exponent);
  }

  @Override
  public void close() {
    if (feeds != null) {
      feeds.close();
      feeds = null;
    }
    session.close();
    model.close();
  }

  /**
   * Exchanges the values of the trainable weights and their twins: one run reads both, a second
   * assigns each the other's value. The values are copied out of the fetched tensors before any
   * assignment, because a fetched variable may share its buffer with the variable, which an
   * assignment overwrites in place; copying floats keeps them exact.
   */
  private static final class WeightSwap {
    private final List<Variable<TFloat32>> weights;
    private final List<Variable<TFloat32>> twins;
    private final List<Placeholder<TFloat32>> intoWeights = new ArrayList<>();
    private final List<Placeholder<TFloat32>> intoTwins = new ArrayList<>();
    private final List<Op> assignments = new ArrayList<>();

    WeightSwap(Ops tf, List<ModelVariable> trainable, List<Variable<TFloat32>> twins) {
      this.weights = trainable.stream().map(ModelVariable::variable).toList();
      this.twins = twins;
      for (int i = 0; i < weights.size(); i++) {
        Shape shape = weights.get(i).shape();
        Placeholder<TFloat32> weight = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        Placeholder<TFloat32> twin = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        intoWeights.add(weight);
        intoTwins.add(twin);
        assignments.add(tf.assign(weights.get(i), weight));
        assignments.add(tf.assign(twins.get(i), twin));
      }
    }

    void run(Session session) {
      Session.Runner read = session.runner();
      weights.forEach(read::fetch);
      twins.forEach(read::fetch);
      List<TFloat32> copies = new ArrayList<>();
      try {
        try (Result values = read.run()) {
          for (int i = 0; i < values.size(); i++) {
            copies.add(copy((TFloat32) values.get(i)));
          }
        }
        Session.Runner write = session.runner();
        int n = weights.size();
        for (int i = 0; i < n; i++) {
          write.feed(intoWeights.get(i), copies.get(n + i));
          write.feed(intoTwins.get(i), copies.get(i));
        }
        assignments.forEach(write::addTarget);
        write.run().close();
      } finally {
        copies.forEach(TFloat32::close);
      }
    }

    private static TFloat32 copy(TFloat32 value) {
      float[] data = new float[Math.toIntExact(value.size())];
      value.asRawTensor().data().asFloats().read(data);
      return TFloat32.tensorOf(value.shape(), DataBuffers.of(data, true, false));
    }
  }

  /** Creates each optimizer sub-scope once, so slot names follow the variable's spec path. */
  private static final class SlotScopes {
    private final Map<String, Ops> byPath = new HashMap<>();
    private final Ops root;

    SlotScopes(Ops root) {
      this.root = root;
    }

    Variable<TFloat32> slot(ModelVariable v, String name) {
      Ops scope = at(v.path());
      Ops init = scope.withInitScope();
      Operand<TFloat32> zeros = init.zeros(init.constant(v.shape()), TFloat32.class);
      return scope.withName(name).variable(zeros);
    }

    private Ops at(String path) {
      Ops scope = byPath.get(path);
      if (scope == null) {
        int slash = path.lastIndexOf('/');
        Ops parent = slash < 0 ? root : at(path.substring(0, slash));
        scope = parent.withSubScope(path.substring(slash + 1));
        byPath.put(path, scope);
      }
      return scope;
    }
  }
}
