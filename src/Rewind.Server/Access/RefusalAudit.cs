using Microsoft.Extensions.Logging;
using Rewind.Core.Audit;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Server.Hosting;
using Rewind.Storage;

namespace Rewind.Server.Access;

/// <summary>
/// The audit of refused requests (401, 403, 429): counted by <see cref="RefusalTally"/>, so that a flood of them costs a
/// bounded handful of entries instead of one each; <see cref="RefusalAuditHostedService"/> writes the counts as windows
/// end, and at shutdown. Every refusal is also counted in <c>rewind_requests_refused_total</c>.
/// </summary>
internal sealed class RefusalAudit(ConfigHolder config, IStore store, ControllerMetrics metrics, TimeProvider time, ILogger<RefusalAudit> logger) : IDisposable
{
    /// <summary>Counted entries the store did not take are kept for the next try, at most this many.</summary>
    private const int MaxUnwritten = 1000;

    private readonly RefusalTally _tally = new(new RefusalTallyOptions(config.Current.Server.Limits.RefusalWindow, config.Current.Server.Limits.RefusalSources), time);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly StoreOutageLog _outage = new(time);
    private List<AuditRecord> _unwritten = [];

    /// <summary>Counts <paramref name="refusal"/>, and writes it at once when it is its refuser's first in a window.</summary>
    public async Task RecordAsync(Refusal refusal, CancellationToken cancellationToken = default)
    {
        metrics.Refused.Inc(ReasonLabel(refusal.Result));
        if (_tally.Record(refusal) is not { } first)
        {
            return;
        }

        try
        {
            await store.AppendAuditAsync(first, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (_outage.Filter(ex) is { } shown)
            {
                ServerLog.AuditFailed(logger, shown, first.Action);
            }
        }
    }

    /// <summary>Writes the counts of ended windows, or of every window with <paramref name="all"/> (at shutdown).</summary>
    public async Task FlushAsync(bool all, CancellationToken cancellationToken = default)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var pending = _unwritten.Concat(all ? _tally.TakeAll() : _tally.TakeEnded()).ToList();
            _unwritten = [];
            for (var i = 0; i < pending.Count; i++)
            {
                try
                {
                    await store.AppendAuditAsync(pending[i], cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Keep(ex, pending[i..]);
                    return;
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public void Dispose() => _flushing.Dispose();

    private static string ReasonLabel(string result) => result switch
    {
        "401" => "unauthenticated",
        "403" => "forbidden",
        "429" => "rate_limited",
        _ => "other",
    };

    private void Keep(Exception exception, List<AuditRecord> left)
    {
        AccessLog.RefusalsNotWritten(logger, StoreFactory.IsUnavailable(exception) ? new StoreUnavailableException($"the store is unavailable: {exception.Message}") : exception, left.Count);
        if (left.Count > MaxUnwritten)
        {
            var dropped = left[..^MaxUnwritten];
            AccessLog.RefusalsDropped(logger, dropped.Count, dropped.Sum(r => r.Count));
            left = left[^MaxUnwritten..];
        }

        _unwritten = left;
    }
}
