using System.Text.Json;
using Dapper;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task RenewShareAsync(string replica, IReadOnlyList<string> members, int components, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replica);
        ArgumentNullException.ThrowIfNull(members);
        return ExecuteAsync(
            """
            INSERT INTO controller_shares (replica, renewals, members, components, renewed_at)
            VALUES (@Replica, 1, @Members, @Components, @At)
            ON CONFLICT (replica) DO UPDATE SET renewals = controller_shares.renewals + 1, members = excluded.members,
                components = excluded.components, renewed_at = excluded.renewed_at
            """,
            new { Replica = replica, Members = JsonSerializer.Serialize(members), Components = components, At = DbValues.ToMs(at) },
            cancellationToken);
    }

    public async Task<IReadOnlyList<ShareRecord>> GetSharesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ShareRow>(new CommandDefinition(
            "SELECT replica AS Replica, renewals AS Renewals, members AS Members, components AS Components, renewed_at AS RenewedAt FROM controller_shares ORDER BY replica",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ShareRecord(r.Replica, r.Renewals, JsonSerializer.Deserialize<List<string>>(r.Members) ?? [], (int)r.Components, DbValues.FromMs(r.RenewedAt)))];
    }

    public Task RemoveShareAsync(string replica, long? renewals, CancellationToken cancellationToken = default) =>
        renewals is { } counter
            ? ExecuteAsync("DELETE FROM controller_shares WHERE replica = @Replica AND renewals = @Renewals", new { Replica = replica, Renewals = counter }, cancellationToken)
            : ExecuteAsync("DELETE FROM controller_shares WHERE replica = @Replica", new { Replica = replica }, cancellationToken);

    public async Task<IReadOnlyList<SequencedSample>> GetSamplesAfterAsync(long afterSeq, IReadOnlyCollection<long> missing, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(missing);
        // numbers only, written in: one statement for both dialects, whatever their way with array parameters
        var gaps = missing.Count == 0 ? "" : $"OR seq IN ({string.Join(',', missing.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TailRow>(new CommandDefinition(
            $"""
            SELECT seq AS Seq, replica AS Replica, component AS Component, probe AS Probe, at AS At, success AS Success,
                   latency_ms AS LatencyMs, error AS Error
            FROM probe_samples WHERE seq > @After {gaps} ORDER BY seq LIMIT @Limit
            """,
            new { After = afterSeq, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SequencedSample(r.Seq, new ProbeSample(r.Component, r.Probe, DbValues.FromMs(r.At), r.Success, r.LatencyMs, r.Error) { Replica = r.Replica }))];
    }

    public async Task<long> GetLastSampleSeqAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM probe_samples", cancellationToken: cancellationToken));
    }

    /// <summary>A <c>controller_shares</c> row as Dapper reads it.</summary>
    private sealed class ShareRow
    {
        public string Replica { get; set; } = "";

        public long Renewals { get; set; }

        public string Members { get; set; } = "[]";

        public long Components { get; set; }

        public long RenewedAt { get; set; }
    }

    /// <summary>A <c>probe_samples</c> row with its place and its replica, as the tail reads it.</summary>
    private sealed class TailRow
    {
        public long Seq { get; set; }

        public string? Replica { get; set; }

        public string Component { get; set; } = "";

        public string Probe { get; set; } = "";

        public long At { get; set; }

        public bool Success { get; set; }

        public double LatencyMs { get; set; }

        public string? Error { get; set; }
    }
}
