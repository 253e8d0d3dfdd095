/*
 * vmath.h — branch-free exp and log1p that vectorize, and the function attributes
 * of the core's hot loops (internal to src/core; not part of any module's API).
 *
 *     LS_CLONES      compile a kernel for AVX-512, AVX2 with FMA (x86-64-v3: "avx2"
 *                    alone has no FMA, so its clone multiplied and added apart) and
 *                    baseline x86-64, picked at run time (GCC on x86-64 Linux), with
 *                    FMA contraction
 *     LS_INLINE      static inline, always inlined (so simd loops can call it)
 *     k_exp_neg(x)   e^x for x <= 0 (0 below -708), about 1 ulp
 *     k_log1p(x)     log(1 + x) for finite x >= 0, about 1 ulp
 *
 * Used by landscape.c, landscape_mlp.c and model_fast.c.
 */
#ifndef LOSSCAPE_VMATH_H
#define LOSSCAPE_VMATH_H

#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__gnu_linux__)
#define LS_CLONES __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default"), optimize("fp-contract=fast")))
#else
#define LS_CLONES
#endif
#if defined(__GNUC__)
#define LS_INLINE static inline __attribute__((always_inline))
#else
#define LS_INLINE static inline
#endif

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10

LS_INLINE double bits_to_double(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

LS_INLINE uint64_t double_to_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* e^x for x ≤ 0, branch-free: 0 below −708 (where e^x < 2.3e−308 anyway).
 * x = k ln2 + r, |r| ≤ ln2/2 (Cody–Waite), e^r by its Taylor polynomial of degree 12
 * (truncation < 2.5e−16 relative), 2^k from the exponent bits. */
LS_INLINE double k_exp_neg(double x)
{
    const double shift = 0x1.8p52;
    uint64_t keep = (uint64_t)0 - (uint64_t)(x > -708.0);
    double xc = bits_to_double((double_to_bits(x) & keep) | (double_to_bits(-708.0) & ~keep));
    double kd = xc * 0x1.71547652b82fep0 + shift; /* round(x/ln2) in the low bits */
    uint64_t kb = double_to_bits(kd);
    kd -= shift;
    double r = (xc - kd * LN2_HI) - kd * LN2_LO;
    double p = 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    double sc = bits_to_double((kb + 1023u) << 52); /* kb's low bits hold k */
    /* select by a bit mask: both sides computed, so the loop if-converts even
     * without AVX-512 masking */
    return bits_to_double(double_to_bits(p * sc) & keep);
}

/* log1p(x) for finite x ≥ 0 (and log(1 + x) up to DBL_MAX), branch-free:
 * w = 1 + x = 2^k m with m ∈ [√2/2, √2) from the bits, log m = 2 atanh(s),
 * s = (m − 1)/(m + 1), |s| ≤ 0.172, by its series to s¹⁹ (truncation < 3e−17);
 * the rounding of 1 + x is corrected by (x − (w − 1))/w. */
LS_INLINE double k_log1p(double x)
{
    double w = 1.0 + x;
    double c = (x - (w - 1.0)) / w;
    uint64_t ub = double_to_bits(w) + (0x3ff0000000000000ull - 0x3fe6a09e667f3bcdull);
    double m = bits_to_double((ub & 0x000fffffffffffffull) + 0x3fe6a09e667f3bcdull);
    double k = bits_to_double(0x4330000000000000ull | (ub >> 52)) - 0x1p52 - 1023.0;
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double q = 1.0 / 19.0;
    q = q * z + 1.0 / 17.0;
    q = q * z + 1.0 / 15.0;
    q = q * z + 1.0 / 13.0;
    q = q * z + 1.0 / 11.0;
    q = q * z + 1.0 / 9.0;
    q = q * z + 1.0 / 7.0;
    q = q * z + 1.0 / 5.0;
    q = q * z + 1.0 / 3.0;
    double lm = 2.0 * s + 2.0 * s * z * q;
    return k * LN2_HI + (lm + (k * LN2_LO + c));
}

#endif
