namespace Rewind.Bench.Detection;

/// <summary>Binomial draws by inversion (Kachitvichyanukul and Schmeiser's BINV), exact and fast for small n·p.</summary>
internal static class Binomial
{
    public static int Sample(Random random, int n, double p)
    {
        if (p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return n;
        }

        if (p > 0.5)
        {
            return n - Sample(random, n, 1 - p);
        }

        var q = 1 - p;
        var s = p / q;
        var a = (n + 1) * s;
        var r = Math.Pow(q, n);
        var u = random.NextDouble();
        var x = 0;
        while (u > r && x < n)
        {
            u -= r;
            x++;
            r *= (a / x) - s;
        }

        return x;
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p), summed from the pmf (n·p small).</summary>
    public static double UpperTail(int n, double p, int k)
    {
        var below = 0.0;
        var term = Math.Pow(1 - p, n);
        for (var x = 0; x < k; x++)
        {
            below += term;
            term *= (double)(n - x) / (x + 1) * p / (1 - p);
        }

        return Math.Max(0, 1 - below);
    }
}
