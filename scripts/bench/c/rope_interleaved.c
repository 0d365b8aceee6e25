/*
 * The float32 interleaved RoPE loop of posenc's vector kernel (AVX2, head_dim 128), written in C with the same
 * instructions C2 emits for it, timed against the same in-place baseline (x = -x) in alternating rounds, on buffers
 * placed where we choose. It answers one question: how close to the baseline can this loop get on this machine
 * when the compiler is not the JIT, and how much does the buffers' placement decide?
 *
 * Shape as `posenc bench rope --layout interleaved`: 4096 tokens, 32 query + 8 key heads of 128, token-major.
 * Per token the cos/sin row is expanded into [c0, c0, c1, c1, ..] and [-s0, s0, -s1, s1, ..] (as the kernel's
 * prepare does); each 8-float vector v becomes v*C + swap(v)*S, two products and a sum, each rounded (no FMA: the
 * kernel is held bit-identical to its scalar oracle), the swap a vpermps (what the Vector API's rearrange compiles
 * to) or, with SWAP=in_lane, a vpermilps (which the Vector API cannot emit).
 *
 *   gcc -O3 -march=native -ffp-contract=off rope_interleaved.c -o rope_interleaved -lm
 *   ./rope_interleaved [offset bytes past a 2 MiB boundary, default 16] [huge|small, default huge]
 *
 * Offset 16 is where HotSpot puts a large float[]'s first element (a humongous object starts a G1 region; the array
 * header is 16 bytes). Run by run.sh.
 */
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

enum { TOKENS = 4096, HEADS = 32, KV_HEADS = 8, DIM = 128, ROUNDS = 60 };

static float *query, *key, *cos_sin; /* cos_sin: [TOKENS][DIM] compact, cos then sin per token */
static float expanded[2 * DIM] __attribute__((aligned(64)));

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* `bytes` at `offset` bytes past a 2 MiB boundary, on huge pages if asked (before the first touch). */
static float *buffer(size_t bytes, size_t offset, int huge) {
    size_t two_mib = (size_t) 2 << 20, length = bytes + offset + 2 * two_mib;
    char *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    char *aligned = (char *) (((size_t) p + two_mib - 1) & ~(two_mib - 1));
    if (huge && madvise(aligned, length - (aligned - p), MADV_HUGEPAGE) != 0) {
        perror("madvise");
        exit(1);
    }
    memset(aligned, 0, bytes + offset);
    return (float *) (aligned + offset);
}

__attribute__((noinline)) static void negate(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        x[i] = -x[i];
    }
}

static void baseline(void) {
    negate(query, (size_t) TOKENS * HEADS * DIM);
    negate(key, (size_t) TOKENS * KV_HEADS * DIM);
}

static inline __m256 swap_pairs(__m256 v) {
#ifdef IN_LANE
    return _mm256_permute_ps(v, 0xB1);
#else
    __m256 r;
    __m256i index = _mm256_setr_epi32(1, 0, 3, 2, 5, 4, 7, 6);
    __asm__("vpermps %1, %2, %0" : "=x"(r) : "x"(v), "x"(index)); /* kept a register vpermps, as C2 emits it */
    return r;
#endif
}

static inline void heads(float *x, int n) {
    const float *c = expanded, *s = expanded + DIM;
    for (int h = 0; h < n; h++, x += DIM) {
        for (int j = 0; j < DIM; j += 8) {
            __m256 v = _mm256_loadu_ps(x + j);
            __m256 rotated = _mm256_add_ps(_mm256_mul_ps(v, _mm256_loadu_ps(c + j)),
                                           _mm256_mul_ps(swap_pairs(v), _mm256_loadu_ps(s + j)));
            _mm256_storeu_ps(x + j, rotated);
        }
    }
}

__attribute__((noinline)) static void rope(void) {
    for (int t = 0; t < TOKENS; t++) {
        const float *row = cos_sin + (size_t) t * DIM;
        for (int i = 0; i < DIM / 2; i++) {
            float c = row[i], s = row[DIM / 2 + i];
            expanded[2 * i] = c;
            expanded[2 * i + 1] = c;
            expanded[DIM + 2 * i] = -s;
            expanded[DIM + 2 * i + 1] = s;
        }
        heads(query + (size_t) t * HEADS * DIM, HEADS);
        heads(key + (size_t) t * KV_HEADS * DIM, KV_HEADS);
    }
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    size_t offset = argc > 1 ? strtoul(argv[1], NULL, 10) : 16;
    int huge = argc > 2 ? strcmp(argv[2], "small") != 0 : 1;
    if (offset % 4 != 0) {
        fprintf(stderr, "offset: expected a multiple of 4 bytes, got %zu\n", offset);
        return 2;
    }
    query = buffer(sizeof(float) * TOKENS * HEADS * DIM, offset, huge);
    key = buffer(sizeof(float) * TOKENS * KV_HEADS * DIM, offset, huge);
    cos_sin = buffer(sizeof(float) * TOKENS * DIM, 0, huge);
    srand(1);
    for (size_t i = 0; i < (size_t) TOKENS * HEADS * DIM; i++) query[i] = 2.0f * rand() / RAND_MAX - 1;
    for (size_t i = 0; i < (size_t) TOKENS * KV_HEADS * DIM; i++) key[i] = 2.0f * rand() / RAND_MAX - 1;
    for (int t = 0; t < TOKENS; t++) {
        for (int i = 0; i < DIM / 2; i++) {
            double angle = t * pow(10000.0, -2.0 * i / DIM);
            cos_sin[(size_t) t * DIM + i] = (float) cos(angle);
            cos_sin[(size_t) t * DIM + DIM / 2 + i] = (float) sin(angle);
        }
    }
    for (int w = 0; w < 10; w++) {
        baseline();
        rope();
    }
    double ratio[ROUNDS], kernel[ROUNDS], base[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now();
        baseline();
        double t1 = now();
        rope();
        double t2 = now();
        baseline();
        double t3 = now();
        base[r] = 0.5 * ((t1 - t0) + (t3 - t2));
        kernel[r] = t2 - t1;
        ratio[r] = base[r] / kernel[r];
    }
    qsort(ratio, ROUNDS, sizeof(double), by_value);
    qsort(kernel, ROUNDS, sizeof(double), by_value);
    qsort(base, ROUNDS, sizeof(double), by_value);
    double bytes = 2.0 * sizeof(float) * TOKENS * (HEADS + KV_HEADS) * DIM;
    printf("offset %zu B, %s pages, swap %s: kernel %.0f%% of the baseline (quartiles %.0f-%.0f%%, %d rounds);"
           " kernel %.2f ms (%.1f GB/s), baseline %.2f ms (%.1f GB/s)\n",
           offset, huge ? "huge" : "4 KiB",
#ifdef IN_LANE
           "vpermilps",
#else
           "vpermps",
#endif
           100 * ratio[ROUNDS / 2], 100 * ratio[ROUNDS / 4], 100 * ratio[3 * ROUNDS / 4], ROUNDS,
           1e3 * kernel[ROUNDS / 2], bytes / kernel[ROUNDS / 2] / 1e9, 1e3 * base[ROUNDS / 2],
           bytes / base[ROUNDS / 2] / 1e9);
    return 0;
}
