import jdk.incubator.vector.*;
import java.lang.invoke.*;
import java.nio.ByteOrder;
import java.util.Random;

public class Q4Proto {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_64;
  static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_128;
  static final VectorSpecies<Short> S512 = ShortVector.SPECIES_256;
  static final VectorSpecies<Integer> I512 = IntVector.SPECIES_256;
  static final VarHandle SH = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  static float f16(byte[] r, int s) { int h = (short) SH.get(r, s); return Float.intBitsToFloat(((h & 0x8000) << 16) | (((h & 0x7fff) + 0x1c000) << 13)); }
  static int scaleK4(byte[] s, int off, int j) { return j < 4 ? s[off + j] & 63 : (s[off + j + 4] & 15) | ((s[off + j - 4] & 0xff) >>> 6) << 4; }
  static int minK4(byte[] s, int off, int j) { return j < 4 ? s[off + j + 4] & 63 : ((s[off + j + 4] & 0xff) >>> 4) | ((s[off + j] & 0xff) >>> 6) << 4; }

  static IntVector ub(byte[] raw, int s) { return ((IntVector) ByteVector.fromArray(B128, raw, s).convertShape(VectorOperators.B2I, I512, 0)).and(0xff); }

  // current float approach, one row
  static float dotFloat(byte[] raw, int s0, int cols, float[] x) {
    FloatVector a0 = FloatVector.zero(F);
    for (int c0 = 0, b0 = s0; c0 < cols; c0 += 256, b0 += 144) {
      float dAll0 = f16(raw, b0), dMin0 = f16(raw, b0 + 2);
      for (int j = 0; j < 8; j++) {
        float scale0 = dAll0 * scaleK4(raw, b0 + 4, j), min0 = dMin0 * minK4(raw, b0 + 4, j);
        for (int l = 0; l < 32; l += 8) {
          FloatVector v = FloatVector.fromArray(F, x, c0 + 32 * j + l);
          IntVector p = ub(raw, b0 + 16 + 32 * (j / 2) + l);
          IntVector q = (j & 1) == 0 ? p.and(15) : p.lanewise(VectorOperators.LSHR, 4);
          a0 = ((FloatVector) q.convertShape(VectorOperators.I2F, F, 0)).mul(scale0).sub(min0).fma(v, a0);
        }
      }
    }
    return a0.reduceLanes(VectorOperators.ADD);
  }

