namespace Rewind.Core.Incidents;

/// <summary>P0 is the most severe: users cannot use the product at all.</summary>
public enum Severity
{
    P0,
    P1,
    P2,
    P3,
}
