package org.unet4j.layers;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * The devices TensorFlow runs ops on in this process, as its sessions see them: {@code CPU}, and
 * {@code GPU} where the GPU build of the native library finds a CUDA device. TensorFlow Java has
 * no API for this, so a session of an empty graph is opened once through TensorFlow's C API and
 * asked ({@code TF_SessionListDevices}); the answer is kept for the process, as TensorFlow's own
 * device set is.
 *
 * <p>It decides the convolution lowering ({@link ModelCompiler#defaultLowering()}): on a GPU,
 * TensorFlow places {@code Conv2D} on cuDNN, whose kernels (Winograd's and FFT forms included)
 * beat the gather-and-multiply forms that pay off on a CPU.
 */
public final class Devices {
  private static final Supplier<ImmutableList<String>> TYPES = Suppliers.memoize(Devices::listTypes);

  private Devices() {}

  /** The device types of this process, one entry per device, e.g. {@code [CPU]} or {@code [CPU, GPU]}. */
  public static List<String> types() {
    return TYPES.get();
  }

  /** Whether TensorFlow has a GPU to place ops on. */
  public static boolean gpu() {
    return types().contains("GPU");
  }

  private static ImmutableList<String> listTypes() {
    TensorFlow.version(); // loads the native library before its C API is called
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    try {
      TF_Session session = TF_NewSession(graph, options, status);
      check(status, "opening a session");
      try {
        TF_DeviceList list = TF_SessionListDevices(session, status);
        check(status, "listing the devices");
        try {
          ImmutableList.Builder<String> types = ImmutableList.builder();
          for (int i = 0; i < TF_DeviceListCount(list); i++) {
            String type = TF_DeviceListType(list, i, status).getString();
            check(status, "reading a device's type");
            types.add(type);
          }
          return types.build();
        } finally {
          TF_DeleteDeviceList(list);
        }
      } finally {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
    } finally {
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }

  private static void check(TF_Status status, String what) {
    if (TF_GetCode(status) != TF_OK) {
      throw new IllegalStateException("TensorFlow failed " + what + " to list its devices (status code "
          + TF_GetCode(status) + ")");
    }
  }
}
