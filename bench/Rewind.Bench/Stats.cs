namespace Rewind.Bench;

/// <summary>Order statistics of a sample of durations, in seconds.</summary>
internal sealed record Stats(int Count, double Median, double P90, double Min, double Max)
{
    public static Stats Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return new Stats(sorted.Length, Quantile(sorted, 0.5), Quantile(sorted, 0.9), sorted[0], sorted[^1]);
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
