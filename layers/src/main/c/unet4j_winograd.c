/*
 * unet4j's Winograd F(4x4, 3x3) transforms as TensorFlow ops, for CPUs.
 *
 * The graph form of a Winograd convolution (ModelCompiler) gathers the overlapping 6x6 tiles of
 * the input, transforms them with a 36x36 matrix product, and after the batched product with the
 * transformed kernel transforms the blocks back with a 16x36 product and a transpose. Those passes
 * write and read the tiles several times and multiply by a dense 36x36 matrix where the transform
 * needs a few additions per value. These ops do each transform in one pass over memory:
 *
 *   Unet4jWinogradTiles(x [n, h, w, c]) -> [36, tiles, c]            B^T d B of every 6x6 tile
 *   Unet4jWinogradTilesGrad(dv: 36 x [tiles, c], shape [4]) -> [n, h, w, c]
 *   Unet4jWinogradBlocks(m: 36 x [tiles, c], shape [4]) -> [n, h - 2, w - 2, c]   A^T m A, placed
 *   Unet4jWinogradBlocksGrad(dy [n, h - 2, w - 2, c], shape [4]) -> [36, tiles, c]
 *
 * shape is the convolution's input shape [n, h, w, c_in]. The blocks and the tiles' gradient take
 * the 36 positions' values as 36 tensors (36 matrix products make them; they are not stacked).
 * The blocks also come with the layer's bias added and its activation applied as they are written
 * (v where v > 0, else slope v: ReLU for slope 0, none for 1), and with the gradient of that:
 *
 *   Unet4jWinogradActivatedBlocks(m: 36 x [tiles, c], shape [4], bias [c], slope) -> [n, h - 2, w - 2, c]
 *   Unet4jWinogradActivatedBlocksGrad(dy, y [n, h - 2, w - 2, c], shape [4], slope)
 *       -> [36, tiles, c] (the products'), [c] (the bias's)
 *
 * Two more ops are a p x p max pooling of stride p (VALID) and its gradient, which TensorFlow's CPU
 * kernel computes one value at a time:
 *
 *   Unet4jMaxPool(x [n, h, w, c], p) -> [n, h / p, w / p, c]
 *   Unet4jMaxPoolGrad(x [n, h, w, c], dy [n, h / p, w / p, c], p) -> [n, h, w, c]
 *
 * dy of each window goes to the window's first largest value in row-major order, as TensorFlow's
 * MaxPoolGrad sends it; every other value's gradient (and that of the rows and columns past the
 * last whole window) is 0. NaN values are passed over, as TensorFlow's pooling does.
 *
 * Tile (image, row, column) is number (image * rows + row) * columns + column, with rows = ceil((h - 2) / 4) and
 * columns = ceil((w - 2) / 4), and covers input rows 4 row .. 4 row + 5, clamped to h - 1 (columns
 * likewise), as the graph form gathers them. The blocks' rows and columns beyond h - 2 and w - 2
 * are cropped.
 *
 * Every output value is computed by one thread in a fixed order, whatever the number of threads,
 * so results are the same bits from run to run. The library links against nothing: it finds
 * TensorFlow's C API in the already loaded libtensorflow_framework.so.2 when it is loaded, and
 * registers nothing if it cannot (unet4j then builds the graph form).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct TF_Status TF_Status;
typedef struct TF_Tensor TF_Tensor;
typedef struct TF_OpKernelContext TF_OpKernelContext;
typedef struct TF_OpKernelConstruction TF_OpKernelConstruction;
typedef struct TF_KernelBuilder TF_KernelBuilder;
typedef struct TF_OpDefinitionBuilder TF_OpDefinitionBuilder;
typedef struct TF_ShapeInferenceContext TF_ShapeInferenceContext;

enum { TF_FLOAT = 1, TF_INT32 = 3 };
enum { TF_OK = 0, TF_INVALID_ARGUMENT = 3 };

static struct {
  TF_Status *(*NewStatus)(void);
  void (*DeleteStatus)(TF_Status *);
  void (*SetStatus)(TF_Status *, int, const char *);
  int (*GetCode)(const TF_Status *);
  TF_OpDefinitionBuilder *(*NewOpDefinitionBuilder)(const char *);
  void (*OpDefinitionBuilderAddInput)(TF_OpDefinitionBuilder *, const char *);
  void (*OpDefinitionBuilderAddOutput)(TF_OpDefinitionBuilder *, const char *);
  void (*OpDefinitionBuilderAddAttr)(TF_OpDefinitionBuilder *, const char *);
  void (*SetShapeInferenceFunction)(TF_OpDefinitionBuilder *, void (*)(TF_ShapeInferenceContext *, TF_Status *));
  void (*SetUnknownShape)(TF_ShapeInferenceContext *, TF_Status *);
  void (*RegisterOpDefinition)(TF_OpDefinitionBuilder *, TF_Status *);
  TF_KernelBuilder *(*NewKernelBuilder)(const char *, const char *, void *(*)(TF_OpKernelConstruction *),
                                         void (*)(void *, TF_OpKernelContext *), void (*)(void *));
  void (*RegisterKernelBuilder)(const char *, TF_KernelBuilder *, TF_Status *);
  int (*NumInputs)(TF_OpKernelContext *);
  void (*GetInput)(TF_OpKernelContext *, int, TF_Tensor **, TF_Status *);
  TF_Tensor *(*AllocateOutput)(TF_OpKernelContext *, int, int, const int64_t *, int, size_t, TF_Status *);
  void (*Failure)(TF_OpKernelContext *, TF_Status *);
  void *(*TensorData)(const TF_Tensor *);
  int (*NumDims)(const TF_Tensor *);
  int64_t (*Dim)(const TF_Tensor *, int);
  void (*DeleteTensor)(TF_Tensor *);
} tf;

/* ---------------------------------------------------------------- the transforms, 8 channels at a time */

/* Channels are the innermost dimension everywhere, so each transform works on 8 channels at once
 * (one AVX register), a whole 6x6 tile in registers: one read of its inputs, one write of its
 * results. A last group of fewer than 8 channels is loaded and stored under a mask. */
typedef __m256 v8;

static inline v8 mask_of(int n) {
  return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
}

static inline v8 load8(const float *p, int n) {
  return n == 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, _mm256_castps_si256(mask_of(n)));
}

