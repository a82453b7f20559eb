using System.Collections.Concurrent;

namespace Rewind.Engine.Agents;

/// <summary>
/// Wakes whoever waits in this process: an agent's long poll when work for its host was stored, the step waiting for an
/// attempt when its report arrived. Only a shortcut: both also read the store at a short interval, since the work may
/// be stored, and the report arrive, at another replica.
/// </summary>
public sealed class AgentWork
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _attempts = new(StringComparer.Ordinal);

    /// <summary>Work for <paramref name="host"/> was stored.</summary>
    public void Offer(string host) => Fire(_hosts, host);

    /// <summary>The attempt <paramref name="attemptId"/> was reported.</summary>
    public void Reported(string attemptId) => Fire(_attempts, attemptId);

    /// <summary>Returns when work for <paramref name="host"/> is offered, or after <paramref name="atMost"/>.</summary>
    public Task WaitForWorkAsync(string host, TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken) =>
        WaitAsync(_hosts, host, atMost, time, cancellationToken);

    /// <summary>Returns when <paramref name="attemptId"/> is reported, or after <paramref name="atMost"/>.</summary>
    public Task WaitForReportAsync(string attemptId, TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken) =>
        WaitAsync(_attempts, attemptId, atMost, time, cancellationToken);

    private static void Fire(ConcurrentDictionary<string, TaskCompletionSource> waiting, string key)
    {
        if (waiting.TryRemove(key, out var next))
        {
            next.TrySetResult();
        }
    }

    private static async Task WaitAsync(ConcurrentDictionary<string, TaskCompletionSource> waiting, string key, TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = waiting.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(atMost, time, stop.Token);
        await Task.WhenAny(signal, delay);
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
