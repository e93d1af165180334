import jdk.incubator.vector.*;
public class MaddExp {
  // C2's superword turns this shape into vpmaddwd (and vpdpwssd with VNNI), per JDK-8214751
  static void madd(short[] a, short[] b, int[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
    }
  }
  static float fdot(float[] a, float[] b, int n) {
    FloatVector acc = FloatVector.zero(FloatVector.SPECIES_256), acc1 = acc, acc2 = acc, acc3 = acc;
    for (int i = 0; i < n; i += 32) {
      acc = FloatVector.fromArray(FloatVector.SPECIES_256, a, i).fma(FloatVector.fromArray(FloatVector.SPECIES_256, b, i), acc);
      acc1 = FloatVector.fromArray(FloatVector.SPECIES_256, a, i + 8).fma(FloatVector.fromArray(FloatVector.SPECIES_256, b, i + 8), acc1);
      acc2 = FloatVector.fromArray(FloatVector.SPECIES_256, a, i + 16).fma(FloatVector.fromArray(FloatVector.SPECIES_256, b, i + 16), acc2);
      acc3 = FloatVector.fromArray(FloatVector.SPECIES_256, a, i + 24).fma(FloatVector.fromArray(FloatVector.SPECIES_256, b, i + 24), acc3);
    }
    return acc.add(acc1).add(acc2).add(acc3).reduceLanes(VectorOperators.ADD);
  }
  public static void main(String[] args) {
    int n = 2048; // MACs per call: 2n for madd
    short[] a = new short[2 * n], b = new short[2 * n]; int[] out = new int[n];
    float[] fa = new float[2 * n], fb = new float[2 * n];
    for (int i = 0; i < 2 * n; i++) { a[i] = (short) (i % 15); b[i] = (short) (i % 127 - 63); fa[i] = a[i]; fb[i] = b[i]; }
    double bm = 1e18, bf = 1e18; float sink = 0;
    for (int it = 0; it < 200000; it++) {
      long t0 = System.nanoTime(); madd(a, b, out, n); long t1 = System.nanoTime(); sink += fdot(fa, fb, 2 * n); long t2 = System.nanoTime();
      if (it > 100000) { bm = Math.min(bm, t1 - t0); bf = Math.min(bf, t2 - t1); }
    }
    System.out.printf("int16 madd loop: %.4f ns/MAC; float FMA dot: %.4f ns/MAC (%s)%n", bm / (2 * n), bf / (2 * n), sink > 0 ? "" : " ");
  }
}