static inline void store8(float *p, v8 v, int n) {
  if (n == 8) {
    _mm256_storeu_ps(p, v);
  } else {
    _mm256_maskstore_ps(p, _mm256_castps_si256(mask_of(n)), v);
  }
}

#define K(x) _mm256_set1_ps(x)

/* o = B^T d (6 values). */
static inline void bt(const v8 d[6], v8 o[6]) {
  v8 d4_d2 = _mm256_sub_ps(d[4], d[2]);
  o[0] = _mm256_fmadd_ps(K(-5), d[2], _mm256_fmadd_ps(K(4), d[0], d[4]));
  v8 a = _mm256_fnmadd_ps(K(4), d[2], d[4]); /* d4 - 4 d2 */
  v8 b = _mm256_fnmadd_ps(K(4), d[1], d[3]); /* d3 - 4 d1 */
  o[1] = _mm256_add_ps(a, b);
  o[2] = _mm256_sub_ps(a, b);
  v8 e = _mm256_mul_ps(K(2), _mm256_sub_ps(d[3], d[1]));
  o[3] = _mm256_add_ps(d4_d2, e);
  o[4] = _mm256_sub_ps(d4_d2, e);
  o[5] = _mm256_fmadd_ps(K(-5), d[3], _mm256_fmadd_ps(K(4), d[1], d[5]));
}

/* o = B x (6 values), the transpose of bt. */
static inline void b(const v8 x[6], v8 o[6]) {
  v8 s34 = _mm256_add_ps(x[3], x[4]), d34 = _mm256_sub_ps(x[3], x[4]);
  v8 s12 = _mm256_add_ps(x[1], x[2]), d12 = _mm256_sub_ps(x[1], x[2]);
  o[0] = _mm256_mul_ps(K(4), x[0]);
  o[1] = _mm256_fmadd_ps(K(4), x[5], _mm256_fnmadd_ps(K(2), d34, _mm256_mul_ps(K(-4), d12)));
  o[2] = _mm256_sub_ps(_mm256_fmadd_ps(K(-5), x[0], _mm256_mul_ps(K(-4), s12)), s34);
  o[3] = _mm256_fmadd_ps(K(-5), x[5], _mm256_fmadd_ps(K(2), d34, d12));
  o[4] = _mm256_add_ps(_mm256_add_ps(x[0], s12), s34);
  o[5] = x[5];
}

/* o = A^T m (4 values from 6). */
static inline void at(const v8 m[6], v8 o[4]) {
  v8 s12 = _mm256_add_ps(m[1], m[2]), d12 = _mm256_sub_ps(m[1], m[2]);
  v8 s34 = _mm256_add_ps(m[3], m[4]), d34 = _mm256_sub_ps(m[3], m[4]);
  o[0] = _mm256_add_ps(_mm256_add_ps(m[0], s12), s34);
  o[1] = _mm256_fmadd_ps(K(2), d34, d12);
  o[2] = _mm256_fmadd_ps(K(4), s34, s12);
  o[3] = _mm256_add_ps(_mm256_fmadd_ps(K(8), d34, d12), m[5]);
}

/* o = A y (6 values from 4), the transpose of at. */
static inline void a(const v8 y[4], v8 o[6]) {
  v8 s02 = _mm256_add_ps(y[0], y[2]), s13 = _mm256_add_ps(y[1], y[3]);
  o[0] = y[0];
  o[1] = _mm256_add_ps(s02, s13);
  o[2] = _mm256_sub_ps(s02, s13);
  v8 p = _mm256_fmadd_ps(K(4), y[2], y[0]), q = _mm256_fmadd_ps(K(4), y[3], y[1]);
  o[3] = _mm256_fmadd_ps(K(2), q, p);
  o[4] = _mm256_fnmadd_ps(K(2), q, p);
  o[5] = y[3];
}

/* ---------------------------------------------------------------- geometry and threads */

typedef struct {
  int64_t n, h, w, c;    /* the convolution's input (c: the channels of the tensor at hand) */
  int64_t rows, columns; /* tiles down and across one image */
  int64_t tiles;         /* n rows columns */
} geometry;

static int make_geometry(geometry *g, int64_t n, int64_t h, int64_t w, int64_t c) {
  if (n < 0 || h < 3 || w < 3 || c < 0) return 0;
  g->n = n;
  g->h = h;
  g->w = w;
  g->c = c;
  g->rows = (h - 2 + 3) / 4;
  g->columns = (w - 2 + 3) / 4;
  g->tiles = n * g->rows * g->columns;
  return 1;
}

typedef void (*range_fn)(const void *job, int64_t from, int64_t to);

typedef struct {
  range_fn fn;
  const void *job;
  int64_t from, to;
} part;

static void *run_part(void *p) {
  part *q = (part *)p;
  q->fn(q->job, q->from, q->to);
  return NULL;
}

static int cpus(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  int count = CPU_COUNT(&set);
  return count < 1 ? 1 : count > 64 ? 64 : count;
}

/* fn over [0, count) in contiguous parts, one per CPU, none smaller than min_part. */
static void parallel(range_fn fn, const void *job, int64_t count, int64_t min_part) {
  int threads = cpus();
  if (min_part < 1) min_part = 1;
  if (count / min_part < threads) threads = (int)(count / min_part);
  if (threads <= 1) {
    if (count > 0) fn(job, 0, count);
    return;
  }
  pthread_t ids[64];
  int started[64] = {0};
  part parts[64];
  for (int t = 0; t < threads; t++) {
    parts[t] = (part){fn, job, count * t / threads, count * (t + 1) / threads};
  }
  for (int t = 1; t < threads; t++) {
    started[t] = pthread_create(&ids[t], NULL, run_part, &parts[t]) == 0;
  }
  run_part(&parts[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) {
      pthread_join(ids[t], NULL);
    } else {
      run_part(&parts[t]); /* no thread to spare: this one does the part */
    }
  }
}

/* ---------------------------------------------------------------- the four computations */

/* The channels of a tensor are worked through in steps of 16 (two registers: one cache line per
 * position), or of 8 or fewer (one register, under a mask for a last group) where the channels are
 * not a multiple of 16. Two independent halves keep the core busy; a whole line per store lets a
 * large output be written with non-temporal stores, which do not read the line first. */