  // int path: unpack row to shorts (q*sc), madd loop, per-block sums
  static void unpack(byte[] raw, int s0, int cols, short[] wq, int[] mins) {
    for (int c0 = 0, b = s0, blk = 0; c0 < cols; c0 += 256, b += 144, blk++) {
      for (int p = 0; p < 4; p++) for (int h = 0; h < 32; h += 16) {
        ByteVector bv = ByteVector.fromArray(B256, raw, b + 16 + 32 * p + h);
        ShortVector lo = (ShortVector) bv.and((byte) 15).convertShape(VectorOperators.B2S, S512, 0);
        ShortVector hi = (ShortVector) bv.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.B2S, S512, 0);
        lo.mul((short) scaleK4(raw, b + 4, 2 * p)).intoArray(wq, c0 + 64 * p + h);
        hi.mul((short) scaleK4(raw, b + 4, 2 * p + 1)).intoArray(wq, c0 + 64 * p + 32 + h);
      }
    }
  }
  static void madd(short[] w, short[] x, int[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = w[2 * i] * x[2 * i] + w[2 * i + 1] * x[2 * i + 1];
    }
  }
  static void maddAcc(short[] w, short[] x, int[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] += w[2 * i] * x[2 * i] + w[2 * i + 1] * x[2 * i + 1];
    }
  }
  static int maddSum(short[] w, short[] x, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) {
      s += w[2 * i] * x[2 * i] + w[2 * i + 1] * x[2 * i + 1];
    }
    return s;
  }
  static float dotInt(byte[] raw, int s0, int cols, short[] wq, short[] xq, float[] xd, int[] bsums, int[] prod) {
    madd(wq, xq, prod, cols / 2);
    float acc = 0;
    for (int c0 = 0, b = s0, blk = 0; c0 < cols; c0 += 256, b += 144, blk++) {
      int o = c0 / 2;
      IntVector s = IntVector.fromArray(I512, prod, o);
      for (int k = 8; k < 128; k += 8) s = s.add(IntVector.fromArray(I512, prod, o + k));
      int isum = s.reduceLanes(VectorOperators.ADD);
      int msum = 0;
      for (int j = 0; j < 8; j++) msum += minK4(raw, b + 4, j) * bsums[blk * 8 + j];
      acc += xd[blk] * (f16(raw, b) * isum - f16(raw, b + 2) * msum);
    }
    return acc;
  }

  static void runFloat(byte[] raw, int rows, int rowBytes, int cols, int tokens, float[][] x, float[] y) {
      for (int r = 0; r < rows; r++) for (int t = 0; t < tokens; t++) y[r * tokens + t] = dotFloat(raw, r * rowBytes, cols, x[t]);
  }
  static void runInt(byte[] raw, int rows, int rowBytes, int cols, int tokens, short[] wq, int[] mins, short[][] xq, float[][] xd, int[][] bs, int[] prod, float[] y2) {
      for (int r = 0; r < rows; r++) { unpack(raw, r * rowBytes, cols, wq, mins); for (int t = 0; t < tokens; t++) y2[r * tokens + t] = dotInt(raw, r * rowBytes, cols, wq, xq[t], xd[t], bs[t], prod); }
  }
  public static void main(String[] a) {
    int rows = Integer.parseInt(a[0]), cols = Integer.parseInt(a[1]), tokens = Integer.parseInt(a[2]);
    Random rnd = new Random(1);
    int rowBytes = cols / 256 * 144;
    byte[] raw = new byte[rows * rowBytes];
    rnd.nextBytes(raw);
    for (int b = 0; b < raw.length; b += 144) { SH.set(raw, b, (short) (0x1800 + rnd.nextInt(1024))); SH.set(raw, b + 2, (short) (0x1800 + rnd.nextInt(1024))); }
    float[][] x = new float[tokens][cols];
    short[][] xq = new short[tokens][cols]; float[][] xd = new float[tokens][cols / 256]; int[][] bs = new int[tokens][cols / 32];
    for (int t = 0; t < tokens; t++) {
      for (int i = 0; i < cols; i++) x[t][i] = (float) rnd.nextGaussian();
      for (int blk = 0; blk < cols / 256; blk++) {
        float amax = 0; for (int i = 0; i < 256; i++) amax = Math.max(amax, Math.abs(x[t][blk * 256 + i]));
        float d = amax / 127; xd[t][blk] = d;
        for (int i = 0; i < 256; i++) { int q = Math.round(x[t][blk * 256 + i] / d); xq[t][blk * 256 + i] = (short) q; bs[t][blk * 8 + i / 32] += q; }
      }
    }
    short[] wq = new short[cols]; int[] prod = new int[cols / 2]; int[] mins = new int[cols / 32];
    float[] y = new float[rows * tokens], y2 = new float[rows * tokens];
    for (int rep = 0; rep < 40; rep++) {
      long t0 = System.nanoTime();
      runFloat(raw, rows, rowBytes, cols, tokens, x, y);
      long t1 = System.nanoTime();
      runInt(raw, rows, rowBytes, cols, tokens, wq, mins, xq, xd, bs, prod, y2);
      long t2 = System.nanoTime();
      double mac = (double) rows * cols * tokens;
      if (rep % 5 == 4) System.out.printf("float %.1f GMAC/s  int %.1f GMAC/s   y %.4f vs %.4f%n", mac / (t1 - t0), mac / (t2 - t1), y[5], y2[5]);
    }
  }
}
