using System.Globalization;
using Dapper;
using Rewind.Core.Signals;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task AddReleaseTrafficAsync(string component, string version, double requests, double bad, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            """
            INSERT INTO release_traffic (component, version, requests, bad, updated_at) VALUES (@Component, @Version, @Requests, @Bad, @At)
            ON CONFLICT (component, version) DO UPDATE SET
                requests = release_traffic.requests + excluded.requests,
                bad = release_traffic.bad + excluded.bad,
                updated_at = excluded.updated_at
            """,
            new { Component = component, Version = version, Requests = requests, Bad = bad, At = DbValues.ToMs(at) },
            cancellationToken);

    public async Task<ReleaseTraffic?> GetReleaseTrafficAsync(string component, string version, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<(double Requests, double Bad)?>(new CommandDefinition(
            "SELECT requests, bad FROM release_traffic WHERE component = @Component AND version = @Version",
            new { Component = component, Version = version },
            cancellationToken: cancellationToken));
        return row is { } r ? new ReleaseTraffic(r.Requests, r.Bad) : null;
    }

    public Task AddReleaseLatencyAsync(string component, string version, IReadOnlyList<(double UpperBound, double CumulativeCount)> buckets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return buckets.Count == 0 ? Task.CompletedTask : InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO release_latency (component, version, le, count) VALUES (@Component, @Version, @Le, @Count)
                ON CONFLICT (component, version, le) DO UPDATE SET count = release_latency.count + excluded.count
                """,
                buckets.Select(b => new { Component = component, Version = version, Le = Le(b.UpperBound), Count = b.CumulativeCount }),
                transaction,
                cancellationToken: cancellationToken));
            return 0;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<(double UpperBound, double CumulativeCount)>> GetReleaseLatencyAsync(string component, string version, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Le, double Count)>(new CommandDefinition(
            "SELECT le, count FROM release_latency WHERE component = @Component AND version = @Version",
            new { Component = component, Version = version },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.Le == "+Inf" ? double.PositiveInfinity : double.Parse(r.Le, CultureInfo.InvariantCulture), r.Count)).OrderBy(b => b.Item1)];
    }

    private static string Le(double upperBound) =>
        double.IsPositiveInfinity(upperBound) ? "+Inf" : upperBound.ToString("R", CultureInfo.InvariantCulture);
}
