using System.Globalization;

namespace Rewind.Core.Policies.Conditions;

/// <summary>
/// An ordinary least-squares line through a signal's recent values, and when it reaches a limit: "disk full within
/// 30 min". The fit is the textbook closed form (a few lines, so no numerics package is pulled in for it).
/// Not thread-safe: the decision engine holds its component's lock.
/// </summary>
public sealed class LinearTrend(TimeSpan over)
{
    private readonly Queue<(DateTimeOffset At, double Value)> _points = new();

    public int Count => _points.Count;

    public void Add(DateTimeOffset at, double value)
    {
        _points.Enqueue((at, value));
        while (_points.Count > 0 && _points.Peek().At < at - over)
        {
            _points.Dequeue();
        }
    }

    /// <summary>Slope per second and the fitted value at <paramref name="now"/>; null with fewer than two distinct times.</summary>
    public (double SlopePerSecond, double Fitted)? Fit(DateTimeOffset now)
    {
        if (_points.Count < 2)
        {
            return null;
        }

        var origin = _points.Peek().At;
        double n = _points.Count, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var (at, value) in _points)
        {
            var x = (at - origin).TotalSeconds;
            sx += x;
            sy += value;
            sxx += x * x;
            sxy += x * value;
        }

        var denominator = (n * sxx) - (sx * sx);
        if (denominator <= 1e-12)
        {
            return null;
        }

        var slope = ((n * sxy) - (sx * sy)) / denominator;
        var intercept = (sy - (slope * sx)) / n;
        return (slope, intercept + (slope * (now - origin).TotalSeconds));
    }

    /// <summary>How long until the line reaches <paramref name="limit"/>; zero when already there, null when it moves away or is flat.</summary>
    public TimeSpan? TimeToReach(DateTimeOffset now, double limit, bool falling, int minPoints)
    {
        if (_points.Count < minPoints || Fit(now) is not { } fit)
        {
            return null;
        }

        var distance = falling ? fit.Fitted - limit : limit - fit.Fitted;
        var speed = falling ? -fit.SlopePerSecond : fit.SlopePerSecond;
        if (distance <= 0)
        {
            return TimeSpan.Zero;
        }

        return speed <= 0 ? null : TimeSpan.FromSeconds(Math.Min(distance / speed, TimeSpan.MaxValue.TotalSeconds / 2));
    }

    public string Describe(DateTimeOffset now, double limit, bool falling, int minPoints)
    {
        if (Fit(now) is not { } fit || _points.Count < minPoints)
        {
            return $"{_points.Count} values fitted, {minPoints} needed: no prediction";
        }

        var reach = TimeToReach(now, limit, falling, minPoints);
        var when = reach is { } t ? (t == TimeSpan.Zero ? "already reached" : $"reaches it in {Configuration.Durations.Format(t)}") : "moving away from it";
        return string.Create(CultureInfo.InvariantCulture,
            $"fit over {_points.Count} values: now {fit.Fitted:G6}, slope {fit.SlopePerSecond * 60:G4}/min, limit {limit:G6}: {when}");
    }
}
