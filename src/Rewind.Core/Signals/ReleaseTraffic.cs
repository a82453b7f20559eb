namespace Rewind.Core.Signals;

/// <summary>Requests and bad events a release has served, counted from the scrapes of every controller run that watched it.</summary>
public sealed record ReleaseTraffic(double Requests, double Bad)
{
    public double BadRatio => Requests > 0 ? Bad / Requests : 0;
}
