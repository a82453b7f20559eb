using System.Collections.Concurrent;

namespace Rewind.Core.Detectors;

/// <summary>
/// The alarm level of a mixture test, computed exactly for its baseline instead of Ville's 1/α.
/// <para>
/// Ville's inequality, P(the e-value ever reaches c) ≤ 1/c, is tight only for a path that meets c exactly. Here the
/// e-value rises only at a bad event, by a jump of up to ln(20) ≈ 3 nats, so at the alarm it is well past c and a release
/// at its baseline alarms at 1/α with probability near 0.6 α: evidence is wasted. This class computes, for the test's
/// grid and baseline, an upper bound of the real false-alarm probability at a level c and picks the lowest level whose
/// bound is at most α. The guarantee stays a bound, not an estimate:
/// </para>
/// <list type="bullet">
/// <item>A dynamic program carries the distribution of the bad count of paths that have not alarmed, in blocks of m
/// events (m · p0 ≤ 0.005). A block is counted as an alarm when its end count, placed as early as it could have come,
/// reaches c: a superset of the real alarms, since the e-value rises with each bad event and falls with each good one.
/// More than <see cref="MaxBadPerBlock"/> bad events in one block count as an alarm too.</item>
/// <item>The program stops when the paths still alive carry little e-value; Ville's inequality from that point on bounds
/// what they could still do: bound = P(alarm so far) + E[e-value; alive] / c.</item>
/// <item>A release whose rate is below p0 alarms less often (couple the two streams: its bad events are a subset), and
/// a batch is checked at its end, a point of the same path: both only lower the real rate.</item>
/// </list>
/// Levels sit on a grid of <see cref="Step"/> nats and are cached per baseline, configured factor and design, so a
/// component's tests share them; computing the level of a test from the deploy takes up to about a second at the
/// smallest baselines (the program's horizon grows as 1/p0), a late-change level usually a single evaluation.
/// </summary>
internal sealed class AlarmLevels
{
    /// <summary>Spacing of the levels tried, in nats: the most evidence a level can waste over the exact one.</summary>
    public const double Step = 0.01;

    /// <summary>How far below Ville's level (in nats) a level is looked for: the gain is about half a nat.</summary>
    private const double Reach = 1.5;

    private const int MaxBadPerBlock = 8;

    /// <summary>Bad events a block of the dynamic program expects at the baseline: smaller is tighter and slower.</summary>
    private const double BlockBadEvents = 0.005;

    /// <summary>Late-change tests' α_k are rounded down to multiples of this many nats.</summary>
    private const double LateResolution = 0.1;

    private static readonly ConcurrentDictionary<(double P0, double? Factor, AnytimeTestDesign Design), AlarmLevels> Cache = new();

    private readonly AlternativeGrid _grid;
    private readonly ConcurrentDictionary<long, double> _bounds = new();
    private readonly ConcurrentDictionary<double, double> _levels = new();
    private readonly ConcurrentDictionary<double, double> _lateLevels = new();

    private AlarmLevels(AlternativeGrid grid) => _grid = grid;

    public static AlarmLevels For(AlternativeGrid grid, AnytimeTestDesign design) =>
        Cache.GetOrAdd((grid.BaselineRate, grid.ConfiguredFactor, design), _ => new AlarmLevels(grid));

    /// <summary>
    /// ln c: the lowest level on the grid whose false-alarm bound is at most e^<paramref name="logAlpha"/>; Ville's
    /// ln(1/α) when none below it is. For the test from the deploy: a binary search, a few evaluations.
    /// </summary>
    public double LogLevel(double logAlpha) => _levels.GetOrAdd(logAlpha, Search);

    /// <summary>
    /// ln c for a late-change test: α_k rounded down to a multiple of <see cref="LateResolution"/> nats (so a long chain
    /// of restarts needs one level per bucket), then the level as far below Ville's as the deploy's level is, checked and
    /// raised until its bound holds. Usually one evaluation per bucket: the gain barely depends on the level.
    /// </summary>
    public double LateLogLevel(double logAlpha, double gain)
    {
        var bucket = Math.Floor(logAlpha / LateResolution) * LateResolution;
        return _lateLevels.GetOrAdd(bucket, b =>
        {
            var alpha = Math.Exp(b);
            for (var index = (long)Math.Ceiling((-b - gain) / Step); index * Step < -b; index += 5)
            {
                if (Bound(index) <= alpha)
                {
                    return index * Step;
                }
            }

            return -b;
        });
    }