typedef struct {
  geometry g;
  const float *in;
  float *out;
  int stream;            /* write the output with non-temporal stores (16-channel steps, aligned, large) */
  const float *at[36];   /* position p's values [tiles, c] (the blocks' and the tiles' gradient's inputs) */
  const float *bias;     /* the blocks: a bias [c] to add, then the activation; NULL: the plain blocks */
  const float *y;        /* the blocks' gradient: the activated output, whose activation's gradient comes first */
  float *partial;        /* the blocks' gradient with y: each tile's sum of the activation's gradient [tiles, c] */
  float slope;           /* the activation: v where v > 0, else slope v (0: ReLU, 1: none) */
} job;

#define INLINE static inline __attribute__((always_inline))

INLINE int64_t clamp(int64_t v, int64_t max) { return v < max ? v : max; }

/* The tile's place: its image, its top row and its left column. */
INLINE void place(const geometry *g, int64_t t, int64_t *image, int64_t *top, int64_t *left) {
  int64_t per_image = g->rows * g->columns, rest = t % per_image;
  *image = t / per_image;
  *top = rest / g->columns * 4;
  *left = rest % g->columns * 4;
}

/* Loads and stores of one step: halves registers of 8 channels, the last one holding n (1..8). */
INLINE void get(v8 *v, const float *p, int halves, int n) {
  for (int h = 0; h < halves; h++) v[h] = load8(p + 8 * h, h == halves - 1 ? n : 8);
}

INLINE void put(float *p, const v8 *v, int halves, int n, int stream) {
  for (int h = 0; h < halves; h++) {
    if (stream) {
      _mm256_stream_ps(p + 8 * h, v[h]);
    } else {
      store8(p + 8 * h, v[h], h == halves - 1 ? n : 8);
    }
  }
}

/* v where v > 0, else slope v, as TensorFlow computes them: Relu's max(0, v) for slope 0 (+0, not
 * -0, for a negative v; NaN stays NaN), LeakyRelu's select otherwise (slope 1: nothing). */
INLINE v8 activate(v8 v, v8 slope, int relu) {
  if (relu) return _mm256_max_ps(_mm256_setzero_ps(), v); /* the second operand where either is NaN */
  return _mm256_blendv_ps(_mm256_mul_ps(v, slope), v, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GT_OQ));
}

/* The pixel pointers of a tile's 6x6 input window, clamped at the bottom and right edges. */
INLINE void window(const geometry *g, const float *base, int64_t top, int64_t left, const float *px[6][6]) {
  for (int r = 0; r < 6; r++) {
    for (int e = 0; e < 6; e++) px[r][e] = base + (clamp(top + r, g->h - 1) * g->w + clamp(left + e, g->w - 1)) * g->c;
  }
}

/* One step of the tiles: out[p] = (B^T d B)[p]. */
INLINE void tiles_step(const float *px[6][6], int64_t c0, float *o, int64_t stride, int halves, int n, int stream) {
  v8 column[6][2], rows[6][6][2], v[6][2], x[6], y[6];
  for (int e = 0; e < 6; e++) {
    for (int r = 0; r < 6; r++) get(column[r], px[r][e] + c0, halves, n);
    for (int h = 0; h < halves; h++) {
      for (int r = 0; r < 6; r++) x[r] = column[r][h];
      bt(x, y); /* rows[i][e] = sum_r B^T[i][r] d[r][e] */
      for (int i = 0; i < 6; i++) rows[i][e][h] = y[i];
    }
  }
  for (int i = 0; i < 6; i++) {
    for (int h = 0; h < halves; h++) {
      for (int e = 0; e < 6; e++) x[e] = rows[i][e][h];
      bt(x, y); /* out[i][k] = sum_e B^T[k][e] rows[i][e] */
      for (int k = 0; k < 6; k++) v[k][h] = y[k];
    }
    for (int k = 0; k < 6; k++) put(o + (i * 6 + k) * stride + c0, v[k], halves, n, stream);
  }
}

/* Tiles: out[p][tile][c] = (B^T d B)[p] for the tiles in [from, to). */
static void tiles_range(const void *j, int64_t from, int64_t to) {
  const job *jb = (const job *)j;
  const geometry *g = &jb->g;
  int64_t c = g->c, stride = g->tiles * c, image, top, left;
  for (int64_t t = from; t < to; t++) {
    place(g, t, &image, &top, &left);
    const float *px[6][6];
    window(g, jb->in + image * g->h * g->w * c, top, left, px);
    float *o = jb->out + t * c;
    int64_t c0 = 0;
    if (c % 16 == 0) {
      for (; c0 < c; c0 += 16) tiles_step(px, c0, o, stride, 2, 8, jb->stream);
    }
    for (; c0 < c; c0 += 8) tiles_step(px, c0, o, stride, 1, c - c0 < 8 ? (int)(c - c0) : 8, 0);
  }
  _mm_sfence();
}

/* One step of the tiles' gradient: B dv B^T added into the tile's pixels of the rows in `rows`
 * (bit r: window row r). */
INLINE void tiles_grad_step(const float *const *dv, int64_t offset, float *px[6][6], int rows, int64_t c0,
                            int halves, int n) {
  v8 lines[6][6][2], x[6], y[6], d[2], sum[2];
  for (int i = 0; i < 6; i++) {
    for (int h = 0; h < halves; h++) {
      for (int k = 0; k < 6; k++) x[k] = load8(dv[i * 6 + k] + offset + c0 + 8 * h, h == halves - 1 ? n : 8);
      b(x, y); /* lines[i][e] = sum_k B[e][k] dv[i][k] */
      for (int e = 0; e < 6; e++) lines[i][e][h] = y[e];
    }
  }
  for (int e = 0; e < 6; e++) {
    v8 dd[6][2];
    for (int h = 0; h < halves; h++) {
      for (int i = 0; i < 6; i++) x[i] = lines[i][e][h];
      b(x, y); /* d[r][e] = sum_i B[r][i] lines[i][e] */
      for (int r = 0; r < 6; r++) dd[r][h] = y[r];
    }
    for (int r = 0; r < 6; r++) {
      if (!(rows >> r & 1)) continue;
      float *p = px[r][e] + c0;
      get(d, p, halves, n);
      for (int h = 0; h < halves; h++) sum[h] = _mm256_add_ps(d[h], dd[r][h]);
      put(p, sum, halves, n, 0);
    }
  }
}

