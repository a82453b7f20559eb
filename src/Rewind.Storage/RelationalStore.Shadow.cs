using Dapper;
using Rewind.Core.Policies;
using Rewind.Storage.Policies;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task AddShadowDecisionAsync(ShadowDecision decision, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "INSERT INTO shadow_decisions (component, policy, release, at, action, evidence) VALUES (@Component, @Policy, @Release, @At, @Action, @Evidence)",
            new { decision.Component, decision.Policy, decision.Release, At = DbValues.ToMs(decision.At), decision.Action, decision.Evidence },
            cancellationToken);

    public async Task<IReadOnlyList<ShadowDecision>> GetShadowDecisionsAsync(int limit, string? component = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ShadowDecisionRow>(new CommandDefinition(
            $"""
            SELECT {ShadowDecisionRow.Columns} FROM shadow_decisions
            {(component is null ? "" : "WHERE component = @Component")}
            ORDER BY at DESC, seq DESC
            LIMIT @Limit
            """,
            new { Component = component, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDecision())];
    }
}
