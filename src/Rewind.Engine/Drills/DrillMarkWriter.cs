using Rewind.Core.Drills;
using Rewind.Runtime.Drills;

namespace Rewind.Engine.Drills;

/// <summary>
/// The drill's data check: a mark written every interval from before the fault until the recovery, then read back.
/// Acknowledged marks that are gone are the data lost; their span, from the newest mark kept before them to the newest
/// lost, is the recovery point the drill achieved.
/// </summary>
internal sealed class DrillMarkWriter(DrillMarkTarget target, string runId, TimeSpan interval, TimeProvider time)
{
    private readonly List<(string Mark, DateTimeOffset At, bool Acknowledged)> _written = [];
    private readonly Lock _gate = new();

    /// <summary>Every mark of this run starts with it.</summary>
    public string Prefix { get; } = $"drill-{runId}-";

    /// <summary>Before the fault: what the marks need (the table).</summary>
    public Task PrepareAsync(CancellationToken cancellationToken) => target.PrepareAsync(cancellationToken);

    public async Task WriteUntilCancelledAsync(CancellationToken cancellationToken)
    {
        for (var seq = 1; !cancellationToken.IsCancellationRequested; seq++)
        {
            var mark = $"{Prefix}{seq:D6}";
            var at = time.GetUtcNow();
            bool acknowledged;
            try
            {
                acknowledged = await target.WriteAsync(mark, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // a write cut off by the end is not acknowledged, nor counted
            }

            lock (_gate)
            {
                _written.Add((mark, at, acknowledged));
            }

            try
            {
                await Task.Delay(interval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<DrillDataLoss> MeasureAsync(CancellationToken cancellationToken)
    {
        List<(string Mark, DateTimeOffset At, bool Acknowledged)> written;
        lock (_gate)
        {
            written = [.. _written];
        }

        var acknowledged = written.Where(w => w.Acknowledged).OrderBy(w => w.At).ToList();
        IReadOnlySet<string> present;
        try
        {
            present = await target.ReadAsync(Prefix, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new DrillDataLoss(written.Count, acknowledged.Count, 0, TimeSpan.Zero, null, null, $"the marks could not be read back: {ex.Message}");
        }

        return Loss(written.Count, acknowledged, present);
    }

    private static DrillDataLoss Loss(int written, List<(string Mark, DateTimeOffset At, bool Acknowledged)> acknowledged, IReadOnlySet<string> present)
    {
        if (acknowledged.Count == 0)
        {
            return new DrillDataLoss(written, 0, 0, TimeSpan.Zero, null, null, $"none of the {written} writes was acknowledged (see the drill's events: could the marks be prepared?), so nothing could be lost or kept");
        }

        var lost = acknowledged.Where(w => !present.Contains(w.Mark)).ToList();
        if (lost.Count == 0)
        {
            return new DrillDataLoss(written, acknowledged.Count, 0, TimeSpan.Zero, null, null);
        }

        var (first, last) = (lost[0].At, lost[^1].At);
        var keptBefore = acknowledged.Where(w => w.At < first && present.Contains(w.Mark)).Select(w => (DateTimeOffset?)w.At).LastOrDefault();
        return new DrillDataLoss(written, acknowledged.Count, lost.Count, last - (keptBefore ?? first), first, last);
    }
}