/* The top pixel row of tile row g (over all images) in the rows of all images; n h past the last. */
INLINE int64_t band_top(const geometry *g, int64_t row) {
  return row >= g->n * g->rows ? g->n * g->h : row / g->rows * g->h + row % g->rows * 4;
}

/* The tiles' gradient for the pixel rows that tile rows [from, to) (over all images) begin: those
 * rows are zeroed, then B dv B^T of every tile that covers one of them is added into them, tile
 * after tile in tile order. Each pixel's sum is made by one thread in the same order whatever the
 * split (a tile row that reaches into the next part is transformed by both), and every thread
 * reads and writes its own rows. */
static void tiles_grad_range(const void *j, int64_t from, int64_t to) {
  const job *jb = (const job *)j;
  const geometry *g = &jb->g;
  int64_t c = g->c, first = band_top(g, from), last = band_top(g, to), image, top, left;
  memset(jb->out + first * g->w * c, 0, (size_t)((last - first) * g->w * c) * sizeof(float));
  for (int64_t row = from > 0 ? from - 1 : 0; row < to; row++) {
    int64_t base_row = row / g->rows * g->h; /* the image's first pixel row */
    int rows = 0;
    for (int r = 0; r < 6; r++) {
      int64_t y = base_row + clamp(row % g->rows * 4 + r, g->h - 1);
      if (y >= first && y < last) rows |= 1 << r;
    }
    if (!rows) continue;
    for (int64_t t = row * g->columns; t < (row + 1) * g->columns; t++) {
      place(g, t, &image, &top, &left);
      float *px[6][6];
      window(g, jb->out + image * g->h * g->w * c, top, left, (const float *(*)[6])px);
      int64_t c0 = 0;
      if (c % 16 == 0) {
        for (; c0 < c; c0 += 16) tiles_grad_step(jb->at, t * c, px, rows, c0, 2, 8);
      }
      for (; c0 < c; c0 += 8) tiles_grad_step(jb->at, t * c, px, rows, c0, 1, c - c0 < 8 ? (int)(c - c0) : 8);
    }
  }
}

/* One step of the blocks: the 4x4 block A^T m A, placed and cropped; with a bias, activated
 * (bias + c0 added, then the activation of the given slope). */
INLINE void blocks_step(const float *const *m, int64_t offset, float *base, int64_t ow, int64_t c,
                        int64_t rows_left, int64_t columns_left, int64_t c0, int halves, int n, int stream,
                        const float *bias, v8 slope, int relu) {
  v8 rows[4][6][2], x[6], y[4], out[4][2], b[2];
  if (bias) get(b, bias + c0, halves, n);
  for (int e = 0; e < 6; e++) {
    for (int h = 0; h < halves; h++) {
      for (int i = 0; i < 6; i++) x[i] = load8(m[i * 6 + e] + offset + c0 + 8 * h, h == halves - 1 ? n : 8);
      at(x, y); /* rows[u][e] = sum_i A^T[u][i] m[i][e] */
      for (int u = 0; u < 4; u++) rows[u][e][h] = y[u];
    }
  }
  for (int u = 0; u < 4 && u < rows_left; u++) {
    for (int h = 0; h < halves; h++) {
      for (int e = 0; e < 6; e++) x[e] = rows[u][e][h];
      at(x, y);
      for (int v = 0; v < 4; v++) out[v][h] = bias ? activate(_mm256_add_ps(y[v], b[h]), slope, relu) : y[v];
    }
    for (int v = 0; v < 4 && v < columns_left; v++) put(base + (u * ow + v) * c + c0, out[v], halves, n, stream);
  }
}

/* Blocks: the 4x4 output block A^T m A of each tile in [from, to), placed and cropped. */
static void blocks_range(const void *j, int64_t from, int64_t to) {
  const job *jb = (const job *)j;
  const geometry *g = &jb->g;
  int64_t c = g->c, oh = g->h - 2, ow = g->w - 2, image, top, left;
  v8 slope = _mm256_set1_ps(jb->slope);
  int relu = jb->slope == 0.0f;
  for (int64_t t = from; t < to; t++) {
    place(g, t, &image, &top, &left);
    float *base = jb->out + ((image * oh + top) * ow + left) * c;
    int64_t c0 = 0;
    if (c % 16 == 0) {
      for (; c0 < c; c0 += 16) {
        blocks_step(jb->at, t * c, base, ow, c, oh - top, ow - left, c0, 2, 8, jb->stream, jb->bias, slope, relu);
      }
    }
    for (; c0 < c; c0 += 8) {
      blocks_step(jb->at, t * c, base, ow, c, oh - top, ow - left, c0, 1, c - c0 < 8 ? (int)(c - c0) : 8, 0, jb->bias,
                  slope, relu);
    }
  }
  _mm_sfence();
}

/* One step of the blocks' gradient: A dy A^T, the cropped values taken as 0. With the activated
 * output (ybase, at the same place as base), the activation's gradient comes first (dy where the
 * output is positive, else slope dy) and its sum over the block goes to partial + c0. */
