namespace Rewind.Core.Detectors;

/// <summary>
/// One-sided Wilson score bounds on a rate measured as <c>bad</c> of <c>events</c>. A baseline measured on a finite
/// number of requests is an estimate: the regression test alarms against its upper bound (a healthy successor is not
/// taken for a regression because its predecessor happened to look cleaner than it was) and promotion rules out the
/// regression above its lower bound (a bad successor does not clear because its predecessor happened to look worse).
/// </summary>
public static class RateBounds
{
    /// <summary>z of the one-sided 99 % bound: the bound fails with probability at most 1 %.</summary>
    public const double Z = 2.326;

    public static double Upper(double bad, double events) => Bound(bad, events, +1);

    public static double Lower(double bad, double events) => Bound(bad, events, -1);

    private static double Bound(double bad, double events, int sign)
    {
        if (events <= 0)
        {
            return sign > 0 ? 1 : 0;
        }

        var p = Math.Clamp(bad / events, 0, 1);
        var z2 = Z * Z;
        var centre = p + (z2 / (2 * events));
        var spread = Z * Math.Sqrt((p * (1 - p) / events) + (z2 / (4 * events * events)));
        return Math.Clamp((centre + (sign * spread)) / (1 + (z2 / events)), 0, 1);
    }
}
