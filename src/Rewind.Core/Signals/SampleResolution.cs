namespace Rewind.Core.Signals;

/// <summary>How finely probe samples are kept: every sample, or a rollup per minute or per hour. The value is the bucket's length in seconds.</summary>
public enum SampleResolution
{
    Raw = 0,
    Minute = 60,
    Hour = 3600,
}

/// <summary>Bucket arithmetic of <see cref="SampleResolution"/>.</summary>
public static class SampleResolutions
{
    /// <summary>The bucket's length; zero for raw samples.</summary>
    public static TimeSpan Length(this SampleResolution resolution) => TimeSpan.FromSeconds((int)resolution);

    /// <summary>The start of the bucket holding <paramref name="at"/>.</summary>
    public static DateTimeOffset Floor(this SampleResolution resolution, DateTimeOffset at)
    {
        var ms = (long)resolution.Length().TotalMilliseconds;
        var unix = at.ToUnixTimeMilliseconds();
        return ms == 0 ? at : DateTimeOffset.FromUnixTimeMilliseconds(unix - (((unix % ms) + ms) % ms));
    }

    /// <summary>The start of the first bucket that starts at or after <paramref name="at"/>.</summary>
    public static DateTimeOffset Ceiling(this SampleResolution resolution, DateTimeOffset at)
    {
        var floor = resolution.Floor(at);
        return floor == at ? at : floor + resolution.Length();
    }

    /// <summary>The name the API and the dashboard use: <c>raw</c>, <c>1m</c>, <c>1h</c>.</summary>
    public static string Name(this SampleResolution resolution) => resolution switch
    {
        SampleResolution.Minute => "1m",
        SampleResolution.Hour => "1h",
        _ => "raw",
    };

    public static SampleResolution? Parse(string? name) => name switch
    {
        "raw" => SampleResolution.Raw,
        "1m" => SampleResolution.Minute,
        "1h" => SampleResolution.Hour,
        _ => null,
    };
}
