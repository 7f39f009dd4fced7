// The constants of the SIMD exp/expm1 algorithm shared by every ISA variant (selu_math_avx2.h,
// selu_math_avx512.h, selu_math_simd.h and the fused kernels that include them), kept in one place so that the
// variants cannot drift apart. Plain constexpr numbers: no intrinsics, includable anywhere.
//
// The algorithm (float32 and float64 alike):
//   n = round(x·log2(e))                      by adding kRoundMagic (see below), exact
//   rh = x − n·ln2_hi                         exact in one FMA (ln2_hi has the working precision and
//                                             |rh| < 1/2, so the result fits; see the kernels' notes)
//   rl = −n·ln2_lo                            r = rh + rl is x − n·ln2 to about 2^-75 (f32) / 2^-105
//   eʳ − 1 = r + r²·q(r),  q(r) = (expm1(r) − r)/r² ≈ 1/2 + r/6 + …, a polynomial below
//   2ⁿ from the exponent bits of the rounded sum (no float→int conversion needed)
//
// Where the polynomials come from: cpp/tests/selu/fit_expm1_poly.py (python3 + mpmath 1.3) fits q
// on [−h, h], h = ln2/2·(1 + 1e-4), minimising the maximum relative error (Lawson's iteration to
// the minimax fit, then fixing the coefficients one at a time at their rounded values and refitting
// the rest), and prints the arrays below. Rerun it to change a degree. Error of q with the rounded
// coefficients: float32 2^-27.9 (degree 5), float64 2^-57.8 (degree 10). r²·q(r) is at most ~0.2
// of the final value and enters as a correction, so these cost < 0.01 ulp.
#pragma once

#include <type_traits>

namespace selu {
namespace expm1_poly {

// --- float32 ------------------------------------------------------------------------------------
// Degree 5; max |p(r)/q(r) - 1| on [-h, h] with these rounded coefficients: 2^-27.94
constexpr float kExpm1QF32[6] = {
    0x1.0000000000000p-1f,   // r^0: 0.5
    0x1.5555560000000p-3f,   // r^1: 0.1666666716337204
    0x1.55550c0000000p-5f,   // r^2: 0.041666530072689056
    0x1.1110560000000p-7f,   // r^3: 0.008333246223628521
    0x1.6d223a0000000p-10f,  // r^4: 0.0013928745174780488
    0x1.a180100000000p-13f,  // r^5: 0.00019907962996512651
};

// --- float64 ------------------------------------------------------------------------------------
// Degree 10; max |p(r)/q(r) - 1| on [-h, h] with these rounded coefficients: 2^-57.81
constexpr double kExpm1QF64[11] = {
    0x1.0000000000000p-1,   // r^0: 0.5
    0x1.5555555555557p-3,   // r^1: 0.16666666666666671
    0x1.555555555555cp-5,   // r^2: 0.041666666666666713
    0x1.111111111000bp-7,   // r^3: 0.0083333333333257733
    0x1.6c16c16c11785p-10,  // r^4: 0.0013888888888841943
    0x1.a01a01ac1584dp-13,  // r^5: 0.00019841269875326071
    0x1.a01a01bfe968cp-16,  // r^6: 2.4801587414599718e-5
    0x1.71de0225d0937p-19,  // r^7: 2.7557255347930852e-6
    0x1.27e4aa8cd097dp-22,  // r^8: 2.7557204234167723e-7
    0x1.af4d67ee97f9ep-26,  // r^9: 2.5105101936878845e-8
    0x1.1fb2886fd7b0cp-29,  // r^10: 2.0932740470863603e-9
};

// --- the reduction constants, float32 and float64 ------------------------------------------------
constexpr float kLog2eF32 = 0x1.715476p+0f;          // log2(e) rounded to float
constexpr double kLog2eF64 = 0x1.71547652b82fep+0;   // and to double
constexpr float kLn2HiF32 = 0x1.62e430p-1f;          // ln2 rounded to float (24 bits)
constexpr double kLn2HiF64 = 0x1.62e42fefa39efp-1;   // ln2 rounded to double
constexpr float kLn2LoF32 = -0x1.05c610p-29f;        // ln2 − kLn2HiF32, rounded to float
constexpr double kLn2LoF64 = 0x1.abc9e3b39803fp-56;  // ln2 − kLn2HiF64, rounded to double
// 1.5·2^23 + 127: adding it to |v| < 2^22 rounds v to an integer n and leaves n + 127 (the biased
// exponent of 2ⁿ) in the low mantissa bits, so (bits << 23) is 2ⁿ for −126 ≤ n ≤ 127. For double
// 1.5·2^52 + 1023, with n + 1023 in the low mantissa bits (shift by 52).
constexpr float kRoundMagicF32 = 12583039.0f;
constexpr double kRoundMagicF64 = 6755399441056767.0;
// The forward kernel clamps x here. n = round(−88·log2e) = −127 makes the exponent bits of 2ⁿ all
// zero, so 2ⁿ is exactly +0 at the clamp: every x ≤ −88 (−Inf included) then gives exactly the
// rounding of −(λα_hi + λα_lo), as if eˣ were 0, which it is to far below an ulp. Above, 2ⁿ is normal.
// For double, n = round(−709·log2e) = −1023 gives 2ⁿ = +0 exactly.
constexpr float kForwardClampF32 = -88.0f;
constexpr double kForwardClampF64 = -709.0;

// The constants of precision T (float or double), for code written once for both.
template <typename T>
struct Expm1 {
  static constexpr bool kFloat = std::is_same<T, float>::value;
  static constexpr int kDegree = kFloat ? 5 : 10;  // of q: coefficients q()[0 .. kDegree]
  static constexpr T kLog2e = kFloat ? kLog2eF32 : kLog2eF64;
  static constexpr T kLn2Hi = kFloat ? kLn2HiF32 : kLn2HiF64;
  static constexpr T kLn2Lo = kFloat ? kLn2LoF32 : kLn2LoF64;
  static constexpr T kRoundMagic = kFloat ? kRoundMagicF32 : kRoundMagicF64;
  static constexpr T kForwardClamp = kFloat ? kForwardClampF32 : kForwardClampF64;
  static constexpr const T* q() {
    if constexpr (kFloat) return kExpm1QF32; else return kExpm1QF64;
  }
};

}  // namespace expm1_poly
}  // namespace selu
