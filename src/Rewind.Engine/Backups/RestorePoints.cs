using Npgsql;
using Rewind.Core.Configuration;
using Rewind.Engine.Hosting;
using Rewind.Runtime.Backups;

namespace Rewind.Engine.Backups;

/// <summary>
/// Named restore points on every backed-up PostgreSQL cluster of the config, made when a release is first recorded
/// (<c>rewind-release-COMPONENT-VERSION</c>) and before a rollback starts (<c>rewind-before-RB-…</c>), so a point-in-time
/// restore can go to "just before release X" or "just before rollback RB-…". Best effort: a cluster that cannot be
/// reached is said, and nothing waits for the clusters (all asked at once) longer than 2 seconds.
/// </summary>
internal sealed class RestorePoints(ConfigHolder config)
{
    /// <summary>A rollback's first step starts after this at the latest, whatever the clusters do: recovery must not wait on a database.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>True when some component is a backed-up PostgreSQL cluster (otherwise there is nothing to mark).</summary>
    public bool Any => Clusters().Any();

    /// <summary>Makes <paramref name="name"/> on every backed-up cluster at once; one line per cluster saying where it is, or why not.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string name, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(Clusters().Select(c => CreateOnAsync(c.Component, c.Postgres, name, cancellationToken)));

    private static async Task<string> CreateOnAsync(string component, PostgresProviderConfig postgres, string name, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            var builder = PostgresUrl.TryParse(postgres.Url, out var url) ? url.WriteTo(new NpgsqlConnectionStringBuilder()) : new NpgsqlConnectionStringBuilder();
            builder.Timeout = (int)Timeout.TotalSeconds;
            builder.Pooling = false;
            var lsn = await PointInTimeRestore.CreateRestorePointAsync(builder.ConnectionString, name, limit.Token);
            return $"restore point {name} on {component} at {lsn}";
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return $"no restore point {name} on {component}: {ex.Message}";
        }
    }

    private IEnumerable<(string Component, PostgresProviderConfig Postgres)> Clusters() =>
        config.Current.Components
            .Where(c => c.Value is { Provider.Postgres: not null, Backups: not null })
            .Select(c => (c.Key, c.Value.Provider.Postgres!));
}
