public class Parts2 {
  static long tMadd(short[] wq, short[] xq, int[] prod, int cols) { long t = System.nanoTime(); for (int k = 0; k < 20000; k++) Q4Proto.madd(wq, xq, prod, cols / 2); return System.nanoTime() - t; }
  static long tAcc(short[] wq, short[] xq, int[] prod, int cols) { long t = System.nanoTime(); for (int k = 0; k < 20000; k++) Q4Proto.maddAcc(wq, xq, prod, cols / 2); return System.nanoTime() - t; }
  static int sink;
  static long tSum(short[] wq, short[] xq, int cols) { long t = System.nanoTime(); int s = 0; for (int k = 0; k < 20000; k++) s += Q4Proto.maddSum(wq, xq, cols / 2); sink += s; return System.nanoTime() - t; }
  public static void main(String[] a) {
    int cols = 2048; java.util.Random r = new java.util.Random(1);
    short[] wq = new short[cols], xq = new short[cols]; int[] prod = new int[cols / 2];
    for (int i = 0; i < cols; i++) { xq[i] = (short) (r.nextInt(255) - 127); wq[i] = (short) r.nextInt(900); }
    for (int rep = 0; rep < 30; rep++) {
      long a1 = tMadd(wq, xq, prod, cols), a2 = tAcc(wq, xq, prod, cols), a3 = tSum(wq, xq, cols);
      if (rep % 10 == 9) System.out.printf("madd %.3f maddAcc %.3f maddSum %.3f ns/MAC%n", a1 / 20000.0 / cols, a2 / 20000.0 / cols, a3 / 20000.0 / cols);
    }
  }
}
