using Rewind.Core.Configuration;

namespace Rewind.Engine.Hosting;

/// <summary>Runs a loop built from the config and builds it again when a reload changes the part of the config it was built from.</summary>
internal static class ConfigFollowing
{
    /// <summary>
    /// Runs <paramref name="run"/> for the config in force; when a reload changes <paramref name="section"/> of it (the
    /// probes, say), cancels that run and starts one for the new config. A reload that leaves the section as it was leaves
    /// the run alone. Returns (throwing the cancellation) only when <paramref name="stoppingToken"/> is cancelled, or
    /// with the failure of a run.
    /// </summary>
    public static async Task FollowAsync(this ConfigHolder holder, Func<RewindConfig, object?> section, Func<RewindConfig, CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        var version = holder.Version;
        while (true)
        {
            using var runToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var running = RunUntilCancelledAsync(run, version.Config, runToken.Token);
            var shape = ConfigFingerprint.Of(section(version.Config));
            while (true)
            {
                if (await Task.WhenAny(running, ReplacedAsync(version, stoppingToken)) == running || stoppingToken.IsCancellationRequested)
                {
                    await running; // stopped (its token is linked to the stop), or failed: either way it has ended when this returns
                    return;
                }

                version = holder.Version;
                if (!string.Equals(ConfigFingerprint.Of(section(version.Config)), shape, StringComparison.Ordinal))
                {
                    break;
                }
            }

            await runToken.CancelAsync();
            try
            {
                await running;
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // cancelled for the new config: the next run takes over
            }
        }
    }

    /// <summary>The run, then nothing until cancelled: a loop with nothing to do (no probe declared) returns at once.</summary>
    private static async Task RunUntilCancelledAsync(Func<RewindConfig, CancellationToken, Task> run, RewindConfig config, CancellationToken cancellationToken)
    {
        await run(config, cancellationToken);
        await new TaskCompletionSource().Task.WaitAsync(cancellationToken); // no clock: only the cancellation ends it
    }

    private static async Task ReplacedAsync(ConfigVersion version, CancellationToken stoppingToken)
    {
        try
        {
            await version.Replaced.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // stopping: the caller looks
        }
    }
}