    /// <summary>The bound of the false-alarm probability at level e^(<paramref name="index"/> · <see cref="Step"/>).</summary>
    internal double Bound(long index) => _bounds.GetOrAdd(index, i => FalseAlarmBound(i * Step));

    private double Search(double logAlpha)
    {
        var alpha = Math.Exp(logAlpha);
        var ville = -logAlpha;

        // Binary search for the lowest grid index whose bound holds; only an index checked to hold is ever returned.
        long low = (long)Math.Floor((ville - Reach) / Step), high = (long)Math.Floor(ville / Step);
        var best = ville;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            if (Bound(mid) <= alpha)
            {
                best = Math.Min(best, mid * Step);
                high = mid - 1;
            }
            else
            {
                low = mid + 1;
            }
        }

        return best;
    }

    private double FalseAlarmBound(double logLevel)
    {
        var (block, pmf, tail) = BlockLaw(_grid.BaselineRate);
        var maxBad = pmf.Length - 1;

        // alive[x]: probability of x bad events so far without an alarm. threshold[j]: the least end count that counts as
        // an alarm when the block brought j bad events (those j placed first, the earliest they could have come).
        var alive = new double[256];
        var next = new double[256];
        alive[0] = 1;
        var width = 1;
        var threshold = new long[maxBad + 1];
        var alarmed = 0.0;
        long start = 0;
        for (var blocks = 1; ; blocks++)
        {
            for (var j = 0; j <= maxBad; j++)
            {
                threshold[j] = FirstAlarmingCount(start + j, Math.Max(threshold[j], j), logLevel);
            }

            var newWidth = (int)Math.Min(width + maxBad, threshold.Max());
            if (newWidth > next.Length)
            {
                Array.Resize(ref alive, newWidth * 2);
                next = new double[newWidth * 2];
            }

            Array.Clear(next, 0, newWidth);
            for (var x = 0; x < width; x++)
            {
                var mass = alive[x];
                alarmed += mass * tail;
                for (var j = 0; j <= maxBad && mass > 0; j++)
                {
                    if (x + j >= threshold[j])
                    {
                        alarmed += mass * pmf[j];
                    }
                    else
                    {
                        next[x + j] += mass * pmf[j];
                    }
                }
            }

            (alive, next, width, start) = (next, alive, newWidth, start + block);
            if (blocks % 200 == 0 && Carried(alive.AsSpan(0, width), start, logLevel) is var carried && (carried <= 1e-3 * alarmed || blocks >= 200_000))
            {
                return alarmed + carried;
            }
        }
    }

    /// <summary>The block of m events (m · p0 ≤ 0.005), the law of its bad count up to <see cref="MaxBadPerBlock"/>, and the rest.</summary>
    private static (int Block, double[] Pmf, double Tail) BlockLaw(double p0)
    {
        var block = Math.Max(1, (int)Math.Floor(BlockBadEvents / p0));
        var pmf = new double[Math.Min(block, MaxBadPerBlock) + 1];
        for (var j = 0; j < pmf.Length; j++)
        {
            pmf[j] = Math.Exp(LogBinomial(block, j) + (j * Math.Log(p0)) + ((block - j) * Math.Log(1 - p0)));
        }

        return (block, pmf, Math.Max(0, 1 - pmf.Sum()));
    }

    /// <summary>E[e-value / c; alive]: by Ville's inequality, a bound of what the paths still alive can alarm later.</summary>
    private double Carried(ReadOnlySpan<double> alive, long events, double logLevel)
    {
        var carried = 0.0;
        for (var x = 0; x < alive.Length; x++)
        {
            carried += alive[x] > 0 ? alive[x] * Math.Exp(_grid.LogEValue(events, x) - logLevel) : 0;
        }

        return carried;
    }

    /// <summary>The least bad count x ≥ <paramref name="from"/> whose e-value after <paramref name="events"/> events reaches the level.</summary>
    private long FirstAlarmingCount(long events, long from, double logLevel)
    {
        var x = from;
        while (_grid.LogEValue(Math.Max(events, x), x) < logLevel)
        {
            x++;
        }

        return x;
    }

    private static double LogBinomial(int n, int k)
    {
        var sum = 0.0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }

        return sum;
    }
}
