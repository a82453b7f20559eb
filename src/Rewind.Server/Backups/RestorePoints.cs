using Npgsql;
using Rewind.Core.Configuration;
using Rewind.Runtime.Backups;
using Rewind.Server.Hosting;

namespace Rewind.Server.Backups;

/// <summary>
/// Named restore points on every backed-up PostgreSQL cluster of the config, made when a release is first recorded
/// (<c>rewind-release-COMPONENT-VERSION</c>) and before a rollback starts (<c>rewind-before-RB-…</c>), so a point-in-time
/// restore can go to "just before release X" or "just before rollback RB-…". Best effort: a cluster that cannot be
/// reached is said, and nothing waits for it longer than a few seconds.
/// </summary>
internal sealed class RestorePoints(ConfigHolder config)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>True when some component is a backed-up PostgreSQL cluster (otherwise there is nothing to mark).</summary>
    public bool Any => Clusters().Any();

    /// <summary>Makes <paramref name="name"/> on every backed-up cluster; one line per cluster saying where it is, or why not.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var said = new List<string>();
        foreach (var (component, postgres) in Clusters())
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Timeout);
            try
            {
                var builder = PostgresUrl.TryParse(postgres.Url, out var url) ? url.WriteTo(new NpgsqlConnectionStringBuilder()) : new NpgsqlConnectionStringBuilder();
                builder.Timeout = (int)Timeout.TotalSeconds;
                builder.Pooling = false;
                var lsn = await PointInTimeRestore.CreateRestorePointAsync(builder.ConnectionString, name, limit.Token);
                said.Add($"restore point {name} on {component} at {lsn}");
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                said.Add($"no restore point {name} on {component}: {ex.Message}");
            }
        }

        return said;
    }

    private IEnumerable<(string Component, PostgresProviderConfig Postgres)> Clusters() =>
        config.Current.Components
            .Where(c => c.Value is { Provider.Postgres: not null, Backups: not null })
            .Select(c => (c.Key, c.Value.Provider.Postgres!));
}
