// N-API entry points for mean/variance: unwrap, check, call moments_ops. No arithmetic here.
//
//   moments(x, mean, variance, rows, cols, axis, correction) -> mean
//   seluMoments(x, out, mean, variance, rows, cols, axis, correction, ...k) -> out
// and momentsAsync / seluMomentsAsync returning a Promise of the same. axis is -1 (all values), 0 (one
// result per column) or 1 (one per row); mean and variance are Float64Arrays with one slot per
// result; ...k = the four SELU kernel constants (lib/constants.ts, seluKernelConstants). The 16-bit
// twins moments16(format, ...) and seluMoments16(format, ...) (and Async) take Uint16Array data
// (half_entry.h); mean and variance stay Float64Arrays.
#include <stdint.h>

#include <cmath>
#include <string>

#include "../moments/moments_ops.h"
#include "async_job.h"
#include "bindings.h"
#include "errors.h"
#include "float_array_arg.h"
#include "../half/half_ops.h"
#include "half_entry.h"
#include "selu_params_arg.h"
#include "sync_entry.h"

namespace selu_napi {

namespace {

bool read_positive_integer(napi_env env, napi_value value, const char* name, size_t* out) {
  double v;
  if (!read_number(env, value, name, &v)) return false;
  if (!(v >= 1 && v <= 9007199254740991.0) || v != std::floor(v)) {
    return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", std::string(name) + " must be a positive integer", name);
  }
  *out = static_cast<size_t>(v);
  return true;
}

// mean, variance, rows, cols, axis, correction at argv[0..5], for data x.
struct ShapeArgs {
  selu::MomentsShape shape;
  FloatArrayArg mean, variance;

  bool unwrap(napi_env env, const napi_value* argv, const FloatArrayArg& x) {
    double axis, correction;
    if (!read_float_array(env, argv[0], "mean", &mean) || !read_float_array(env, argv[1], "variance", &variance) ||
        !read_positive_integer(env, argv[2], "options.shape[0]", &shape.rows) ||
        !read_positive_integer(env, argv[3], "options.shape[1]", &shape.cols) || !read_number(env, argv[4], "axis", &axis) ||
        !read_number(env, argv[5], "correction", &correction)) {
      return false;
    }
    if (shape.cols > SIZE_MAX / shape.rows || shape.rows * shape.cols != x.length) {
      return fail_range_error(env, "ERR_SELU_LENGTH_MISMATCH", "rows * cols must equal the length of x", "options.shape");
    }
    if (axis != -1 && axis != 0 && axis != 1) return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", "axis must be -1, 0 or 1", "options.axis");
    if (correction != 0 && correction != 1) return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", "correction must be 0 or 1", "options.correction");
    shape.axis = static_cast<selu::MomentsAxis>(static_cast<int>(axis));
    shape.correction = static_cast<int>(correction);
    if (selu::moments_count(shape) <= static_cast<size_t>(shape.correction)) {
      return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", "each group needs more values than the correction", "options.correction");
    }
    const size_t groups = selu::moments_groups(shape);
    if (mean.dtype != Dtype::kFloat64 || variance.dtype != Dtype::kFloat64 || mean.length != groups ||
        variance.length != groups) {
      return fail_range_error(env, "ERR_SELU_LENGTH_MISMATCH", "mean and variance must be Float64Arrays with one slot per group", "mean");
    }
    return true;
  }
  double* mean_data() const { return static_cast<double*>(mean.data); }
  double* variance_data() const { return static_cast<double*>(variance.data); }
};

struct MomentsCall : DataFormat {
  static constexpr size_t kResultArg = 1;
  FloatArrayArg x;
  ShapeArgs s;

  static bool unwrap(napi_env env, const napi_value* argv, MomentsCall* c) {
    return c->read(env, argv[0], "x", &c->x) && c->s.unwrap(env, argv + 1, c->x);
  }
  void run() const {
    by_dtype(x.dtype, [&](auto t) { selu::moments(x.as(t), s.shape, s.mean_data(), s.variance_data()); });
  }
};

struct SeluMomentsCall : DataFormat {
  static constexpr size_t kResultArg = 1;
  FloatArrayArg x, out;
  ShapeArgs s;
  selu::SeluParams k;

  static bool unwrap(napi_env env, const napi_value* argv, SeluMomentsCall* c) {
    return c->read(env, argv[0], "x", &c->x) && c->read(env, argv[1], "options.out", &c->out) &&
           check_out_fits(env, c->x, c->out, "x") &&
           c->s.unwrap(env, argv + 2, c->x) && read_selu_params(env, argv + 8, &c->k);
  }
  void run() const {
    by_dtype(x.dtype, [&](auto t) { selu::selu_moments(x.as(t), out.as(t), s.shape, k, s.mean_data(), s.variance_data()); });
  }
};

}  // namespace

void register_moments(Napi::Env env, Napi::Object exports) {
  export_op_and_16bit_twin<MomentsCall, 3>(env, exports, "moments");
  export_op_and_16bit_twin<SeluMomentsCall, 4>(env, exports, "seluMoments");
}

}  // namespace selu_napi
