package org.unet4j.recipes.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;

/**
 * Makes a SavedModel written by this TensorFlow loadable by older ones. Newer TensorFlow versions
 * add attributes to existing ops, always with a default, and the Java exporter writes every
 * attribute; an older runtime that meets an attribute its op does not declare refuses the whole
 * graph ("NodeDef mentions attr ... not in Op"). Dropping the attributes that hold their op's
 * default value, as TensorFlow's Python exporter does ({@code strip_default_attrs}), leaves the
 * graph's meaning unchanged for this runtime and lets older ones fill in what they know.
 */
final class LegacyGraphs {
  private LegacyGraphs() {}

  /** Rewrites {@code savedModelPb} in place without default-valued attributes; returns how many were dropped. */
  static int stripDefaultAttributes(Path savedModelPb) throws IOException {
    Map<String, OpDef> ops = new HashMap<>();
    for (OpDef op : TensorFlow.registeredOpList().getOpList()) {
      ops.put(op.getName(), op);
    }
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(savedModelPb));
    SavedModel.Builder rewritten = model.toBuilder();
    int dropped = 0;
    for (MetaGraphDef.Builder meta : rewritten.getMetaGraphsBuilderList()) {
      GraphDef.Builder graph = meta.getGraphDefBuilder();
      for (NodeDef.Builder node : graph.getNodeBuilderList()) {
        OpDef op = ops.get(node.getOp());
        if (op == null) {
          continue;
        }
        for (OpDef.AttrDef attr : op.getAttrList()) {
          AttrValue value = node.getAttrMap().get(attr.getName());
          if (attr.hasDefaultValue() && value != null && value.equals(attr.getDefaultValue())) {
            node.removeAttr(attr.getName());
            dropped++;
          }
        }
      }
    }
    Files.write(savedModelPb, rewritten.build().toByteArray());
    return dropped;
  }
}
