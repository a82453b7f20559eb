using Rewind.Core.Runbooks;
using Rewind.Core.Storage;

namespace Rewind.Storage.Tests;

/// <summary>
/// The compliance suite every store dialect must pass. The tests of one class share a migrated database, so each
/// test uses its own component names and, where IDs are counted, its own days.
/// </summary>
public abstract partial class StoreContractTests
{
    protected StoreContractTests(StoreFixture fixture)
    {
        Fixture = fixture;
    }

    protected StoreFixture Fixture { get; }

    protected IStore Store => Fixture.Store;

    /// <summary>A day no test counts IDs on.</summary>
    protected static DateTimeOffset T0 { get; } = new(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    protected static string NewComponent(string name = "web") => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 13)];

    protected static IReadOnlyList<PlanStep> DefaultPlan(string component, string target = "1.0.0", string? from = "1.1.0") =>
    [
        new SwitchStep("/srv/" + component, target, from),
        new RestartStep(["systemctl", "restart", component], "/srv/" + component, TimeSpan.FromSeconds(30)),
        new WaitHealthyStep(component, ["http", "tcp"], 3, TimeSpan.FromMinutes(2)),
    ];

    protected Task<RollbackCreation> CreateRollbackAsync(string component, DateTimeOffset? at = null, IReadOnlyList<PlanStep>? steps = null) =>
        Store.CreateRollbackAsync(component, null, "1.1.0", "1.0.0", "error rate above 5 %", "policy:error-rate", steps ?? DefaultPlan(component), at ?? T0);
}
