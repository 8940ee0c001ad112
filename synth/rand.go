package synth

import (
	"math"
	"math/rand/v2"
)

// Stream tags keep the random streams of different purposes apart.
const (
	tagModel uint64 = iota + 1 // households and people of one county
	tagForm                    // the form of one file (encoding, gzip, column order)
	tagRows                    // the rows of one county in one file
	tagDirt                    // the dirt of one county in one file
)

// mix64 is the splitmix64 finaliser: a cheap, well-mixing bijection.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// streamSeed derives the seed of one random stream from the run seed and the
// stream's coordinates (purpose, source, period, county). Every stream is
// seeded from its coordinates alone, so output does not depend on the order
// in which goroutines run.
func streamSeed(seed int64, tag, a, b, c uint64) uint64 {
	h := mix64(uint64(seed) ^ 0x5851f42d4c957f2d)
	h = mix64(h ^ tag)
	h = mix64(h ^ a)
	h = mix64(h ^ b)
	return mix64(h ^ c)
}

// newRand returns a PCG generator for the stream with these coordinates.
func newRand(seed int64, tag, a, b, c uint64) *rand.Rand {
	s := streamSeed(seed, tag, a, b, c)
	return rand.New(rand.NewPCG(s, mix64(s^0xda942042e4dd58b5)))
}

// hashUnit maps a key to a uniform float in [0, 1). It gives a person or a
// household stable per-month or per-year decisions without keeping state.
func hashUnit(key, a, b uint64) float64 {
	return float64(mix64(mix64(key^a)^b)>>11) / (1 << 53)
}

// between returns a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// logUniform returns a value between lo and hi whose logarithm is uniform,
// the shape of medical costs and sales volumes.
func logUniform(r *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + r.Float64()*(math.Log(hi)-math.Log(lo)))
}

// pick returns an index drawn with the given weights.
func pick(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	u := r.Float64() * total
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}
