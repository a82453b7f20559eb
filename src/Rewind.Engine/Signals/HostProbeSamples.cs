using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Runtime.Signals;

namespace Rewind.Engine.Signals;

/// <summary>
/// A probe for a rollback's wait-healthy step that also answers for probes a host's agent runs: such a probe is not run
/// here (it only answers on its host); its run is the next sample the agent sends, read from the store. A probe the
/// controller runs is handed to <paramref name="probe"/>.
/// </summary>
internal sealed class HostProbeSamples(IProbe probe, IStore store, TimeProvider time) : IProbe
{
    /// <summary>How often the store is read while waiting for the host's next sample.</summary>
    public static readonly TimeSpan Look = TimeSpan.FromMilliseconds(250);

    public async Task<ProbeSample> RunAsync(string component, string probeName, ProbeConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Host is not { } host)
        {
            return await probe.RunAsync(component, probeName, config, cancellationToken);
        }

        var started = time.GetTimestamp();
        var silentAfter = (2 * config.Interval) + config.Timeout;
        var before = await NewestAsync(component, probeName, cancellationToken);
        while (time.GetElapsedTime(started) < silentAfter)
        {
            await Task.Delay(Look, time, cancellationToken);
            if (await NewestAsync(component, probeName, cancellationToken) is { } newest && newest.At > (before?.At ?? DateTimeOffset.MinValue))
            {
                return newest;
            }
        }

        return new ProbeSample(component, probeName, time.GetUtcNow(), false, 0, $"not measured: the agent of {host} sent no sample of this probe within {Durations.Format(silentAfter)}");
    }

    private async Task<ProbeSample?> NewestAsync(string component, string probeName, CancellationToken cancellationToken) =>
        await store.GetRecentSamplesAsync(component, probeName, 1, cancellationToken) is [var newest, ..] ? newest : null;
}
