using Dapper;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Storage.Releases;
using Rewind.Storage.Sql;
using System.Data.Common;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    /// <summary>Provider recorded for a component whose releases arrive before its configuration is known.</summary>
    private const string UnknownProvider = "unknown";

    public async Task EnsureComponentAsync(string name, string provider, CancellationToken cancellationToken = default)
    {
        const string Sql = """
            INSERT INTO components (name, provider) VALUES (@Name, @Provider)
            ON CONFLICT (name) DO UPDATE SET provider = excluded.provider
            """;
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { Name = name, Provider = provider }, cancellationToken: cancellationToken));
    }

    public async Task EnsureComponentsAsync(IReadOnlyCollection<KeyValuePair<string, string>> components, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(components);
        const string Sql = """
            INSERT INTO components (name, provider) VALUES (@Name, @Provider)
            ON CONFLICT (name) DO UPDATE SET provider = excluded.provider
            """;
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, components.Select(c => new { Name = c.Key, Provider = c.Value }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ComponentState>> GetComponentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ComponentRow>(new CommandDefinition(
            $"SELECT {ComponentRow.Columns} FROM components ORDER BY name", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToComponent())];
    }

    public async Task<ComponentState?> GetComponentAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ComponentRow>(new CommandDefinition(
            $"SELECT {ComponentRow.Columns} FROM components WHERE name = @Name", new { Name = name }, cancellationToken: cancellationToken));
        return row?.ToComponent();
    }

    public Task<Release> RecordReleaseAsync(Release release, CancellationToken cancellationToken = default)
    {
        const string UpsertRelease = """
            INSERT INTO releases (component, version, state, recorded_at, "commit", artifact, recorded_by, stable_at, incident, schema_version, deploy_started_at)
            VALUES (@Component, @Version, @State, @RecordedAt, @CommitId, @Artifact, @RecordedBy, @StableAt, @Incident, @Schema, @DeployStartedAt)
            ON CONFLICT (component, version) DO UPDATE SET
                schema_version = COALESCE(excluded.schema_version, releases.schema_version),
                deploy_started_at = CASE WHEN @ContinuesDeploy = 1 THEN releases.deploy_started_at ELSE excluded.deploy_started_at END,
                state = excluded.state,
                recorded_at = excluded.recorded_at,
                "commit" = excluded."commit",
                artifact = excluded.artifact,
                recorded_by = excluded.recorded_by,
                stable_at = COALESCE(excluded.stable_at, releases.stable_at),
                incident = COALESCE(excluded.incident, releases.incident)
            """;
        return ChangingAsync(release.Component, InTransactionAsync(
            async (connection, transaction) =>
            {
                // Already the component's current release: this record continues its deploy (deploying, then deployed), whose start stays.
                var continues = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    "SELECT COUNT(*) FROM components WHERE name = @Component AND current_version = @Version",
                    new { release.Component, release.Version },
                    transaction,
                    cancellationToken: cancellationToken));
                var row = new
                {
                    release.Component,
                    release.Version,
                    State = ReleaseStateMachine.Describe(release.State),
                    RecordedAt = DbValues.ToMs(release.RecordedAt),
                    CommitId = release.Commit,
                    release.Artifact,
                    release.RecordedBy,
                    StableAt = DbValues.ToMs(release.StableAt),
                    release.Incident,
                    release.Schema,
                    DeployStartedAt = DbValues.ToMs(release.DeployStartedAt),
                    ContinuesDeploy = continues,
                };
                await UpsertCurrentAsync(connection, transaction, release.Component, release.Version, release.RecordedAt, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(UpsertRelease, row, transaction, cancellationToken: cancellationToken));
                return await ReadReleaseAsync(connection, transaction, release.Component, release.Version, cancellationToken)
                    ?? throw new InvalidOperationException($"release {release.Version} of {release.Component} vanished while being recorded");
            },
            cancellationToken));
    }

    public async Task<IReadOnlyList<Release>> GetReleasesAsync(string component, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReleaseRow>(new CommandDefinition(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE component = @Component ORDER BY recorded_at DESC, version DESC",
            new { Component = component },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRelease())];
    }

    public async Task<Release?> GetReleaseAsync(string component, string version, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await ReadReleaseAsync(connection, null, component, version, cancellationToken);
    }

    public async Task<bool> MarkReleaseServedAsync(string component, string version, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE releases SET first_served_at = @At WHERE component = @Component AND version = @Version AND first_served_at IS NULL",
            new { Component = component, Version = version, At = DbValues.ToMs(at) },
            cancellationToken: cancellationToken)) == 1;
    }

    public Task<bool> SetReleaseStateAsync(string component, string version, ReleaseState state, DateTimeOffset at, string? incident = null, TimelineEvent? entry = null, CancellationToken cancellationToken = default) =>
        ChangingAsync(component, InTransactionAsync(
            async (connection, transaction) =>
            {
                if (!await MoveReleaseAsync(connection, transaction, component, version, state, at, incident, null, cancellationToken))
                {
                    return false;
                }

                if (entry is not null)
                {
                    await InsertTimelineAsync(connection, transaction, entry, cancellationToken);
                }

                return true;
            },
            cancellationToken));

    public Task SetCurrentReleaseAsync(string component, string version, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangingAsync(component, InTransactionAsync(
            async (connection, transaction) =>
            {
                await UpsertCurrentAsync(connection, transaction, component, version, at, cancellationToken);
                return true;
            },
            cancellationToken));

    /// <summary>
    /// Moves a release to <paramref name="state"/> inside the caller's transaction when the state machine allows it from
    /// the state read; the update is conditional on that state, so a concurrent move makes this one a no-op instead of
    /// skipping the state machine. <paramref name="allowed"/> may refuse the move from the state read.
    /// </summary>
    private static async Task<bool> MoveReleaseAsync(DbConnection connection, DbTransaction transaction, string component, string version, ReleaseState state, DateTimeOffset at, string? incident, Func<ReleaseState, bool>? allowed, CancellationToken cancellationToken)
    {
        const string Sql = """
            UPDATE releases
            SET state = @To,
                stable_at = CASE WHEN @To = 'stable' THEN @At ELSE stable_at END,
                incident = COALESCE(@Incident, incident)
            WHERE component = @Component AND version = @Version AND state = @From
            """;
        var current = await ReadReleaseAsync(connection, transaction, component, version, cancellationToken);
        if (current is null || !ReleaseStateMachine.CanMove(current.State, state) || (allowed is not null && !allowed(current.State)))
        {
            return false;
        }

        var changed = await connection.ExecuteAsync(new CommandDefinition(
            Sql,
            new
            {
                Component = component,
                Version = version,
                From = ReleaseStateMachine.Describe(current.State),
                To = ReleaseStateMachine.Describe(state),
                At = DbValues.ToMs(at),
                Incident = incident,
            },
            transaction,
            cancellationToken: cancellationToken));
        return changed == 1;
    }

    private static async Task UpsertCurrentAsync(DbConnection connection, DbTransaction transaction, string component, string version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        const string Sql = """
            INSERT INTO components (name, provider, current_version, current_since) VALUES (@Name, @Provider, @Version, @Since)
            ON CONFLICT (name) DO UPDATE SET current_version = excluded.current_version, current_since = excluded.current_since
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            Sql,
            new { Name = component, Provider = UnknownProvider, Version = version, Since = DbValues.ToMs(at) },
            transaction,
            cancellationToken: cancellationToken));
    }

    private static async Task<Release?> ReadReleaseAsync(DbConnection connection, DbTransaction? transaction, string component, string version, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ReleaseRow>(new CommandDefinition(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE component = @Component AND version = @Version",
            new { Component = component, Version = version },
            transaction,
            cancellationToken: cancellationToken));
        return row?.ToRelease();
    }
}