INLINE void blocks_grad_step(const float *base, int64_t ow, int64_t c, int64_t rows_left, int64_t columns_left,
                             float *o, int64_t stride, int64_t c0, int halves, int n, int stream, const float *ybase,
                             v8 slope, float *partial) {
  v8 rows[6][4][2], x[4], y[6], dm[6][2], sum[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
  for (int v = 0; v < 4; v++) {
    for (int h = 0; h < halves; h++) {
      for (int u = 0; u < 4; u++) {
        int inside = u < rows_left && v < columns_left;
        int64_t at = (u * ow + v) * c + c0 + 8 * h;
        x[u] = inside ? load8(base + at, h == halves - 1 ? n : 8) : _mm256_setzero_ps();
        if (ybase && inside) {
          v8 positive = _mm256_cmp_ps(load8(ybase + at, h == halves - 1 ? n : 8), _mm256_setzero_ps(), _CMP_GT_OQ);
          x[u] = _mm256_blendv_ps(_mm256_mul_ps(x[u], slope), x[u], positive);
          sum[h] = _mm256_add_ps(sum[h], x[u]);
        }
      }
      a(x, y); /* rows[i][v] = sum_u A[i][u] dy[u][v] */
      for (int i = 0; i < 6; i++) rows[i][v][h] = y[i];
    }
  }
  for (int i = 0; i < 6; i++) {
    for (int h = 0; h < halves; h++) {
      for (int v = 0; v < 4; v++) x[v] = rows[i][v][h];
      a(x, y); /* dm[i][e] = sum_v A[e][v] rows[i][v] */
      for (int e = 0; e < 6; e++) dm[e][h] = y[e];
    }
    for (int e = 0; e < 6; e++) put(o + (i * 6 + e) * stride + c0, dm[e], halves, n, stream);
  }
  if (ybase) put(partial + c0, sum, halves, n, 0);
}

/* The blocks' gradient: A dy A^T for each tile in [from, to). */
static void blocks_grad_range(const void *j, int64_t from, int64_t to) {
  const job *jb = (const job *)j;
  const geometry *g = &jb->g;
  int64_t c = g->c, stride = g->tiles * c, oh = g->h - 2, ow = g->w - 2, image, top, left;
  v8 slope = _mm256_set1_ps(jb->slope);
  for (int64_t t = from; t < to; t++) {
    place(g, t, &image, &top, &left);
    int64_t offset = ((image * oh + top) * ow + left) * c;
    const float *base = jb->in + offset, *ybase = jb->y ? jb->y + offset : NULL;
    float *o = jb->out + t * c, *partial = jb->partial ? jb->partial + t * c : NULL;
    int64_t c0 = 0;
    if (c % 16 == 0) {
      for (; c0 < c; c0 += 16) {
        blocks_grad_step(base, ow, c, oh - top, ow - left, o, stride, c0, 2, 8, jb->stream, ybase, slope, partial);
      }
    }
    for (; c0 < c; c0 += 8) {
      blocks_grad_step(base, ow, c, oh - top, ow - left, o, stride, c0, 1, c - c0 < 8 ? (int)(c - c0) : 8, 0, ybase,
                       slope, partial);
    }
  }
  _mm_sfence();
}

/* The max pooling (x to dx) and its gradient (x and dy to dx) for the pooled rows [from, to) over
 * all images: the gradient writes the p input rows under each (and, for an image's last pooled
 * row, the rows below the last window). */
typedef struct {
  const float *x, *dy;
  float *dx;
  int64_t h, w, c, p, oh, ow;
} pool_job;

/* The max pooling for the pooled rows [from, to) over all images (dy unused, dx the output). */
static void pool_range(const void *j, int64_t from, int64_t to) {
  const pool_job *pj = (const pool_job *)j;
  int64_t h = pj->h, w = pj->w, c = pj->c, p = pj->p, oh = pj->oh, ow = pj->ow;
  for (int64_t g = from; g < to; g++) {
    int64_t image = g / oh, oy = g % oh;
    const float *x = pj->x + image * h * w * c;
    float *y = pj->dx + (image * oh + oy) * ow * c;
    for (int64_t ox = 0; ox < ow; ox++) {
      for (int64_t c0 = 0; c0 < c; c0 += 8) {
        int n = c - c0 < 8 ? (int)(c - c0) : 8;
        v8 best = _mm256_set1_ps(-__builtin_inff()); /* as TensorFlow's: NaN values are passed over */
        for (int64_t k = 0; k < p * p; k++) {
          best = _mm256_max_ps(load8(x + ((oy * p + k / p) * w + ox * p + k % p) * c + c0, n), best);
        }
        store8(y + ox * c + c0, best, n);
      }
    }
  }
}

static void pool_grad_range(const void *j, int64_t from, int64_t to) {
  const pool_job *pj = (const pool_job *)j;
  int64_t h = pj->h, w = pj->w, c = pj->c, p = pj->p, oh = pj->oh, ow = pj->ow;
  for (int64_t g = from; g < to; g++) {
    int64_t image = g / oh, oy = g % oh;
    int64_t last = oy == oh - 1 ? h : (oy + 1) * p; /* an image's last pooled row zeroes the rows below */
    const float *x = pj->x + image * h * w * c;
    float *dx = pj->dx + image * h * w * c;
    const float *dy = pj->dy + (image * oh + oy) * ow * c;
    memset(dx + oy * p * w * c, 0, (size_t)((last - oy * p) * w * c) * sizeof(float));
    for (int64_t ox = 0; ox < ow; ox++) {
      for (int64_t c0 = 0; c0 < c; c0 += 8) {
        int n = c - c0 < 8 ? (int)(c - c0) : 8;
        v8 best = _mm256_set1_ps(-__builtin_inff()); /* NaN values are passed over, as in the pooling */
        v8 at = _mm256_setzero_ps(); /* the window index of the largest value so far, as a float */
        for (int64_t k = 0; k < p * p; k++) {
          v8 v = load8(x + ((oy * p + k / p) * w + ox * p + k % p) * c + c0, n);
          v8 greater = _mm256_cmp_ps(v, best, _CMP_GT_OQ); /* strictly: the first largest stays */
          best = _mm256_blendv_ps(best, v, greater);
          at = _mm256_blendv_ps(at, _mm256_set1_ps((float)k), greater);
        }
        v8 d = load8(dy + ox * c + c0, n);
        for (int64_t k = 0; k < p * p; k++) {
          v8 here = _mm256_cmp_ps(at, _mm256_set1_ps((float)k), _CMP_EQ_OQ);
          store8(dx + ((oy * p + k / p) * w + ox * p + k % p) * c + c0, _mm256_and_ps(here, d), n);
        }
      }
    }
  }
}

/* ---------------------------------------------------------------- kernels */

static void *create(TF_OpKernelConstruction *ctx) {
  (void)ctx;
  static int token;
  return &token;
}

static void destroy(void *kernel) { (void)kernel; }

static void fail(TF_OpKernelContext *ctx, TF_Status *status, const char *message) {
  tf.SetStatus(status, TF_INVALID_ARGUMENT, message);
  tf.Failure(ctx, status);
}

/* The convolution's input shape from input `index` ([4] int32). */
static int read_shape(TF_OpKernelContext *ctx, TF_Status *status, int index, int64_t shape[4]) {
  TF_Tensor *t = NULL;
  tf.GetInput(ctx, index, &t, status);
  if (tf.GetCode(status) != TF_OK) return 0;
  int ok = tf.NumDims(t) == 1 && tf.Dim(t, 0) == 4;
  if (ok) {
    const int32_t *s = (const int32_t *)tf.TensorData(t);
    for (int i = 0; i < 4; i++) shape[i] = s[i];
  }
  tf.DeleteTensor(t);
  if (!ok) fail(ctx, status, "unet4j Winograd op: the shape input must be a vector of 4 sizes");
  return ok;
}

/* Input 0 as a float tensor of rank `rank`, its sizes in dims. */
static TF_Tensor *read_input(TF_OpKernelContext *ctx, TF_Status *status, int rank, int64_t *dims) {
  TF_Tensor *t = NULL;
  tf.GetInput(ctx, 0, &t, status);
  if (tf.GetCode(status) != TF_OK) return NULL;
  if (tf.NumDims(t) != rank) {
    tf.DeleteTensor(t);
    fail(ctx, status, rank == 3 ? "unet4j Winograd op: expected tiles of rank 3 [36, tiles, channels]"
                                : "unet4j Winograd op: expected an image batch of rank 4 [n, h, w, channels]");
    return NULL;
  }
  for (int i = 0; i < rank; i++) dims[i] = tf.Dim(t, i);
  return t;
}

/* Input `index` as a float tensor of `rank` whose size along each axis is `size`
 * (a scalar for rank 0); NULL, the op failed with `message`, where it is not. */
static TF_Tensor *read_floats(TF_OpKernelContext *ctx, TF_Status *status, int index, int rank, int64_t size,
                              const char *message) {
  TF_Tensor *t = NULL;
  tf.GetInput(ctx, index, &t, status);
  if (tf.GetCode(status) != TF_OK) return NULL;
  int ok = tf.NumDims(t) == rank;
  for (int i = 0; ok && i < rank; i++) ok = tf.Dim(t, i) == size;
  if (!ok) {
    tf.DeleteTensor(t);
    fail(ctx, status, message);
    return NULL;
  }
  return t;
}

#define STREAM_BYTES (2u << 20)

/* Allocates output 0 and computes it with fn over [0, count). */
static void run(TF_OpKernelContext *ctx, TF_Status *status, range_fn fn, const geometry *g, TF_Tensor *in,
                const float *const *positions, const job *activation, const int64_t *out_dims, int out_rank,
                int64_t count, int64_t min_part) {
  int64_t elements = 1;
  for (int i = 0; i < out_rank; i++) elements *= out_dims[i];
  TF_Tensor *out = tf.AllocateOutput(ctx, 0, TF_FLOAT, out_dims, out_rank, (size_t)elements * sizeof(float), status);
  if (tf.GetCode(status) != TF_OK) {
    tf.Failure(ctx, status);
  } else {
    float *data = (float *)tf.TensorData(out);
    /* Non-temporal stores for outputs larger than a core's caches, where every step writes whole,
     * aligned lines (they are never read back by the op). */
    int stream = g->c % 16 == 0 && ((uintptr_t)data & 63) == 0 && (size_t)elements * sizeof(float) >= STREAM_BYTES;
    job j = {*g, (const float *)tf.TensorData(in), data, stream, {0}, NULL, NULL, NULL, 1.0f};
    for (int p = 0; p < 36; p++) j.at[p] = positions ? positions[p] : j.in + p * g->tiles * g->c;
    if (activation) { /* the bias and the activation, or the activated output and the partial sums */
      j.bias = activation->bias;
      j.y = activation->y;
      j.partial = activation->partial;
      j.slope = activation->slope;
    }
    if (elements > 0) parallel(fn, &j, count, min_part);
  }
  if (out) tf.DeleteTensor(out);
}

static void compute_tiles(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  TF_Status *status = tf.NewStatus();
  int64_t d[4];
  geometry g;
  TF_Tensor *in = read_input(ctx, status, 4, d);
  if (in) {
    if (!make_geometry(&g, d[0], d[1], d[2], d[3])) {
      fail(ctx, status, "unet4j Winograd op: the image must be at least 3x3");
    } else {
      int64_t out[3] = {36, g.tiles, g.c};
      run(ctx, status, tiles_range, &g, in, NULL, NULL, out, 3, g.tiles, 8);
    }
    tf.DeleteTensor(in);
  }
  tf.DeleteStatus(status);
}

/* Inputs 0..35: 36 tensors [tiles, c] of one shape, one per position; their data in positions. */
static int read_positions(TF_OpKernelContext *ctx, TF_Status *status, int inputs, TF_Tensor *in[36],
                          const float *positions[36], int64_t *tiles, int64_t *c) {
  int ok = tf.NumInputs(ctx) == inputs;
  for (int p = 0; ok && p < 36; p++) {
    tf.GetInput(ctx, p, &in[p], status);
    ok = tf.GetCode(status) == TF_OK && tf.NumDims(in[p]) == 2;
    if (ok && p == 0) {
      *tiles = tf.Dim(in[0], 0);
      *c = tf.Dim(in[0], 1);
    }
    ok = ok && tf.Dim(in[p], 0) == *tiles && tf.Dim(in[p], 1) == *c;
    if (ok) positions[p] = (const float *)tf.TensorData(in[p]);
  }
  if (!ok && tf.GetCode(status) == TF_OK) {
    fail(ctx, status, "unet4j Winograd op: expected 36 tensors [tiles, channels] of one shape, one per position");
  }
  return ok;
}

/* The ops that take the 36 positions' values (inputs 0..35; the convolution's input shape is input
 * 36): the blocks, placed into the cropped output (with a bias [c] and an activation's slope, inputs
 * 37 and 38, activated), or the tiles' gradient, summed into the image. */
enum { BLOCKS, ACTIVATED_BLOCKS, TILES_GRADIENT };

static void compute_from_positions(TF_OpKernelContext *ctx, int kind) {
  TF_Status *status = tf.NewStatus();
  TF_Tensor *in[36] = {0}, *bias = NULL, *slope = NULL;
  const float *positions[36];
  int64_t s[4], tiles = -1, c = -1;
  geometry g;
  if (read_positions(ctx, status, kind == ACTIVATED_BLOCKS ? 39 : 37, in, positions, &tiles, &c) &&
      read_shape(ctx, status, 36, s)) {
    if (!make_geometry(&g, s[0], s[1], s[2], c) || tiles != g.tiles) {
      fail(ctx, status, kind == TILES_GRADIENT ? "unet4j Winograd op: the tiles' gradient does not match the input shape"
                                               : "unet4j Winograd op: the products do not match the input shape");
    } else if (kind == TILES_GRADIENT) {
      int64_t out[4] = {g.n, g.h, g.w, g.c};
      run(ctx, status, tiles_grad_range, &g, in[0], positions, NULL, out, 4, g.n * g.rows, 1);
    } else if (kind == BLOCKS ||
               ((bias = read_floats(ctx, status, 37, 1, c, "unet4j Winograd op: the bias must be a vector of the "
                                                          "products' channels")) &&
                (slope = read_floats(ctx, status, 38, 0, 0, "unet4j Winograd op: the slope must be a scalar")))) {
      int64_t out[4] = {g.n, g.h - 2, g.w - 2, g.c};
      job activation = {.bias = bias ? (const float *)tf.TensorData(bias) : NULL,
                        .slope = slope ? *(const float *)tf.TensorData(slope) : 1.0f};
      run(ctx, status, blocks_range, &g, in[0], positions, kind == ACTIVATED_BLOCKS ? &activation : NULL, out, 4,
          g.tiles, 8);
    }
  }
  for (int p = 0; p < 36; p++) {
    if (in[p]) tf.DeleteTensor(in[p]);
  }
  if (bias) tf.DeleteTensor(bias);
  if (slope) tf.DeleteTensor(slope);
  tf.DeleteStatus(status);
}

static void compute_tiles_grad(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  compute_from_positions(ctx, TILES_GRADIENT);
}

static void compute_activated_blocks(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  compute_from_positions(ctx, ACTIVATED_BLOCKS);
}

static void compute_blocks(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  compute_from_positions(ctx, BLOCKS);
}

/* The blocks' gradient (input 0, the output's gradient; input 1 the convolution's input shape), or
 * with `activated` that of the activated blocks: input 1 is then their output, input 2 the shape,
 * input 3 the activation's slope, and output 1 the bias's gradient [c], the sum over every pixel of
 * the activation's gradient, made tile by tile and then summed in tile order. */
static void blocks_gradient(TF_OpKernelContext *ctx, int activated) {
  TF_Status *status = tf.NewStatus();
  int64_t d[4], s[4];
  geometry g;
  TF_Tensor *in = read_input(ctx, status, 4, d), *y = NULL, *slope = NULL;
  if (in && read_shape(ctx, status, activated ? 2 : 1, s)) {
    if (!make_geometry(&g, s[0], s[1], s[2], d[3]) || d[0] != g.n || d[1] != g.h - 2 || d[2] != g.w - 2) {
      fail(ctx, status, "unet4j Winograd op: the output gradient does not match the input shape");
    } else if (!activated) {
      int64_t out[3] = {36, g.tiles, g.c};
      run(ctx, status, blocks_grad_range, &g, in, NULL, NULL, out, 3, g.tiles, 8);
    } else if ((slope = read_floats(ctx, status, 3, 0, 0, "unet4j Winograd op: the slope must be a scalar"))) {
      tf.GetInput(ctx, 1, &y, status);
      int same = tf.GetCode(status) == TF_OK && tf.NumDims(y) == 4;
      for (int i = 0; same && i < 4; i++) same = tf.Dim(y, i) == d[i];
      float *partial = same ? malloc((size_t)(g.tiles * g.c) * sizeof(float) + 1) : NULL;
      if (!same) {
        if (tf.GetCode(status) == TF_OK) fail(ctx, status, "unet4j Winograd op: the output and its gradient differ in shape");
      } else if (!partial) {
        fail(ctx, status, "unet4j Winograd op: out of memory for the bias's partial sums");
      } else {
        int64_t out[3] = {36, g.tiles, g.c}, channels = g.c;
        job activation = {.y = (const float *)tf.TensorData(y), .partial = partial,
                          .slope = *(const float *)tf.TensorData(slope)};
        run(ctx, status, blocks_grad_range, &g, in, NULL, &activation, out, 3, g.tiles, 8);
        TF_Tensor *bias = tf.GetCode(status) == TF_OK
                              ? tf.AllocateOutput(ctx, 1, TF_FLOAT, &channels, 1, (size_t)g.c * sizeof(float), status)
                              : NULL;
        if (bias && tf.GetCode(status) == TF_OK) {
          float *sum = (float *)tf.TensorData(bias);
          memset(sum, 0, (size_t)g.c * sizeof(float));
          for (int64_t t = 0; t < g.tiles; t++) {
            for (int64_t k = 0; k < g.c; k++) sum[k] += partial[t * g.c + k];
          }
        } else if (tf.GetCode(status) != TF_OK) {
          tf.Failure(ctx, status);
        }
        if (bias) tf.DeleteTensor(bias);
      }
      free(partial);
    }
  }
  if (in) tf.DeleteTensor(in);
  if (y) tf.DeleteTensor(y);
  if (slope) tf.DeleteTensor(slope);
  tf.DeleteStatus(status);
}

static void compute_blocks_grad(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  blocks_gradient(ctx, 0);
}

static void compute_activated_blocks_grad(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  blocks_gradient(ctx, 1);
}

/* The max pooling (input 0 the map, input 1 the pool size p) or, with `gradient`, its gradient
 * (input 1 the pooled values' gradient, input 2 p). */
static void max_pool(TF_OpKernelContext *ctx, int gradient) {
  TF_Status *status = tf.NewStatus();
  TF_Tensor *x = NULL, *dy = NULL, *size = NULL;
  tf.GetInput(ctx, 0, &x, status);
  if (gradient && tf.GetCode(status) == TF_OK) tf.GetInput(ctx, 1, &dy, status);
  if (tf.GetCode(status) == TF_OK) tf.GetInput(ctx, gradient ? 2 : 1, &size, status);
  if (tf.GetCode(status) == TF_OK) {
    int64_t p = tf.NumDims(size) == 0 ? *(const int32_t *)tf.TensorData(size) : 0;
    int ok = p >= 1 && tf.NumDims(x) == 4 && (!gradient || tf.NumDims(dy) == 4);
    int64_t d[4] = {0, 0, 0, 0};
    for (int i = 0; ok && i < 4; i++) d[i] = tf.Dim(x, i);
    ok = ok && (!gradient || (tf.Dim(dy, 0) == d[0] && tf.Dim(dy, 1) == d[1] / p && tf.Dim(dy, 2) == d[2] / p &&
                              tf.Dim(dy, 3) == d[3]));
    if (!ok) {
      fail(ctx, status, gradient ? "unet4j max pooling gradient: expected an input [n, h, w, c], its pooled gradient "
                                   "[n, h / p, w / p, c] and a pool size p of at least 1"
                                 : "unet4j max pooling: expected an input [n, h, w, c] and a pool size p of at least 1");
    } else {
      int64_t pooled[4] = {d[0], d[1] / p, d[2] / p, d[3]}, *shape = gradient ? d : pooled;
      size_t bytes = (size_t)(shape[0] * shape[1] * shape[2] * shape[3]) * sizeof(float);
      TF_Tensor *out = tf.AllocateOutput(ctx, 0, TF_FLOAT, shape, 4, bytes, status);
      if (tf.GetCode(status) != TF_OK) {
        tf.Failure(ctx, status);
      } else {
        pool_job j = {(const float *)tf.TensorData(x), dy ? (const float *)tf.TensorData(dy) : NULL,
                      (float *)tf.TensorData(out), d[1], d[2], d[3], p, d[1] / p, d[2] / p};
        if (j.oh == 0 || j.ow == 0) {
          if (bytes) memset(j.dx, 0, bytes); /* no whole window: nothing was pooled */
        } else {
          parallel(gradient ? pool_grad_range : pool_range, &j, d[0] * j.oh, 1);
        }
      }
      if (out) tf.DeleteTensor(out);
    }
  }
  if (x) tf.DeleteTensor(x);
  if (dy) tf.DeleteTensor(dy);
  if (size) tf.DeleteTensor(size);
  tf.DeleteStatus(status);
}

static void compute_max_pool(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  max_pool(ctx, 0);
}

static void compute_max_pool_grad(void *kernel, TF_OpKernelContext *ctx) {
  (void)kernel;
  max_pool(ctx, 1);
}

/* ---------------------------------------------------------------- registration */

static int resolve(void) {
  void *lib = dlopen("libtensorflow_framework.so.2", RTLD_NOW | RTLD_NOLOAD);
  if (!lib) return 0;
#define FIND(field, symbol)                              \
  do {                                                   \
    *(void **)(&tf.field) = dlsym(lib, #symbol);         \
    if (!tf.field) return 0;                             \
  } while (0)
  FIND(NewStatus, TF_NewStatus);
  FIND(DeleteStatus, TF_DeleteStatus);
  FIND(SetStatus, TF_SetStatus);
  FIND(GetCode, TF_GetCode);
  FIND(NewOpDefinitionBuilder, TF_NewOpDefinitionBuilder);
  FIND(OpDefinitionBuilderAddInput, TF_OpDefinitionBuilderAddInput);
  FIND(OpDefinitionBuilderAddOutput, TF_OpDefinitionBuilderAddOutput);
  FIND(OpDefinitionBuilderAddAttr, TF_OpDefinitionBuilderAddAttr);
  FIND(NumInputs, TF_NumInputs);
  FIND(SetShapeInferenceFunction, TF_OpDefinitionBuilderSetShapeInferenceFunction);
  FIND(SetUnknownShape, TF_ShapeInferenceContextSetUnknownShape);
  FIND(RegisterOpDefinition, TF_RegisterOpDefinition);
  FIND(NewKernelBuilder, TF_NewKernelBuilder);
  FIND(RegisterKernelBuilder, TF_RegisterKernelBuilder);
  FIND(GetInput, TF_GetInput);
  FIND(AllocateOutput, TF_AllocateOutput);
  FIND(Failure, TF_OpKernelContext_Failure);
  FIND(TensorData, TF_TensorData);
  FIND(NumDims, TF_NumDims);
  FIND(Dim, TF_Dim);
  FIND(DeleteTensor, TF_DeleteTensor);
#undef FIND
  return 1;
}

/* Shapes are left to the graph: unet4j states them with EnsureShape where it builds the ops. */
static void unknown_shape(TF_ShapeInferenceContext *ctx, TF_Status *status) { tf.SetUnknownShape(ctx, status); }

/* Registers op `name` (with `attr` where not NULL) of the given inputs and outputs (NULL-ended). */
static void define(const char *name, const char *attr, const char *const *inputs, const char *const *outputs,
                   void (*compute)(void *, TF_OpKernelContext *)) {
  TF_Status *status = tf.NewStatus();
  TF_OpDefinitionBuilder *op = tf.NewOpDefinitionBuilder(name);
  if (attr) tf.OpDefinitionBuilderAddAttr(op, attr);
  for (const char *const *input = inputs; *input; input++) tf.OpDefinitionBuilderAddInput(op, *input);
  for (const char *const *output = outputs; *output; output++) tf.OpDefinitionBuilderAddOutput(op, *output);
  tf.SetShapeInferenceFunction(op, unknown_shape);
  tf.RegisterOpDefinition(op, status);
  if (tf.GetCode(status) == TF_OK) {
    tf.RegisterKernelBuilder(name, tf.NewKernelBuilder(name, "CPU", create, compute, destroy), status);
  }
  tf.DeleteStatus(status);
}

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

__attribute__((constructor)) static void register_ops(void) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") || !resolve()) return;
  define("Unet4jWinogradTiles", NULL, LIST("image: float"), LIST("tiles: float"), compute_tiles);
  define("Unet4jWinogradTilesGrad", "N: int = 36", LIST("tiles_gradient: N * float", "shape: int32"),
         LIST("image_gradient: float"), compute_tiles_grad);
  define("Unet4jWinogradBlocksGrad", NULL, LIST("output_gradient: float", "shape: int32"),
         LIST("products_gradient: float"), compute_blocks_grad);
  define("Unet4jWinogradBlocks", "N: int = 36", LIST("products: N * float", "shape: int32"), LIST("output: float"),
         compute_blocks);
  define("Unet4jWinogradActivatedBlocks", "N: int = 36",
         LIST("products: N * float", "shape: int32", "bias: float", "slope: float"), LIST("output: float"),
         compute_activated_blocks);
  define("Unet4jWinogradActivatedBlocksGrad", NULL,
         LIST("output_gradient: float", "output: float", "shape: int32", "slope: float"),
         LIST("products_gradient: float", "bias_gradient: float"), compute_activated_blocks_grad);
  define("Unet4jMaxPool", NULL, LIST("input: float", "size: int32"), LIST("pooled: float"), compute_max_pool);
  define("Unet4jMaxPoolGrad", NULL, LIST("input: float", "pooled_gradient: float", "size: int32"),
         LIST("input_gradient: float"), compute_max_pool_grad);
}
