namespace SampleService.Faults;

/// <summary>The faults in force: those of the release at start, then whatever <c>POST /admin/fault</c> sets.</summary>
internal sealed class FaultState(FaultSettings initial)
{
    private readonly Lock _gate = new();
    private FaultSettings _current = initial;

    public FaultSettings Current => Volatile.Read(ref _current);

    /// <summary>Merges a validated update; the lock keeps two concurrent updates of different fields from losing one.</summary>
    public FaultSettings Apply(FaultUpdate update)
    {
        lock (_gate)
        {
            var next = update.ApplyTo(_current);
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <summary>Draws whether this request fails; <see cref="Random.Shared"/> is seeded per process and thread-safe.</summary>
    public bool FailsThisRequest()
    {
        var fraction = Current.ErrorFraction;
        return fraction > 0 && Random.Shared.NextDouble() < fraction;
    }
}
