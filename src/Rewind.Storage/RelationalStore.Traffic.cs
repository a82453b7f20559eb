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
}
