using Rewind.Core.Policies;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Policies;

/// <summary>A <c>shadow_decisions</c> row as Dapper reads it.</summary>
internal sealed class ShadowDecisionRow
{
    public const string Columns = "component AS Component, policy AS Policy, release AS Release, at AS At, action AS Action, evidence AS Evidence";

    public string Component { get; set; } = "";

    public string Policy { get; set; } = "";

    public string? Release { get; set; }

    public long At { get; set; }

    public string Action { get; set; } = "";

    public string Evidence { get; set; } = "";

    public ShadowDecision ToDecision() => new(Component, Policy, Release, DbValues.FromMs(At), Action, Evidence);
}
